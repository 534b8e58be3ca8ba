package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// cellMax is the widest a table cell gets (in terminal columns) before it wraps.
const cellMax = 64

// tableRenderer writes sections of plain-text tables for a terminal.
//
// Borders are ASCII and East Asian ambiguous-width characters are measured as
// narrow, so the output is the same whatever the locale; CJK ideographs and
// full-width punctuation always count two columns, so Chinese cells align.
type tableRenderer struct{}

func (tableRenderer) Name() string { return "table" }

func (tableRenderer) Shows(c Command) bool { return shows(c, append(reports, CommandSDKDB)...) }

func (tableRenderer) Render(w io.Writer, v *View) error {
	switch {
	case v.Diff != nil:
		return writeDiffText(w, v, false)
	case v.Catalogue != nil:
		return v.Catalogue.writeTable(w)
	}
	bw := bufio.NewWriter(w)
	tp := &tablePrinter{w: bw, o: v.Options}
	for i, r := range v.Results {
		if i > 0 {
			tp.printf("\n")
		}
		if len(v.Results) > 1 {
			tp.printf("=== %s ===\n\n", cleanCell(r.Name))
		}
		if r.Policy != nil && r.Build == nil {
			tp.policy(r.Policy)
			continue
		}
		tp.build(r.Build)
		tp.findings(r)
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
	p.table(header, rows)
	p.printf("\n")
}

func (p *tablePrinter) table(header []string, rows [][]string) {
	if p.err != nil {
		return
	}
	t := tablewriter.NewTable(p.w,
		tablewriter.WithRendition(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)}),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowMaxWidth(cellMax),
		tablewriter.WithRowAutoWrap(tw.WrapNormal),
	)
	if header != nil {
		t.Header(toAny(header)...)
	}
	for _, r := range rows {
		if err := t.Append(toAny(cleanCells(r))...); err != nil {
			p.err = fmt.Errorf("report: table: %w", err)
			return
		}
	}
	if err := t.Render(); err != nil {
		p.err = fmt.Errorf("report: table: %w", err)
	}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// cleanCells replaces control characters (from hostile manifests or
// policies) so they cannot break the layout, and marks empty cells.
func cleanCells(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = cleanCell(c)
		if out[i] == "" {
			out[i] = "-"
		}
	}
	return out
}

// cleanCell replaces the control characters of s by spaces.
func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func (p *tablePrinter) build(b *Build) {
	o := p.o
	a := b.App
	p.printf("%s\n", o.t("app"))
	p.table(nil, [][]string{
		{o.t("artifact"), b.Artifact.Path},
		{o.t("kind"), b.Artifact.Kind},
		{o.t("sha256"), b.Artifact.SHA256},
		{o.t("package"), a.Package},
		{o.t("label"), a.Label},
		{o.t("version"), versionString(a)},
		{o.t("sdk-range"), fmt.Sprintf("%d / %d", a.MinSDK, a.TargetSDK)},
		{o.t("code"), o.tf("code-summary", b.Code.DexFiles, b.Code.Classes, len(b.Code.Packages))},
	})
	p.printf("\n")

	var perms [][]string
	for _, x := range b.Permissions {
		perms = append(perms, []string{x.Name, x.Protection, o.yesNo(x.Sensitive), x.Zh, o.usedByText(x.UsedBy)})
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
	p.printf("%s: %s\n\n", o.t("code-scan"), o.callScanText(b.Code.CallScan))

	if len(b.Code.ClassNames) > 0 {
		p.printf("%s\n", o.t("class-names"))
		for _, c := range b.Code.ClassNames {
			p.printf("  %s\n", cleanCell(c))
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
		p.printf("  - %s\n", cleanCell(w))
	}
	p.printf("\n")
}

func (p *tablePrinter) findings(r *Result) {
	o := p.o
	var rows [][]string
	for _, f := range r.Findings {
		rows = append(rows, []string{o.severityLabel(f), f.Rule, f.Subject, o.message(f.Finding)})
	}
	p.printf("%s\n", o.t("findings"))
	if len(rows) == 0 {
		p.printf("  %s\n\n", o.t("no-findings"))
	} else {
		p.table([]string{o.t("severity"), o.t("rule"), o.t("subject"), o.t("message")}, rows)
		p.printf("\n")
	}
	p.printf("%s: %s\n", o.t("summary"), o.verdict(r))
	if len(r.Notes) > 0 {
		p.printf("\n")
		p.list("notes", r.Notes)
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
		id := "-"
		if s.ID != nil {
			id = *s.ID
		}
		rows = append(rows, []string{lineRefs([]JSONLineRef{{s.File, s.Line}}), id, s.Name, s.Company, s.Purpose, s.Data, s.PolicyURL})
	}
	title := o.t("policy-sdks")
	if !jp.HasSDKList {
		title += " - " + o.t("no-sdk-list")
	}
	p.section(title, []string{o.t("line"), o.t("id"), o.t("name"), o.t("company"), o.t("purpose"), o.t("data"), o.t("policy-url")}, rows)

	if len(jp.DataTypes) > 0 {
		p.printf("%s: %s\n\n", o.t("data-types"), strings.Join(jp.DataTypes, ", "))
	}
	p.list("warnings", jp.Warnings)
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
