package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// tableRenderer writes a report for people at a terminal: the verdict and
// the findings first, with their evidence on both sides, then the build's
// inventory (app, permissions, SDKs) and, for check, the policy's SDK list.
// Tables fit Options.Width (termtable.go); with Options.Color severities and
// the verdict are coloured. Every text goes through terminalText.
type tableRenderer struct{}

func (tableRenderer) Name() string { return "table" }

func (tableRenderer) Extensions() []string { return []string{".txt"} }

func (tableRenderer) Shows(c Command) bool { return shows(c, append(reports, CommandSDKDB)...) }

func (tableRenderer) Render(w io.Writer, v *View) error {
	switch {
	case v.Diff != nil:
		return writeDiffText(w, v, false)
	case v.Catalogue != nil:
		return v.Catalogue.writeTable(w, v.Options)
	}
	bw := bufio.NewWriter(w)
	tp := &tablePrinter{w: bw, o: v.Options}
	for i, r := range v.Results {
		if i > 0 {
			tp.printf("\n")
		}
		if len(v.Results) > 1 {
			tp.text("", "=== "+r.Name+" ===")
			tp.printf("\n")
		}
		if r.Policy != nil && r.Build == nil {
			tp.policy(r.Policy)
			continue
		}
		tp.heading(r)
		tp.findings(r)
		tp.build(r.Build)
		if r.Command == CommandCheck && r.Policy != nil {
			tp.policyRows(r.Policy)
		}
	}
	if tp.err != nil {
		return tp.err
	}
	return bw.Flush()
}

// tablePrinter writes sections and remembers the first error.
type tablePrinter struct {
	w   io.Writer
	o   Options
	err error
}

func (p *tablePrinter) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

// section prints a heading, then a table with header and rows (or "none").
func (p *tablePrinter) section(title string, header []string, rows [][]string) {
	p.printf("%s\n", title)
	if len(rows) == 0 {
		p.printf("  (%s)\n\n", p.o.t("none"))
		return
	}
	p.table(termTable{header: header, rows: rows})
	p.printf("\n")
}

// table prints t, its cells sanitised, fitting the width.
func (p *tablePrinter) table(t termTable) {
	if p.err != nil {
		return
	}
	rows := make([][]string, len(t.rows))
	for i, r := range t.rows {
		rows[i] = cleanCells(r)
	}
	t.rows = rows
	p.err = t.write(p.w, p.o.Width, p.o.Color)
}

// cleanCells sanitises each cell (cleanCell) and marks empty cells.
func cleanCells(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		lines := strings.Split(c, "\n") // a cell's own line breaks are layout
		for j, l := range lines {
			lines[j] = cleanCell(l)
		}
		out[i] = strings.Join(lines, "\n")
		if out[i] == "" {
			out[i] = "-"
		}
	}
	return out
}

// cleanCell is s as a terminal may show it (terminalText): controls (from
// hostile manifests or policies) escaped, so they can neither break the
// layout nor drive the terminal.
func cleanCell(s string) string { return terminalText(s) }

// colored wraps s in sgr when colour is on.
func (p *tablePrinter) colored(sgr, s string) string {
	if !p.o.Color || sgr == "" {
		return s
	}
	return sgr + s + sgrReset
}

// heading names the app the result is about: label, package, version, and
// the artifact.
func (p *tablePrinter) heading(r *Result) {
	b := r.Build
	if b == nil {
		return
	}
	var parts []string
	for _, s := range []string{b.App.Label, b.App.Package, versionString(b.App), b.Artifact.Path} {
		if s != "" {
			parts = append(parts, cleanCell(s))
		}
	}
	if len(parts) > 0 {
		p.text("", strings.Join(parts, " · "))
	}
}

// findings prints the verdict, the findings with their evidence, and the
// notes about the configuration.
func (p *tablePrinter) findings(r *Result) {
	o := p.o
	style := sgrPass
	if r.Fails {
		style = sgrFail
	}
	p.text("", o.t("summary")+": "+o.verdict(r), style)
	p.printf("\n")
	p.printf("%s\n", o.t("findings"))
	if len(r.Findings) == 0 {
		p.printf("  %s\n\n", o.t("no-findings"))
	} else {
		var rows [][]string
		for _, f := range r.Findings {
			rows = append(rows, []string{o.severityLabel(f), f.Rule + "\n" + f.Subject, o.message(f.Finding), o.evidenceCell(f)})
		}
		fs := r.Findings
		p.table(termTable{
			header: []string{o.t("severity"), o.t("rule") + " / " + o.t("subject"), o.t("message"), o.t("evidence")},
			rows:   rows,
			style: func(row, col int) string {
				if col != 0 {
					return ""
				}
				if fs[row].Waived {
					return sgrInfo
				}
				return severityStyle(fs[row].Severity.String())
			},
		})
		p.printf("\n")
	}
	p.list("notes", r.Notes)
}

// evidenceCell is a finding's evidence in a few lines: what in the build
// (at most maxEvidence lines) and where in the policy (file:line, or why
// there is no line).
func (o Options) evidenceCell(f Finding) string {
	art, pol := o.evidence(f.Finding)
	var lines []string
	for i, a := range art {
		if i == maxEvidence {
			lines = append(lines, o.tf("more", len(art)-maxEvidence))
			break
		}
		lines = append(lines, o.t("build-side")+": "+a)
	}
	switch {
	case len(f.Refs) > 0:
		var refs []JSONLineRef
		for _, r := range f.Refs {
			refs = append(refs, JSONLineRef{r.File, r.Line})
		}
		lines = append(lines, o.t("policy-side")+": "+lineRefs(refs))
	case len(pol) > 0:
		lines = append(lines, o.t("policy-side")+": "+pol[0])
	}
	return strings.Join(lines, "\n")
}

// maxEvidence is how many build-side evidence lines a finding's cell shows.
const maxEvidence = 2

func (p *tablePrinter) build(b *Build) {
	o := p.o
	a := b.App
	p.printf("%s\n", o.t("app"))
	p.table(termTable{rows: [][]string{
		{o.t("label"), a.Label},
		{o.t("package"), a.Package},
		{o.t("version"), versionString(a)},
		{o.t("sdk-range"), fmt.Sprintf("%d / %d", a.MinSDK, a.TargetSDK)},
		{o.t("artifact"), b.Artifact.Path},
		{o.t("kind"), b.Artifact.Kind},
		{o.t("sha256"), b.Artifact.SHA256},
		{o.t("code"), o.tf("code-summary", b.Code.DexFiles, b.Code.Classes, len(b.Code.Packages))},
	}})
	p.printf("\n")

	var perms [][]string
	for _, x := range b.Permissions {
		perms = append(perms, []string{x.Name, o.protection(x.Protection), o.yesNo(x.Sensitive), x.Zh, o.usedByText(x.UsedBy)})
	}
	p.section(o.t("permissions"), []string{o.t("permission"), o.t("protection"), o.t("sensitive"), o.t("zh-name"), o.t("used-by")}, perms)

	var sdks [][]string
	for _, s := range b.SDKs {
		name := sdkName(o, s)
		if s.Via != "" {
			name += " (" + o.tf("via", s.Via) + ")"
		}
		sdks = append(sdks, []string{s.ID, name, versionCell(s), s.Vendor, evidenceText(o, s.Evidence)})
	}
	p.section(o.t("sdks"), []string{o.t("id"), o.t("name"), o.t("version"), o.t("vendor"), o.t("evidence")}, sdks)
	if len(b.Native) > 0 {
		var rows [][]string
		for _, l := range b.Native {
			rows = append(rows, nativeRow(l))
		}
		p.section(o.t("native"), []string{o.t("path"), o.t("abi"), o.t("soname"), o.t("jni-classes")}, rows)
	}
	p.section(o.t("code-reads"), o.readsHeader(), o.readRows(b.Code.Reads))
	p.text("", o.t("code-scan")+": "+o.callScanText(b.Code.CallScan))
	p.printf("\n")

	if len(b.Code.ClassNames) > 0 {
		p.printf("%s\n", o.t("class-names"))
		for _, c := range b.Code.ClassNames {
			p.text("  ", c)
		}
		p.printf("\n")
	}
	if len(b.Unanalysed) > 0 {
		var rows [][]string
		for _, u := range b.Unanalysed {
			rows = append(rows, []string{u.Path, u.Reason})
		}
		p.section(o.t("unanalysed"), []string{o.t("path"), o.t("message")}, rows)
	}
	p.list("warnings", b.Warnings)
}

// list prints a heading and one line per item, nothing when there is none.
func (p *tablePrinter) list(title string, items []string) {
	if len(items) == 0 {
		return
	}
	p.printf("%s\n", p.o.t(title))
	for _, w := range items {
		p.text("  - ", cleanCell(w))
	}
	p.printf("\n")
}

// text prints s (sanitised) wrapped to the width, the first line after
// prefix and the others indented as far; with style, coloured.
func (p *tablePrinter) text(prefix, s string, style ...string) {
	w := p.o.Width
	if w <= 0 {
		w = defaultWidth
	}
	indent := strings.Repeat(" ", textWidth(prefix))
	for i, line := range wrapText(cleanCell(s), max(w-len(indent), 10)) {
		lead := prefix
		if i > 0 {
			lead = indent
		}
		if len(style) > 0 {
			line = p.colored(style[0], line)
		}
		p.printf("%s%s\n", lead, line)
	}
}

func (p *tablePrinter) policy(jp *JSONPolicy) {
	o := p.o
	var docs [][]string
	for _, x := range jp.Documents {
		docs = append(docs, []string{x.Path, x.Format, strconv.Itoa(x.Chars)})
	}
	p.section(o.t("documents"), []string{o.t("path"), o.t("format"), o.t("chars")}, docs)

	var perms [][]string
	for _, x := range jp.Permissions {
		perms = append(perms, []string{x.Name, strings.Join(x.Phrases, ", "), lineRefs(x.Refs)})
	}
	p.section(o.t("permissions"), []string{o.t("permission"), o.t("phrases"), o.t("lines")}, perms)

	var rows [][]string
	for _, s := range jp.SDKs {
		rows = append(rows, []string{lineRefs([]JSONLineRef{{s.File, s.Line}}), policyRowID(s), s.Name, s.Company, s.Purpose, s.Data, s.PolicyURL})
	}
	p.section(p.sdkListTitle(jp), []string{o.t("line"), o.t("id"), o.t("name"), o.t("company"), o.t("purpose"), o.t("data"), o.t("policy-url")}, rows)

	if len(jp.DataTypes) > 0 {
		p.text("", o.t("data-types")+": "+strings.Join(jp.DataTypes, ", "))
		p.printf("\n")
	}
	p.list("warnings", jp.Warnings)
}

// policyRows prints, after a check's inventory, the rows of the policy's
// SDK list with the link each gives (a row without one is what
// incomplete-sdk-disclosure reports).
func (p *tablePrinter) policyRows(jp *JSONPolicy) {
	o := p.o
	var rows [][]string
	for _, s := range jp.SDKs {
		rows = append(rows, []string{lineRefs([]JSONLineRef{{s.File, s.Line}}), policyRowID(s), s.Name, s.Company, s.PolicyURL})
	}
	p.section(p.sdkListTitle(jp), []string{o.t("line"), o.t("id"), o.t("name"), o.t("company"), o.t("policy-url")}, rows)
	p.list("warnings", jp.Warnings)
}

func (p *tablePrinter) sdkListTitle(jp *JSONPolicy) string {
	title := p.o.t("policy-sdks")
	if !jp.HasSDKList {
		title += " - " + p.o.t("no-sdk-list")
	}
	return title
}

// policyRowID is a policy row's catalogue id, "-" when it matches none.
func policyRowID(s JSONPolicySDK) string {
	if s.ID != nil {
		return *s.ID
	}
	return "-"
}

// lineRefs is "privacy.html:42, 57; sdk-list.md:5": line numbers grouped by file, in order.
func lineRefs(refs []JSONLineRef) string {
	var parts []string
	last := ""
	for _, r := range refs {
		if r.Line <= 0 {
			continue
		}
		if r.File == last && len(parts) > 0 {
			parts[len(parts)-1] += ", " + strconv.Itoa(r.Line)
			continue
		}
		last = r.File
		parts = append(parts, baseName(r.File)+":"+strconv.Itoa(r.Line))
	}
	return strings.Join(parts, "; ")
}

// baseName is the last element of a slash- or backslash-separated path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// versionString is "3.2.1 (321)", or "" when the manifest gave neither.
func versionString(a JSONApp) string {
	if a.VersionName == "" && a.VersionCode == 0 {
		return ""
	}
	return fmt.Sprintf("%s (%d)", a.VersionName, a.VersionCode)
}
