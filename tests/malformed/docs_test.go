//go:build linux

package malformed_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Bounds of the hostile policy documents (issue 12): each ends within
// docTime under an address-space cap of docAS with a peak RSS below docRSS.
// The Go runtime reserves address space beyond its heap, so the cap on
// address space is twice the RSS bound.
const (
	docTime = 30 * time.Second // 10 s is the target on an idle machine; CI shares its cores
	docAS   = 2 << 30
	docRSS  = 1 << 30
)

// TestHostileDocuments reads the deep DOCX and the 60 MB text, HTML and
// Markdown policies of scripts/gen-malformed/docs.go under prlimit --as and a
// time limit, and checks that each exits 0 with JSON on stdout, no crash, a
// bounded RSS, the permission written before the hostile part still found,
// and a warning naming the limit it hit.
func TestHostileDocuments(t *testing.T) {
	needSetup(t)
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	tests := []struct {
		file, limit string
	}{
		{"policy/docx-deep-tables.docx", "table nesting exceeds the limit of 16"},
		{"policy/docx-deep-elements.docx", "XML element nesting exceeds the limit of 1000"},
		{"policy/docx-numbering-flood.docx", "numbering definitions exceeds the limit of 4096"},
		{"policy/big-lines.txt", "lines exceeds the limit of 100000"},
		{"policy/big-one-line.txt", "text bytes exceeds the limit of 8388608"},
		{"policy/big-cells.html", "lines exceeds the limit of 100000"},
		{"policy/big-wide.html", "cells in a table row exceeds the limit of 256"},
		{"policy/big-pipes.md", "markdown: source bytes exceeds the limit of 4194304"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join(cases, tt.file)
			r := runWrapped(t, docTime, []string{prlimit, "--as=" + itoa(docAS), "--"}, "policy", file, "--format", "json", "--no-timestamp")
			t.Logf("%s: exit %d in %v, peak RSS %d MiB", tt.file, r.exit, r.wall.Round(time.Millisecond), r.maxRSS>>20)
			assert.Empty(t, contractProblems(r, file), "%v", r)
			if !assert.Equal(t, 0, r.exit, "%v", r) {
				return
			}
			assert.Less(t, r.maxRSS, int64(docRSS), "peak RSS")
			var out struct {
				Permissions []struct{ Name string } `json:"permissions"`
				Warnings    []string                `json:"warnings"`
			}
			if !assert.NoError(t, json.Unmarshal(r.stdout, &out), "stdout is JSON") {
				return
			}
			found := false
			for _, w := range out.Warnings {
				found = found || strings.Contains(w, tt.limit)
			}
			assert.True(t, found, "a warning naming %q in %q", tt.limit, out.Warnings)
			var perms []string
			for _, p := range out.Permissions {
				perms = append(perms, p.Name)
			}
			assert.Contains(t, perms, "android.permission.CAMERA", "the permission before the hostile part")
		})
	}
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if len(b) == 0 {
		return "0"
	}
	return string(b)
}
