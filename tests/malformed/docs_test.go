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
// docTime under an address-space cap of docAS with a peak RSS below docRSS,
// every run: docRuns runs of each command, so that a reader that fits only
// sometimes (fragmentation of the address space by large allocations)
// fails here. Of the 1 GiB, the Go runtime reserves some 700 MB at start
// (limits.FitRuntime holds the heap to a share of the rest).
const (
	docTime = 30 * time.Second // 10 s is the target on an idle machine; CI shares its cores
	docAS   = 1 << 30
	docRSS  = 256 << 20
	docRuns = 3
)

// TestHostileDocuments reads the deep DOCX and the 60 MB text, HTML and
// Markdown policies of scripts/gen-malformed/docs.go under prlimit --as and a
// time limit, with policy and with check (which also renders the findings
// on every SDK row), and checks that each exits with 0 (1 for check's
// findings) and JSON on stdout, no crash, a bounded RSS, the permission
// written before the hostile part still found, and a warning naming the
// limit it hit.
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
		{"policy/big-pipes.md", "markdown: source bytes exceeds the limit of 1048576"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join(cases, tt.file)
			for _, args := range [][]string{
				{"policy", file, "--format", "json", "--no-timestamp"},
				{"check", "testdata/demo/demo.apk", "--policy", file, "--format", "json", "--no-timestamp"},
			} {
				for run := 1; run <= docRuns; run++ {
					if !hostileDocumentRun(t, prlimit, file, args, tt.limit, run) {
						return
					}
				}
			}
		})
	}
}

// hostileDocumentRun is one run of TestHostileDocuments; false when it failed.
func hostileDocumentRun(t *testing.T, prlimit, file string, args []string, limit string, run int) bool {
	t.Helper()
	r := runWrapped(t, docTime, []string{prlimit, "--as=" + itoa(docAS), "--"}, args...)
	t.Logf("%s %s run %d: exit %d in %v, peak RSS %d MiB", args[0], file, run, r.exit, r.wall.Round(time.Millisecond), r.maxRSS>>20)
	ok := assert.Empty(t, contractProblems(r, file), "%v", r)
	want := 0
	if args[0] == "check" {
		want = 1 // the demo build's undisclosed permissions
	}
	if !assert.Equal(t, want, r.exit, "%s run %d: %v", args[0], run, r) {
		return false
	}
	ok = assert.Less(t, r.maxRSS, int64(docRSS), "peak RSS") && ok
	var out struct {
		Permissions []struct{ Name string } `json:"permissions"`
		Warnings    []string                `json:"warnings"`
		Policy      *struct {
			Permissions []struct{ Name string } `json:"permissions"`
			Warnings    []string                `json:"warnings"`
		} `json:"policy"`
	}
	if !assert.NoError(t, json.Unmarshal(r.stdout, &out), "stdout is JSON") {
		return false
	}
	perms, warnings := out.Permissions, out.Warnings
	if out.Policy != nil { // check: the policy's side
		perms, warnings = out.Policy.Permissions, out.Policy.Warnings
	}
	found := false
	for _, w := range warnings {
		found = found || strings.Contains(w, limit)
	}
	ok = assert.True(t, found, "a warning naming %q in %q", limit, warnings) && ok
	var names []string
	for _, p := range perms {
		names = append(names, p.Name)
	}
	return assert.Contains(t, names, "android.permission.CAMERA", "the permission before the hostile part") && ok
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
