//go:build linux

package malformed_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// pdfMemoryCap is the address space apkaudit (and the PDF child it
	// starts, which inherits the cap) may use on a hostile PDF.
	pdfMemoryCap = 1 << 30
	// pdfWall is the time it may take.
	pdfWall = 10 * time.Second
)

// pdfCase is one hostile PDF of scripts/gen-malformed/pdf.go and what every
// command must make of it.
type pdfCase struct {
	file string
	// reason, when set, marks the document unreadable: exit 2, one stderr
	// line naming the file and containing reason.
	reason string
	// warning is part of the policy warning that says what was skipped ("" if nothing was).
	warning string
	// camera is set when the disclosure (the camera permission) must be read.
	camera bool
	// slow cases end at the PDF child's time limit; they run beside each
	// other (one child spinning per core).
	slow bool
}

var pdfCases = []pdfCase{
	{file: "pdf-deep-array-content.pdf", warning: "operand nesting depth exceeds the limit of 32", camera: true},
	{file: "pdf-deep-array-trailer.pdf", camera: true},
	{file: "pdf-deep-dict-object.pdf", reason: "ran out of stack"},
	{file: "pdf-self-kid.pdf", warning: "page tree lists a node inside itself", camera: true},
	{file: "pdf-startxref-huge.pdf", reason: "malformed"},
	{file: "pdf-xref-size-huge.pdf", reason: "ran out of memory"},
	{file: "pdf-operand-flood.pdf", warning: "operands of one operator exceeds the limit of 1024", camera: true},
	{file: "pdf-unclosed-array.pdf", warning: "content ends inside an array", camera: true},
	// Chains that loop are found before the library, which would spin on them, sees the file.
	{file: "pdf-prev-loop.pdf", reason: "/Prev chain loops back to offset"},
	{file: "pdf-prev-loop-2.pdf", reason: "/Prev chain loops back to offset"},
	{file: "pdf-xref-stream-prev-loop.pdf", reason: "/Prev chain loops back to offset"},
	{file: "pdf-extends-loop.pdf", reason: "/Extends chain loops back to object 6"},
	{file: "pdf-objstm-flood.pdf", reason: "malformed"},
	// ... and a chain that ends is read.
	{file: "pdf-incremental.pdf", camera: true},
	{file: "pdf-shared-content.pdf", warning: "inflated content of all pages exceeds the limit", camera: true},
	{file: "pdf-contents-200k.pdf", reason: "content streams of one page: 200000 exceeds the limit of 4096"},
	// The disclosure follows 4.2 million glyphs: it is lost, and says so.
	{file: "pdf-many-glyphs.pdf", warning: "glyphs on one page exceeds the limit of 262144"},
	// 17 pages of one wrapped paragraph each: joining the lines is linear,
	// so the reader reaches the document's glyph limit within its time.
	{file: "pdf-wrapped-pages.pdf", warning: "glyphs of the document exceeds the limit of 1048576", camera: true},
	{file: "pdf-content-limit.pdf", reason: "no text read before a limit: page 1: inflated content of all pages exceeds the limit"},
	// The library prints "DEBUG: …" to stdout in-process; here stdout must stay JSON.
	{file: "pdf-library-prints.pdf", warning: "malformed content", camera: true},
	{file: "pdf-deep-page-tree.pdf", reason: "no pages found (the page tree is nested deeper than 64 levels"},
	{file: "pdf-cmap-unclosed.pdf", warning: "font F2: its ToUnicode CMap was not read", camera: true},
	{file: "pdf-cmap-panics.pdf", warning: "font F2: its encoding is malformed (cannot begin non-dict)", camera: true},
}

// runCapped runs apkaudit under prlimit's address-space cap.
func runCapped(t *testing.T, args ...string) result {
	t.Helper()
	prlimit, err := exec.LookPath("prlimit")
	require.NoError(t, err, "prlimit (util-linux) caps the memory of these runs")
	return runWrapped(t, 2*pdfWall, []string{prlimit, "--as=" + strconv.Itoa(pdfMemoryCap), "--"}, args...)
}

// policyPart is the policy object of policy JSON and of check and batch lines.
type policyPart struct {
	Permissions []struct {
		Name string `json:"name"`
	} `json:"permissions"`
	Warnings []string `json:"warnings"`
}

func (p policyPart) hasCamera() bool {
	for _, perm := range p.Permissions {
		if perm.Name == "android.permission.CAMERA" {
			return true
		}
	}
	return false
}

// assertPDFRun checks one run on c: bounds, exit code, the stderr line or
// the policy part of stdout (read from it by part). On success stderr is
// empty but for lines starting with summary (batch's count), if not "".
func assertPDFRun(t *testing.T, c pdfCase, r result, file, summary string, part func([]byte) (policyPart, bool)) {
	t.Helper()
	for _, p := range contractProblems(r, file) {
		t.Errorf("%s\n%v", p, r)
	}
	assert.Less(t, r.wall, pdfWall, "wall time\n%v", r)
	assert.Less(t, r.maxRSS, int64(pdfMemoryCap), "peak RSS\n%v", r)
	if c.reason != "" {
		if assert.Equal(t, 2, r.exit, "an unreadable policy is exit 2\n%v", r) {
			assert.Contains(t, string(r.stderr), c.reason, "%v", r)
		}
		return
	}
	if !assert.Contains(t, []int{0, 1}, r.exit, "%v", r) {
		return
	}
	for _, line := range strings.Split(strings.TrimSpace(string(r.stderr)), "\n") {
		if line != "" && (summary == "" || !strings.HasPrefix(line, summary)) {
			t.Errorf("nothing of the PDF library reaches stderr: %q\n%v", line, r)
		}
	}
	p, ok := part(r.stdout)
	if !ok {
		t.Errorf("stdout does not parse\n%v", r)
		return
	}
	assert.Equal(t, c.camera, p.hasCamera(), "the camera disclosure read: %+v", p.Permissions)
	if c.warning == "" {
		assert.Empty(t, p.Warnings)
	} else {
		assert.True(t, anyContains(p.Warnings, filepath.Base(file), c.warning), "a warning names the file and says %q: %q", c.warning, p.Warnings)
	}
}

// TestHostilePDFs runs every hostile PDF through policy, check and batch
// --policy under a 1 GiB address-space cap: each ends within 10 s with exit
// 0, 1 or 2, no goroutine dump, stdout that parses (the library's DEBUG
// prints never reach it), and a warning naming the limit where something was
// skipped, or one stderr line naming the file and why it is unreadable.
func TestHostilePDFs(t *testing.T) {
	needSetup(t)
	fixture := filepath.Join(repo, fixtureRel)
	batchDir := t.TempDir()
	b, err := os.ReadFile(fixture)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(batchDir, "miitee.apk"), b, 0o644))

	// The other formats on the case whose library prints: stdout is the report alone.
	prints := filepath.Join(cases, "policy", "pdf-library-prints.pdf")
	for format, parses := range map[string]func([]byte) error{
		"sarif":    func(b []byte) error { var v map[string]any; return json.Unmarshal(b, &v) },
		"junit":    func(b []byte) error { var v struct{}; return xml.Unmarshal(b, &v) },
		"markdown": func(b []byte) error { return textReport(b, "#") },
		"table":    func(b []byte) error { return textReport(b, "") },
	} {
		t.Run("pdf-library-prints.pdf/check-"+format, func(t *testing.T) {
			r := runCapped(t, "check", "--format", format, "--policy", prints, fixture)
			for _, p := range contractProblems(r, prints) {
				t.Errorf("%s\n%v", p, r)
			}
			assert.Contains(t, []int{0, 1}, r.exit, "%v", r)
			assert.NoError(t, parses(r.stdout), "stdout is a %s report", format)
			assert.False(t, bytes.Contains(r.stdout, []byte("DEBUG")), "stdout holds the PDF library's DEBUG output")
		})
	}

	for _, c := range pdfCases {
		file := filepath.Join(cases, "policy", c.file)
		t.Run(c.file, func(t *testing.T) {
			if c.slow {
				t.Parallel()
			}
			t.Run("policy", func(t *testing.T) {
				r := runCapped(t, "policy", "--format", "json", file)
				assertPDFRun(t, c, r, file, "", func(out []byte) (p policyPart, ok bool) {
					return p, json.Unmarshal(out, &p) == nil
				})
			})
			t.Run("check", func(t *testing.T) {
				r := runCapped(t, "check", "--format", "json", "--policy", file, fixture)
				assertPDFRun(t, c, r, file, "", func(out []byte) (policyPart, bool) {
					var d struct {
						Policy policyPart `json:"policy"`
					}
					return d.Policy, json.Unmarshal(out, &d) == nil
				})
			})
			t.Run("batch", func(t *testing.T) {
				r := runCapped(t, "batch", "--policy", file, batchDir)
				assertPDFRun(t, c, r, file, "apkaudit: batch: ", func(out []byte) (policyPart, bool) {
					var lines []policyPart
					sc := bufio.NewScanner(bytes.NewReader(out))
					sc.Buffer(nil, 64<<20)
					for sc.Scan() {
						var d struct {
							Policy policyPart `json:"policy"`
						}
						if json.Unmarshal(sc.Bytes(), &d) != nil {
							return policyPart{}, false
						}
						lines = append(lines, d.Policy)
					}
					if len(lines) != 1 {
						return policyPart{}, false
					}
					return lines[0], true
				})
			})
		})
	}
}

// textReport checks a text report: valid UTF-8 that starts with prefix and
// holds none of the PDF library's debug output.
func textReport(b []byte, prefix string) error {
	switch {
	case !utf8.Valid(b):
		return errors.New("not UTF-8")
	case !bytes.HasPrefix(b, []byte(prefix)):
		return fmt.Errorf("does not start with %q", prefix)
	case bytes.Contains(b, []byte("DEBUG:")), bytes.Contains(b, []byte("Skip dict")):
		return errors.New("holds the PDF library's debug output")
	}
	return nil
}
