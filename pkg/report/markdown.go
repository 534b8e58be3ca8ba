package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// markdownRenderer writes a compact summary for a merge-request comment: a
// counts line, a table of findings and the evidence folded in <details>.
// Inspect and policy results get short inventory tables instead.
type markdownRenderer struct{}

func (markdownRenderer) Name() string { return "markdown" }

func (markdownRenderer) Render(w io.Writer, results []*audit.Result, o Options) error {
	if err := checkResults(results); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw, o: o}
	for i, r := range results {
		if i > 0 {
			m.line("")
		}
		m.line("### %s: %s", o.t("report"), mdCode(artifactName(r)))
		m.line("")
		switch o.command(r) {
		case CommandPolicy:
			m.policy(r)
		case CommandCheck:
			m.check(r)
		default:
			m.inspect(r)
		}
	}
	if m.err != nil {
		return m.err
	}
	return bw.Flush()
}

type mdWriter struct {
	w   io.Writer
	o   Options
	err error
}

func (m *mdWriter) line(format string, args ...any) {
	if m.err == nil {
		_, m.err = fmt.Fprintf(m.w, format+"\n", args...)
	}
}

// table writes a Markdown table; cells are escaped here.
func (m *mdWriter) table(header []string, rows [][]string) {
	m.line("| %s |", strings.Join(header, " | "))
	seps := make([]string, len(header))
	for i := range seps {
		seps[i] = "---"
	}
	m.line("| %s |", strings.Join(seps, " | "))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = mdCell(c)
		}
		m.line("| %s |", strings.Join(cells, " | "))
	}
}

// mdEscaper neutralises HTML and the Markdown characters that could change a comment's structure.
var mdEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "#", `\#`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdCell escapes text for a table cell or a line.
func mdCell(s string) string {
	if s == "" {
		return "-"
	}
	return mdEscaper.Replace(s)
}

// mdCode wraps s in a code span; it drops backticks and newlines, which a span cannot hold safely.
func mdCode(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '`':
			return '\''
		case '\n', '\r':
			return ' '
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return "`" + s + "`"
}

func (m *mdWriter) check(r *audit.Result) {
	o := m.o
	fs := sortedFindings(r.Findings)
	m.line("**%s:** %s", o.t("summary"), mdCell(o.summaryLine(fs)))
	m.line("")
	if len(fs) == 0 {
		m.line("%s", o.t("no-findings"))
		return
	}
	var rows [][]string
	for _, f := range fs {
		sev := o.sev(f.Severity)
		if f.Waived {
			sev += " (" + o.t("waived") + ")"
		}
		rows = append(rows, []string{sev, f.Rule, f.Subject, o.message(f)})
	}
	m.table([]string{o.t("severity"), o.t("rule"), o.t("subject"), o.t("message")}, rows)
	m.line("")
	m.line("<details><summary>%s</summary>", mdCell(o.t("evidence")))
	m.line("")
	for _, f := range fs {
		m.line("- **%s** %s", mdCell(f.Rule), mdCode(f.Subject))
		if f.Waived {
			m.line("  - %s: %s", mdCell(o.t("waived")), mdCell(f.WaiverReason))
		}
		for _, e := range f.Evidence.Artifact {
			m.line("  - %s: %s", mdCell(o.t("artifact-evidence")), mdCell(e))
		}
		for _, e := range f.Evidence.Policy {
			m.line("  - %s: %s", mdCell(o.t("policy-evidence")), mdCell(e))
		}
		if f.Reference != "" {
			m.line("  - %s: %s", mdCell(o.t("reference")), mdCell(f.Reference))
		}
	}
	m.line("")
	m.line("</details>")
}

func (m *mdWriter) inspect(r *audit.Result) {
	o := m.o
	d := NewInspectDocument(r, o)
	m.line("**%s:** %s %s (%s), %s %d/%d, %s", o.t("app"), mdCode(d.App.Package), mdCell(d.App.VersionName),
		strconv.FormatInt(d.App.VersionCode, 10), "SDK", d.App.MinSDK, d.App.TargetSDK,
		mdCell(o.tf("code-summary", d.Code.DexFiles, d.Code.Classes, len(d.Code.Packages))))
	m.line("")
	var perms [][]string
	for _, p := range d.Permissions {
		if p.Sensitive {
			perms = append(perms, []string{p.Name, p.Protection, p.Zh})
		}
	}
	m.line("**%s** (%s: %d / %d)", o.t("permissions"), o.t("sensitive"), len(perms), len(d.Permissions))
	m.line("")
	if len(perms) > 0 {
		m.table([]string{o.t("permission"), o.t("protection"), o.t("zh-name")}, perms)
		m.line("")
	}
	var sdks [][]string
	for _, s := range d.SDKs {
		name := s.Name
		if o.zh() && s.NameZh != "" {
			name = s.NameZh
		}
		sdks = append(sdks, []string{s.ID, name, s.Vendor, evidenceSummary(o, r.SDKs, s.ID)})
	}
	m.line("**%s** (%d)", o.t("sdks"), len(sdks))
	m.line("")
	if len(sdks) > 0 {
		m.table([]string{o.t("id"), o.t("name"), o.t("vendor"), o.t("evidence")}, sdks)
		m.line("")
	}
	if len(d.Warnings) > 0 {
		m.line("<details><summary>%s (%d)</summary>", mdCell(o.t("warnings")), len(d.Warnings))
		m.line("")
		for _, w := range d.Warnings {
			m.line("- %s", mdCell(w))
		}
		m.line("")
		m.line("</details>")
	}
}

func (m *mdWriter) policy(r *audit.Result) {
	o := m.o
	p := newJSONPolicy(r.Disclosure)
	var docs []string
	for _, d := range p.Documents {
		docs = append(docs, mdCode(d.Path)+" ("+d.Format+")")
	}
	m.line("**%s:** %s", o.t("documents"), strings.Join(docs, ", "))
	m.line("")
	var perms [][]string
	for _, x := range p.Permissions {
		perms = append(perms, []string{x.Name, strings.Join(x.Phrases, ", "), lineRefs(x.Refs)})
	}
	m.line("**%s** (%d)", o.t("permissions"), len(perms))
	m.line("")
	if len(perms) > 0 {
		m.table([]string{o.t("permission"), o.t("phrases"), o.t("lines")}, perms)
		m.line("")
	}
	var rows [][]string
	for _, s := range p.SDKs {
		id := ""
		if s.ID != nil {
			id = *s.ID
		}
		rows = append(rows, []string{lineRefs([]JSONLineRef{{s.File, s.Line}}), id, s.Name, s.Company, s.Purpose, s.Data, s.PolicyURL})
	}
	m.line("**%s** (%d)", o.t("policy-sdks"), len(rows))
	m.line("")
	if !p.HasSDKList {
		m.line("%s", o.t("no-sdk-list"))
		m.line("")
	}
	if len(rows) > 0 {
		m.table([]string{o.t("line"), o.t("id"), o.t("name"), o.t("company"), o.t("purpose"), o.t("data"), o.t("policy-url")}, rows)
	}
}
