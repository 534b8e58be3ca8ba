package report

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// The README's rule reference is written from the rule table, so that the
// page every SARIF helpUri opens says what the reports say.
var updateReadme = flag.Bool("update-readme", false, "rewrite the README's rule reference from the rule table")

const (
	rulesBegin = "<!-- rules:begin -->\n"
	rulesEnd   = "<!-- rules:end -->"
)

// readmeRules is the rule reference: a heading per rule (GitHub's anchor of
// "#### unanalysed-code" is #unanalysed-code, HelpURI's fragment), its
// titles, help, fix, default severity, precision and security-severity.
func readmeRules() string {
	var b strings.Builder
	for _, ri := range audit.Rules() {
		t := LookupRuleText(ri.ID)
		fmt.Fprintf(&b, "#### %s\n\n", ri.ID)
		fmt.Fprintf(&b, "**%s** (%s). %s\n\n", t.Title, t.TitleZh, t.Help)
		fmt.Fprintf(&b, "*Fix:* %s\n\n", strings.ReplaceAll(strings.ReplaceAll(t.Fix, "the {subject}", "{subject}"), "{subject}", "the subject"))
		ss := securitySeverity(ri.Default)
		if ss == "" {
			ss = "none"
		}
		fmt.Fprintf(&b, "Default severity %s; precision %s; security-severity %s; side: %s. Reference: %s\n\n",
			ri.Default, t.Precision, ss, t.Side, ri.Reference)
	}
	return b.String()
}

// TestREADMERules: the README's rule reference is what the rule table says,
// with a heading for every rule a SARIF helpUri points at. Refresh it with
// go test ./pkg/report -run TestREADMERules -update-readme.
func TestREADMERules(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	s := string(b)
	i, j := strings.Index(s, rulesBegin), strings.Index(s, rulesEnd)
	require.True(t, i >= 0 && j > i, "README.md lacks the %q … %q markers", rulesBegin, rulesEnd)
	want := s[:i+len(rulesBegin)] + readmeRules() + s[j:]
	if *updateReadme {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		return
	}
	if want != s {
		t.Fatal("README.md's rule reference is not what pkg/report/rules.go says: go test ./pkg/report -run TestREADMERules -update-readme")
	}
	for _, ri := range audit.Rules() {
		_, anchor, _ := strings.Cut(HelpURI(ri.ID), "#")
		require.Contains(t, s, "\n#### "+anchor+"\n", "the heading %s's helpUri points at", ri.ID)
	}
}
