package cli

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/report"
)

// TestOutputs: the decision of where each report goes.
func TestOutputs(t *testing.T) {
	type out struct{ format, path string }
	tests := []struct {
		name      string
		values    []string
		format    string // "" for not given
		cmd       report.Command
		want      []out
		wantError string
	}{
		{"nothing: stdout", nil, "", report.CommandCheck, []out{{"table", "-"}}, ""},
		{"--format only", nil, "json", report.CommandCheck, []out{{"json", "-"}}, ""},
		{"extension picks", []string{"report.html"}, "", report.CommandCheck, []out{{"html", "report.html"}}, ""},
		{"--format wins over the extension", []string{"report.html"}, "table", report.CommandCheck, []out{{"table", "report.html"}}, ""},
		{"unknown extension: default", []string{"report.out"}, "", report.CommandCheck, []out{{"table", "report.out"}}, ""},
		{"several", []string{"sarif=apkaudit.sarif", "markdown=comment.md", "html=report.html"}, "", report.CommandCheck,
			[]out{{"sarif", "apkaudit.sarif"}, {"markdown", "comment.md"}, {"html", "report.html"}}, ""},
		{"several and --format to stdout", []string{"sarif=a.sarif"}, "table", report.CommandCheck, []out{{"sarif", "a.sarif"}, {"table", "-"}}, ""},
		{"FORMAT=- is stdout", []string{"json=-", "sarif=a.sarif"}, "", report.CommandCheck, []out{{"json", "-"}, {"sarif", "a.sarif"}}, ""},
		{"a file with = in its name", []string{"out/a=b.json"}, "", report.CommandCheck, []out{{"json", "out/a=b.json"}}, ""},
		{"batch: .json is not JSON lines", []string{"results.json"}, "", report.CommandBatch, []out{{"jsonl", "results.json"}}, ""},
		{"batch default", nil, "", report.CommandBatch, []out{{"jsonl", "-"}}, ""},
		{"same file twice", []string{"json=a.out", "sarif=./a.out"}, "", report.CommandCheck, nil, "would both write"},
		{"stdout twice", []string{"json=-"}, "table", report.CommandCheck, nil, "both write standard output"},
		{"a format that cannot show it", []string{"sarif=x.sarif"}, "", report.CommandSDKDB, nil, "cannot show sdkdb output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			def := "table"
			if tt.cmd == report.CommandBatch {
				def = "jsonl"
			}
			format := tt.format
			if format == "" {
				format = "table"
			}
			got, err := outputs(tt.values, format, tt.format != "", tt.cmd, def)
			if tt.wantError != "" {
				require.ErrorContains(t, err, tt.wantError)
				return
			}
			require.NoError(t, err)
			var have []out
			for _, o := range got {
				have = append(have, out{o.renderer.Name(), o.path})
			}
			assert.Equal(t, tt.want, have)
		})
	}
}

// TestSeveralOutputs: one run writes SARIF, Markdown and HTML, each parsed
// back in its format, and the table to standard output when --format says so.
func TestSeveralOutputs(t *testing.T) {
	dir := t.TempDir()
	sarifFile, md, html, junit := filepath.Join(dir, "apkaudit.sarif"), filepath.Join(dir, "comment.md"), filepath.Join(dir, "report.html"), filepath.Join(dir, "junit.xml")
	code, out, stderr := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"),
		"--output", "sarif="+sarifFile, "--output", "markdown="+md, "--output", html, "--output", junit)
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, out, "every output named its file")
	read := func(p string) string {
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		return string(b)
	}
	assert.True(t, json.Valid([]byte(read(sarifFile))))
	assert.Contains(t, read(sarifFile), `"version": "2.1.0"`)
	assert.True(t, strings.HasPrefix(read(md), "### "), "markdown")
	assert.True(t, strings.HasPrefix(read(html), "<!DOCTYPE html>"), "the .html extension picked HTML")
	var v any
	require.NoError(t, xml.Unmarshal([]byte(read(junit)), &v), "the .xml extension picked JUnit")

	code, out, _ = run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--format", "table", "--output", "json="+filepath.Join(dir, "r.json"))
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Findings", "--format with FORMAT=FILE outputs also writes standard output")
	assert.True(t, json.Valid([]byte(read(filepath.Join(dir, "r.json")))))
}

// TestWriteBaselineExitsZero: recording a baseline succeeds, findings or not.
func TestWriteBaselineExitsZero(t *testing.T) {
	base := filepath.Join(t.TempDir(), "baseline.json")
	code, _, stderr := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--write-baseline", base, "--quiet")
	assert.Equal(t, 0, code, stderr)
	b, err := os.ReadFile(base)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"rule": "undisclosed-sdk"`)
}

// TestMarkdownMaxBytes: --max-bytes bounds the Markdown comment (default
// 60,000, under GitHub's 65,536), leaving out the lowest severities first.
func TestMarkdownMaxBytes(t *testing.T) {
	args := []string{"check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--format", "markdown"}
	_, full, _ := run(t, args...)
	require.Less(t, len(full), 60000)
	assert.NotContains(t, full, "left out")
	_, cut, _ := run(t, append(args, "--max-bytes", "3500")...)
	assert.LessOrEqual(t, len(cut), 3500)
	assert.Contains(t, cut, "findings of the lowest severities are left out to keep this comment under 3500 bytes")
	assert.Contains(t, cut, "undisclosed-permission", "the high findings stay")
	assert.NotContains(t, cut, "⚪ info |", "the info findings go first")
}

// TestChineseEvidence: under --lang zh the evidence, its kinds and the
// protection levels are Chinese in every format written for people.
func TestChineseEvidence(t *testing.T) {
	for _, format := range []string{"table", "markdown", "html", "junit"} {
		_, out, _ := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--lang", "zh", "--format", format, "--no-timestamp")
		for _, english := range []string{"no wording found", "dex-package", " classes)", "covered through", "not declared in", "no evidence of", "code scan:", "code-call ("} {
			assert.NotContains(t, out, english, format)
		}
		assert.Contains(t, strings.ReplaceAll(out, "\n", ""), "DEX包", format)
	}
	_, out, _ := run(t, "inspect", demo(t, "demo.apk"), "--lang", "zh")
	assert.Contains(t, out, "| 危险 ")
	assert.NotContains(t, out, "dangerous")
}
