//go:build ignore

// gen copies the permission reference tables from ../shared/reference into
// data/, after checking that they parse: go:embed cannot reach outside the
// module, so the embedded copies live beside the package. The '#' attribution
// headers are kept byte for byte. Run it with `go generate ./pkg/permissions`.
//
//	go run gen.go [-src DIR] [-out DIR]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// files lists each table with the header it must have.
var files = []struct {
	name   string
	header string
}{
	{"permissions.tsv", "name\tprotection_level\tgroup\tapi_added\tsensitive\ttc260_zh\taosp_zh\tsynonyms_zh\tdoc_freq\tnotes"},
	{"permissions-all.tsv", "name\tprotection_level\tbase\tflags\tdeclared_group\tapi_added\tlabel_en\taosp_zh"},
}

func main() {
	src := flag.String("src", filepath.Join("..", "..", "..", "shared", "reference"), "directory holding the reference TSVs")
	out := flag.String("out", "data", "directory to write the embedded copies to")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "permissions/gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f.name))
		if err != nil {
			return err
		}
		if err := check(f.name, f.header, b); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, f.name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// check verifies that b has a '#' attribution header, the expected column
// header, a constant column count and, for permissions.tsv, one doc_freq per synonym.
func check(name, header string, b []byte) error {
	if !bytes.HasPrefix(b, []byte("#")) {
		return fmt.Errorf("%s: no '#' attribution header", name)
	}
	cols := strings.Count(header, "\t") + 1
	seenHeader := false
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if !seenHeader {
			if line != header {
				return fmt.Errorf("%s:%d: header is %q, want %q", name, i+1, line, header)
			}
			seenHeader = true
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != cols {
			return fmt.Errorf("%s:%d: %d fields, want %d", name, i+1, len(f), cols)
		}
		if name == "permissions.tsv" && f[7] != "" {
			if s, d := strings.Count(f[7], ";"), strings.Count(f[8], ";"); s != d {
				return fmt.Errorf("%s:%d: %d synonyms but %d doc_freq values", name, i+1, s+1, d+1)
			}
		}
	}
	if !seenHeader {
		return fmt.Errorf("%s: no header line", name)
	}
	return nil
}
