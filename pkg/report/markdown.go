package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// markdownRenderer writes a summary for a merge-request comment or a job
// summary: the app, the verdict, the findings with severity marks (info
// findings folded away) and their policy lines as file:line, the evidence
// folded in <details>, and, for check, the policy's SDK rows with their
// links. Inspect and policy results get short inventory tables. Every text
// goes through markdownText or markdownCode.
//
// A comment has a size limit (GitHub's is 65,536 characters): past
// Options.MaxBytes the lowest-severity findings are left out, as few as
// needed, and a note says how many.
type markdownRenderer struct{}

func (markdownRenderer) Name() string { return "markdown" }

func (markdownRenderer) Extensions() []string { return []string{".md", ".markdown"} }

func (markdownRenderer) Shows(c Command) bool { return shows(c, reports...) }

func (markdownRenderer) Render(w io.Writer, v *View) error {
	if v.Diff != nil {
		return writeDiffText(w, v, true)
	}
	out, err := markdownWithin(v)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// severityMarks are the marks of the severities: they read at a glance in
// a comment and survive copy and paste.
var severityMarks = map[audit.Severity]string{audit.High: "🔴", audit.Medium: "🟠", audit.Low: "🔵", audit.Info: "⚪"}

// markdownWithin renders v, leaving out the fewest lowest-severity findings
// that keep it within v.Options.MaxBytes (no limit when 0). It searches the
// number to leave out, so it renders O(log n) times.
func markdownWithin(v *View) ([]byte, error) {
	full, err := markdownDoc(v, nil)
	if err != nil || v.Options.MaxBytes <= 0 || len(full) <= v.Options.MaxBytes {
		return full, err
	}
	// The findings in the order they are left out: lowest severity first,
	// then from the end of each result's list.
	type ref struct{ r, f int }
	var order []ref
	for ri, r := range v.Results {
		for fi := range r.Findings {
			order = append(order, ref{ri, fi})
		}
	}
	slices.SortStableFunc(order, func(a, b ref) int {
		fa, fb := v.Results[a.r].Findings[a.f], v.Results[b.r].Findings[b.f]
		if fa.Severity != fb.Severity {
			return int(fa.Severity) - int(fb.Severity)
		}
		return b.f - a.f
	})
	cut := func(n int) ([]byte, error) {
		drop := map[ref]bool{}
		for _, x := range order[:n] {
			drop[x] = true
		}
		return markdownDoc(v, func(ri, fi int) bool { return !drop[ref{ri, fi}] })
	}
	lo, hi := 1, len(order) // the smallest n in [lo, hi] that fits, if any
	var best []byte
	for lo <= hi {
		mid := (lo + hi) / 2
		out, err := cut(mid)
		if err != nil {
			return nil, err
		}
		if len(out) <= v.Options.MaxBytes {
			best, hi = out, mid-1
		} else {
			lo = mid + 1
		}
	}
	if best != nil {
		return best, nil
	}
	// Even with every finding left out the rest is too long: cut it at a
	// line, and say so.
	out, err := cut(len(order))
	if err != nil {
		return nil, err
	}
	note := "\n\n" + markdownText(v.Options.tf("md-truncated", v.Options.MaxBytes)) + "\n"
	limit := max(v.Options.MaxBytes-len(note), 0)
	if i := bytes.LastIndexByte(out[:limit], '\n'); i >= 0 {
		limit = i
	}
	for limit > 0 && !utf8.Valid(out[:limit]) {
		limit--
	}
	return append(out[:limit:limit], note...), nil
}

// markdownDoc renders v with the findings keep accepts (all when nil).
func markdownDoc(v *View, keep func(result, finding int) bool) ([]byte, error) {
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	m := &mdWriter{w: bw, o: v.Options}
	for i, r := range v.Results {
		if i > 0 {
			m.line("")
		}
		m.line("### %s: %s", m.o.t("report"), m.title(r))
		m.line("")
		if r.Build == nil {
			m.policy(r.Policy)
			continue
		}
		var kept []Finding
		for fi, f := range r.Findings {
			if keep == nil || keep(i, fi) {
				kept = append(kept, f)
			}
		}
		if r.Command != CommandCheck {
			m.build(r.Build)
		}
		m.findings(r, kept, len(r.Findings)-len(kept))
		if r.Command == CommandCheck && r.Policy != nil {
			m.policyRows(r.Policy)
		}
	}
	if m.err != nil {
		return nil, m.err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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

// title names a result's app: label, `package` and version, else the
// artifact or documents.
func (m *mdWriter) title(r *Result) string {
	if b := r.Build; b != nil && b.App.Package != "" {
		t := mdCode(b.App.Package)
		if b.App.Label != "" {
			t = markdownText(b.App.Label) + " " + t
		}
		if v := versionString(b.App); v != "" {
			t += " " + markdownText(v)
		}
		return t
	}
	return mdCode(r.Name)
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

// mdCell escapes text for a table cell or a line (markdownText).
func mdCell(s string) string {
	if s == "" {
		return "-"
	}
	return markdownText(s)
}

// mdCode wraps s in a code span (markdownCode).
func mdCode(s string) string {
	s = markdownCode(s)
	if s == "" {
		return "-"
	}
	return "`" + s + "`"
}

// mdRefs is the policy lines a finding rests on as code spans
// (`privacy.html:42`), else the policy evidence in words.
func (m *mdWriter) mdRefs(f Finding) string {
	var refs []string
	for _, r := range f.Refs {
		refs = append(refs, mdCode(baseName(r.File)+":"+strconv.Itoa(r.Line)))
	}
	if len(refs) > 0 {
		return strings.Join(refs, ", ")
	}
	if _, pol := m.o.evidence(f.Finding); len(pol) > 0 {
		return mdCell(pol[0])
	}
	return "-"
}

// findingRows are the table rows of fs: severity mark, rule, subject,
// message and policy lines (already escaped).
func (m *mdWriter) findingRows(fs []Finding) {
	o := m.o
	m.line("| %s | %s | %s | %s | %s |", o.t("severity"), o.t("rule"), o.t("subject"), o.t("message"), o.t("policy-evidence"))
	m.line("| --- | --- | --- | --- | --- |")
	for _, f := range fs {
		m.line("| %s %s | %s | %s | %s | %s |", severityMarks[f.Severity], mdCell(o.severityLabel(f)), mdCell(f.Rule),
			mdCode(f.Subject), mdCell(o.message(f.Finding)), m.mdRefs(f))
	}
}

// findings writes the verdict, the findings above info in a table and the
// info ones folded, their evidence folded in <details>, the note on what
// the size limit left out, and the notes about the configuration.
func (m *mdWriter) findings(r *Result, fs []Finding, left int) {
	o := m.o
	s := r.Summary
	counts := fmt.Sprintf("%s %s · %s %s · %s %s · %s %s", severityMarks[audit.High], o.tf("n-high", s.High),
		severityMarks[audit.Medium], o.tf("n-medium", s.Medium), severityMarks[audit.Low], o.tf("n-low", s.Low),
		severityMarks[audit.Info], o.tf("n-info", s.Info))
	m.line("**%s:** %s", o.t("summary"), mdCell(o.verdictWith(r, counts)))
	m.line("")
	m.notes(r.Notes)
	if left > 0 {
		m.line("> %s", mdCell(o.tf("md-cut", left, o.MaxBytes)))
		m.line("")
	}
	if len(fs) == 0 {
		if left == 0 {
			m.line("%s", o.t("no-findings"))
		}
		return
	}
	var main, info []Finding
	for _, f := range fs {
		if f.Severity == audit.Info {
			info = append(info, f)
		} else {
			main = append(main, f)
		}
	}
	if len(main) > 0 {
		m.findingRows(main)
		m.line("")
	}
	if len(info) > 0 {
		m.line("<details><summary>%s %s</summary>", severityMarks[audit.Info], mdCell(o.tf("info-findings", len(info))))
		m.line("")
		m.findingRows(info)
		m.line("")
		m.line("</details>")
		m.line("")
	}
	m.line("<details><summary>%s</summary>", mdCell(o.t("evidence")))
	m.line("")
	for _, f := range fs {
		m.line("- **%s** %s", mdCell(f.Rule), mdCode(f.Subject))
		if f.Waived {
			m.line("  - %s: %s", mdCell(o.t("waived")), mdCell(f.WaiverReason))
		}
		art, pol := o.evidence(f.Finding)
		for _, e := range art {
			m.line("  - %s: %s", mdCell(o.t("artifact-evidence")), mdCell(e))
		}
		for _, e := range pol {
			m.line("  - %s: %s", mdCell(o.t("policy-evidence")), mdCell(e))
		}
		if fix := o.fix(f); fix != "" {
			m.line("  - %s: %s", mdCell(o.t("fix")), mdCell(fix))
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
			perms = append(perms, []string{p.Name, o.protection(p.Protection), p.Zh, o.usedByText(p.UsedBy)})
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

// policyRows folds, after a check's findings, the policy's SDK rows with
// the link each gives.
func (m *mdWriter) policyRows(p *JSONPolicy) {
	if len(p.SDKs) == 0 {
		return
	}
	o := m.o
	var rows [][]string
	for _, s := range p.SDKs {
		rows = append(rows, []string{lineRefs([]JSONLineRef{{s.File, s.Line}}), policyRowID(s), s.Name, s.Company, s.PolicyURL})
	}
	m.line("")
	m.line("<details><summary>%s (%d)</summary>", mdCell(o.t("policy-sdks")), len(rows))
	m.line("")
	m.table([]string{o.t("line"), o.t("id"), o.t("name"), o.t("company"), o.t("policy-url")}, rows)
	m.line("")
	m.line("</details>")
}

func (m *mdWriter) policy(p *JSONPolicy) {
	o := m.o
	var docs []string
	for _, d := range p.Documents {
		docs = append(docs, mdCode(d.Path)+" ("+markdownText(d.Format)+")")
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
