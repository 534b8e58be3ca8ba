package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// markdownRenderer writes a compact summary for a merge-request comment: a
// counts line, a table of findings and the evidence folded in <details>.
// Inspect and policy results get short inventory tables instead.
type markdownRenderer struct{}

func (markdownRenderer) Name() string { return "markdown" }

func (markdownRenderer) Shows(c Command) bool { return shows(c, reports...) }

func (markdownRenderer) Render(w io.Writer, v *View) error {
	if v.Diff != nil {
		return writeDiffText(w, v, true)
	}
	bw := bufio.NewWriter(w)
	m := &mdWriter{w: bw, o: v.Options}
	for i, r := range v.Results {
		if i > 0 {
			m.line("")
		}
		m.line("### %s: %s", m.o.t("report"), mdCode(r.Name))
		m.line("")
		if r.Build == nil {
			m.policy(r.Policy)
			continue
		}
		if r.Command == CommandCheck {
			m.findings(r)
			continue
		}
		m.build(r.Build)
		m.findings(r)
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

// findings writes the verdict, a table of findings and their evidence folded
// in <details>, and the notes about the configuration.
func (m *mdWriter) findings(r *Result) {
	o := m.o
	m.line("**%s:** %s", o.t("summary"), mdCell(o.verdict(r)))
	m.line("")
	m.notes(r.Notes)
	if len(r.Findings) == 0 {
		m.line("%s", o.t("no-findings"))
		return
	}
	var rows [][]string
	for _, f := range r.Findings {
		rows = append(rows, []string{o.severityLabel(f), f.Rule, f.Subject, o.message(f.Finding)})
	}
	m.table([]string{o.t("severity"), o.t("rule"), o.t("subject"), o.t("message")}, rows)
	m.line("")
	m.line("<details><summary>%s</summary>", mdCell(o.t("evidence")))
	m.line("")
	for _, f := range r.Findings {
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

// notes lists the notes about the configuration, when there are any.
func (m *mdWriter) notes(notes []string) {
	if len(notes) == 0 {
		return
	}
	m.line("**%s:**", m.o.t("notes"))
	m.line("")
	for _, n := range notes {
		m.line("- %s", mdCell(n))
	}
	m.line("")
}

func (m *mdWriter) build(d *Build) {
	o := m.o
	m.line("**%s:** %s %s (%s), %s %d/%d, %s", o.t("app"), mdCode(d.App.Package), mdCell(d.App.VersionName),
		strconv.FormatInt(d.App.VersionCode, 10), "SDK", d.App.MinSDK, d.App.TargetSDK,
		mdCell(o.tf("code-summary", d.Code.DexFiles, d.Code.Classes, len(d.Code.Packages))))
	m.line("")
	var perms [][]string
	for _, p := range d.Permissions {
		if p.Sensitive {
			perms = append(perms, []string{p.Name, p.Protection, p.Zh, o.usedByText(p.UsedBy)})
		}
	}
	m.line("**%s** (%s: %d / %d)", o.t("permissions"), o.t("sensitive"), len(perms), len(d.Permissions))
	m.line("")
	if len(perms) > 0 {
		m.table([]string{o.t("permission"), o.t("protection"), o.t("zh-name"), o.t("used-by")}, perms)
		m.line("")
	}
	var sdks [][]string
	for _, s := range d.SDKs {
		sdks = append(sdks, []string{s.ID, sdkName(o, s), versionCell(s), s.Vendor, evidenceText(o, s.Evidence)})
	}
	m.line("**%s** (%d)", o.t("sdks"), len(sdks))
	m.line("")
	if len(sdks) > 0 {
		m.table([]string{o.t("id"), o.t("name"), o.t("version"), o.t("vendor"), o.t("evidence")}, sdks)
		m.line("")
	}
	m.reads(d)
	if len(d.Warnings) > 0 {
		m.line("<details><summary>%s (%d)</summary>", mdCell(o.t("warnings")), len(d.Warnings))
		m.line("")
		for _, w := range d.Warnings {
			m.line("- %s", mdCell(w))
		}
		m.line("")
		m.line("</details>")
		m.line("")
	}
}

func (m *mdWriter) policy(p *JSONPolicy) {
	o := m.o
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

// reads writes the code reads and what the code scan covered.
func (m *mdWriter) reads(d *Build) {
	o := m.o
	m.line("**%s** (%d)", o.t("code-reads"), len(d.Code.Reads))
	m.line("")
	if len(d.Code.Reads) > 0 {
		m.table(o.readsHeader(), o.readRows(d.Code.Reads))
		m.line("")
	}
	m.line("%s: %s", o.t("code-scan"), mdCell(o.callScanText(d.Code.CallScan)))
	m.line("")
}
