//go:build ignore

// gen copies the key, canonical and context columns of the policy-field
// reference table (../shared/reference/policy-fields.tsv) into
// data/policy-fields.tsv, keeping its '#' attribution header: go:embed cannot
// reach outside the module. Run it with `go generate ./pkg/policy`.
//
//	go run gen.go [-src FILE] [-out FILE]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const header = "key\tcanonical\tcontext\tdoc_freq\tdoc_freq_as_label\tnotes"

func main() {
	src := flag.String("src", filepath.Join("..", "..", "..", "shared", "reference", "policy-fields.tsv"), "policy-fields.tsv to read")
	out := flag.String("out", filepath.Join("data", "policy-fields.tsv"), "file to write")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "policy/gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(b, []byte("#")) {
		return fmt.Errorf("%s: no '#' attribution header", src)
	}
	var w strings.Builder
	seen := false
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			w.WriteString(line + "\n")
			continue
		}
		f := strings.Split(line, "\t")
		if !seen {
			if line != header {
				return fmt.Errorf("%s:%d: header is %q, want %q", src, i+1, line, header)
			}
			seen = true
			w.WriteString("# Copied by pkg/policy/gen.go: only the key, canonical and context columns are kept.\n")
		} else if len(f) != 6 {
			return fmt.Errorf("%s:%d: %d fields, want 6", src, i+1, len(f))
		}
		w.WriteString(strings.Join(f[:3], "\t") + "\n")
	}
	return os.WriteFile(out, []byte(w.String()), 0o644)
}
