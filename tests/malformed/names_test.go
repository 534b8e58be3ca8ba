//go:build linux

package malformed_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// rawInvisible returns the first control, DEL, C1 or bidi character of b
// other than tab and line breaks, and whether there is one.
func rawInvisible(b []byte) (rune, bool) {
	for _, r := range string(b) {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f,
			r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return r, true
		}
	}
	return 0, false
}

// outsideCode drops the code spans of Markdown, whose content is inert.
func outsideCode(s string) string {
	var b strings.Builder
	for i, part := range strings.Split(strings.ReplaceAll(s, "\\`", ""), "`") {
		if i%2 == 0 {
			b.WriteString(part)
		}
	}
	return b.String()
}

// TestHostileNames runs check and inspect --classes on the build and the
// policy whose names carry terminal escapes (ESC[2J, OSC 52), C1 controls,
// bidi overrides, invalid UTF-8 and mentions, in every format and both
// languages: stdout is valid UTF-8 and parses, nothing reaches a person raw,
// Markdown mentions nobody, and JSON keeps every name.
func TestHostileNames(t *testing.T) {
	needSetup(t)
	apk := testenv.Built(t, "malformed", "testdata", "malformed", "apk", "hostile-names.apk")
	pol := testenv.Built(t, "malformed", "testdata", "malformed", "policy", "hostile-names.md")
	for _, format := range []string{"table", "json", "jsonl", "sarif", "junit", "markdown", "html"} {
		for _, lang := range []string{"en", "zh"} {
			for _, args := range [][]string{
				{"check", apk, "--policy", pol},
				{"inspect", apk, "--classes"},
			} {
				args := append(args, "--format", format, "--lang", lang, "--no-timestamp")
				r := run(t, 30*time.Second, args...)
				name := format + "/" + lang + "/" + args[0]
				if p := contractProblems(r, ""); len(p) > 0 {
					t.Errorf("%s: %v\n%s", name, p, r)
					continue
				}
				if !utf8.Valid(r.stdout) {
					t.Errorf("%s: stdout is not valid UTF-8", name)
				}
				if c, ok := rawInvisible(r.stdout); ok {
					t.Errorf("%s: stdout holds %U raw", name, c)
				}
				if c, ok := rawInvisible(r.stderr); ok {
					t.Errorf("%s: stderr holds %U raw", name, c)
				}
				switch format {
				case "json", "sarif":
					if !json.Valid(r.stdout) {
						t.Errorf("%s: stdout is not JSON", name)
					}
				case "junit":
					var v any
					if err := xml.Unmarshal(r.stdout, &v); err != nil {
						t.Errorf("%s: stdout is not XML: %v", name, err)
					}
				case "markdown":
					text := outsideCode(string(r.stdout))
					for _, m := range []string{"@all", "@everyone", "@security-team", "<script"} {
						if strings.Contains(text, m) {
							t.Errorf("%s: %q is live in the Markdown", name, m)
						}
					}
				}
			}
		}
	}

	// JSON keeps the raw names: controls and bidi as \u escapes that decode
	// to them, invalid bytes as the text \xNN.
	r := run(t, 30*time.Second, "inspect", apk, "--classes", "--format", "json")
	var doc struct {
		App        struct{ Label string } `json:"app"`
		NativeLibs []string               `json:"native_libs"`
		Code       struct {
			ClassNames []string `json:"class_names"`
		} `json:"code"`
	}
	if err := json.Unmarshal(r.stdout, &doc); err != nil {
		t.Fatalf("inspect json: %v\n%s", err, r)
	}
	if doc.App.Label != "\u202e\x1b[J" {
		t.Errorf("label %q, want the raw %q", doc.App.Label, "\u202e\x1b[J")
	}
	want := map[string]bool{"com.example.miitee.ui.\x1b]52;c;aGk\x07\u202e\u009b": false}
	for _, c := range doc.Code.ClassNames {
		if _, ok := want[c]; ok {
			want[c] = true
		}
	}
	for c, found := range want {
		if !found {
			t.Errorf("class %q missing from class_names", c)
		}
	}
	libs := strings.Join(doc.NativeLibs, "\n")
	for _, l := range []string{"lib/arm64-v8a/lib\x1b[2J\x1b[31mevil.so", `lib/arm64-v8a/lib\xff\xfe` + "\u202eos.so", "lib/x86_64/lib@all\x1b]0;pwned\x07.so"} {
		if !strings.Contains(libs, l) {
			t.Errorf("native_libs lacks %q: %q", l, doc.NativeLibs)
		}
	}
}

// TestHostileFileName: an unreadable input whose own name carries escapes
// gets its one stderr line with the name escaped.
func TestHostileFileName(t *testing.T) {
	needSetup(t)
	dir := t.TempDir()
	name := filepath.Join(dir, "evil\x1b[2J\u202e\xff.apk")
	if err := os.WriteFile(name, []byte("not an APK\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "zh"} {
		r := run(t, 30*time.Second, "inspect", name, "--lang", lang)
		if r.exit != 2 {
			t.Fatalf("exit %d, want 2\n%s", r.exit, r)
		}
		if c, ok := rawInvisible(r.stderr); ok {
			t.Errorf("%s: stderr holds %U raw: %q", lang, c, r.stderr)
		}
		if !utf8.Valid(r.stderr) || !bytes.Contains(r.stderr, []byte(`evil\x1b[2J\u202e\xff.apk`)) {
			t.Errorf("%s: stderr does not name the file escaped: %q", lang, r.stderr)
		}
	}
}
