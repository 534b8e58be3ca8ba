package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
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

func (tableRenderer) Render(w io.Writer, results []*audit.Result, o Options) error {
	if err := checkResults(results); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	tp := &tablePrinter{w: bw, o: o}
	for i, r := range results {
		if i > 0 {
			tp.printf("\n")
		}
		if len(results) > 1 {
			tp.printf("=== %s ===\n\n", artifactName(r))
		}
		switch o.command(r) {
		case CommandPolicy:
			tp.policy(r.Disclosure)
		case CommandCheck:
			tp.inspect(r)
			tp.findings(r.Findings)
		default:
			tp.inspect(r)
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

// cleanCells replaces control characters (from hostile manifests or policies) so they cannot break the layout.
func cleanCells(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = strings.Map(func(r rune) rune {
			if r < 0x20 || r == 0x7f {
				return ' '
			}
			return r
		}, c)
		if out[i] == "" {
			out[i] = "-"
		}
	}
	return out
}

func (p *tablePrinter) inspect(r *audit.Result) {
	o := p.o
	inv := r.Inventory
	if inv == nil {
		inv = &inventory.Inventory{}
	}
	a := inv.App
	p.printf("%s\n", o.t("app"))
	p.table(nil, [][]string{
		{o.t("artifact"), inv.Artifact.Path},
		{o.t("kind"), inv.Artifact.Kind},
		{o.t("sha256"), inv.Artifact.SHA256},
		{o.t("package"), a.Package},
		{o.t("label"), a.Label},
		{o.t("version"), versionString(a)},
		{o.t("sdk-range"), fmt.Sprintf("%d / %d", a.MinSDK, a.TargetSDK)},
		{o.t("code"), o.tf("code-summary", inv.Code.DexFiles, inv.Code.Classes, len(inv.Code.Packages))},
	})
	p.printf("\n")

	var perms [][]string
	for _, x := range jsonPermissions(inv.Permissions) {
		perms = append(perms, []string{x.Name, x.Protection, o.yesNo(x.Sensitive), x.Zh})
	}
	p.section(o.t("permissions"), []string{o.t("permission"), o.t("protection"), o.t("sensitive"), o.t("zh-name")}, perms)

	var sdks [][]string
	for _, s := range jsonSDKs(r.SDKs) {
		name := s.Name
		if o.zh() && s.NameZh != "" {
			name = s.NameZh
		}
		if s.Via != "" {
			name += " (" + o.tf("via", s.Via) + ")"
		}
		sdks = append(sdks, []string{s.ID, name, s.Vendor, evidenceSummary(o, r.SDKs, s.ID)})
	}
	p.section(o.t("sdks"), []string{o.t("id"), o.t("name"), o.t("vendor"), o.t("evidence")}, sdks)

	if o.Classes && len(inv.Code.ClassNames) > 0 {
		p.printf("%s\n", o.t("class-names"))
		for _, c := range sortedStrings(inv.Code.ClassNames) {
			p.printf("  %s\n", c)
		}
		p.printf("\n")
	}
	if len(inv.Unanalysed) > 0 {
		var rows [][]string
		for _, u := range inv.Unanalysed {
			rows = append(rows, []string{u.Path, u.Reason})
		}
		p.section(o.t("unanalysed"), []string{o.t("path"), o.t("message")}, rows)
	}
	p.warnings(inv.Warnings)
}

// evidenceSummary is "dex-package com/umeng/analytics (120); meta-data UMENG_APPKEY", at most three items.
func evidenceSummary(o Options, ds []sdk.Detection, id string) string {
	for _, d := range ds {
		if d.Entry == nil || d.Entry.ID != id {
			continue
		}
		ev := sortedEvidence(d.Evidence)
		var parts []string
		for i, e := range ev {
			if i == 3 {
				parts = append(parts, o.tf("more", len(ev)-3))
				break
			}
			s := e.Kind + " " + e.Value
			if e.Count > 1 {
				s += " (" + strconv.Itoa(e.Count) + ")"
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

func (p *tablePrinter) warnings(ws []inventory.Warning) {
	if len(ws) == 0 {
		return
	}
	p.printf("%s\n", p.o.t("warnings"))
	for _, w := range ws {
		p.printf("  - %s\n", cleanCells([]string{w.String()})[0])
	}
	p.printf("\n")
}

func (p *tablePrinter) findings(fs []audit.Finding) {
	o := p.o
	var rows [][]string
	for _, f := range sortedFindings(fs) {
		sev := o.sev(f.Severity)
		if f.Waived {
			sev += " (" + o.t("waived") + ")"
		}
		rows = append(rows, []string{sev, f.Rule, f.Subject, o.message(f)})
	}
	p.printf("%s\n", o.t("findings"))
	if len(rows) == 0 {
		p.printf("  %s\n\n", o.t("no-findings"))
	} else {
		p.table([]string{o.t("severity"), o.t("rule"), o.t("subject"), o.t("message")}, rows)
		p.printf("\n")
	}
	p.printf("%s: %s\n", o.t("summary"), o.summaryLine(fs))
}

func (p *tablePrinter) policy(d *policy.Disclosure) {
	o := p.o
	jp := newJSONPolicy(d)
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
	if len(jp.Warnings) > 0 {
		p.printf("%s\n", o.t("warnings"))
		for _, w := range jp.Warnings {
			p.printf("  - %s\n", cleanCells([]string{w})[0])
		}
		p.printf("\n")
	}
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
func versionString(a inventory.App) string {
	if a.VersionName == "" && a.VersionCode == 0 {
		return ""
	}
	return fmt.Sprintf("%s (%d)", a.VersionName, a.VersionCode)
}
