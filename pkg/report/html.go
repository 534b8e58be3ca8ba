package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

//go:embed templates/report.html.tmpl
var templateFS embed.FS

// htmlTemplate is parsed on first use (not at every start of the CLI) and
// once; html/template escapes every value by context.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report.html.tmpl").ParseFS(templateFS, "templates/report.html.tmpl"))
})

// htmlRenderer writes one self-contained HTML page (inline CSS and a little
// inline JavaScript, no external assets) in the report language.
type htmlRenderer struct{}

func (htmlRenderer) Name() string { return "html" }

func (htmlRenderer) Extensions() []string { return []string{".html", ".htm"} }

func (htmlRenderer) Shows(c Command) bool { return shows(c, reports...) }

func (htmlRenderer) Render(w io.Writer, v *View) error {
	var buf bytes.Buffer
	// html/template escapes markup; the invisible characters are escaped first.
	if err := htmlTemplate().Execute(&buf, withStrings(newHTMLPage(v), visibleText)); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// htmlPage is the template's view model.
type htmlPage struct {
	Lang string // the <html lang> value
	T    map[string]string
	// Title is the <title>; Heading and Subheading name the app (label,
	// package, version) and what the page is, Artifact the file.
	Title, Heading, Subheading, Artifact string
	Tool                                 JSONTool
	// Generated is the report time in the reader's zone (Asia/Shanghai for
	// zh, UTC otherwise; the browser shows its own zone), GeneratedISO the
	// same instant in RFC 3339 UTC for <time datetime>.
	Generated, GeneratedISO string
	Sections                []htmlSection
}

type htmlSection struct {
	ID          string
	Name        string
	Build       *Build
	Code        string
	Permissions []htmlPermission
	SDKs        []htmlSDK
	// FixFirst are the unwaived high findings, one line each on what to change.
	FixFirst []htmlFix
	Policy   *JSONPolicy
	Diff     *htmlDiff
	Checked  bool // the section has findings, counts and a verdict
	Findings []htmlFinding
	Counts   []htmlCount
	Summary  string
	Failing  bool
	Notes    []string
	Rules    []htmlRule
	// UsedBy is each permission's used_by in the report language, in
	// Build.Permissions order; Reads the code-reads table; CallScan what
	// the code scan covered.
	UsedBy      []string
	ReadsHeader []string
	Reads       [][]string
	CallScan    string
}

type htmlSDK struct {
	JSONSDK
	Display  string
	Evidence []htmlEvidence
}

type htmlEvidence struct {
	JSONEvidence
	KindLabel string // the kind in the report language
}

type htmlPermission struct {
	JSONPermission
	ProtectionLabel string // the protection level in the report language
}

// htmlFix is one line of the fix-first list.
type htmlFix struct {
	Rule, Subject, Fix, Anchor string
}

// htmlDiff is the changes of a diff, one line per item.
type htmlDiff struct {
	Versions                 string
	Added, Removed, SDKRange []htmlChange
	// SDKVersions are the SDKs of both builds whose versions changed.
	SDKVersions []htmlChange
}

type htmlChange struct {
	Text        string
	Undisclosed bool
}

type htmlCount struct {
	Sev   string
	Label string
	N     int
}

type htmlFinding struct {
	Sev          string
	SevLabel     string
	Rule         string
	RuleTitle    string
	Subject      string
	Message      string
	AltMessage   string
	Artifact     []string
	Policy       []string
	Reference    string
	Waived       bool
	WaiverReason string
	Fails        bool
}

type htmlRule struct {
	ID, Title, Help, Reference string
}

func newHTMLPage(v *View) *htmlPage {
	o := v.Options
	p := &htmlPage{Lang: "en", T: map[string]string{}, Tool: jsonTool(o)}
	if o.zh() {
		p.Lang = "zh-CN"
	}
	for k := range labels {
		p.T[strings.ReplaceAll(k, "-", "_")] = o.t(k)
	}
	if now := o.now(); !now.IsZero() {
		p.GeneratedISO = now.UTC().Format(time.RFC3339)
		p.Generated = o.tf("generated", o.readerTime(now))
	}
	p.Title = o.t("report")
	p.Subheading = o.t("report")
	if d := v.Diff; d != nil {
		p.Title = o.t("diff-title")
		s := newHTMLSection(0, d.Result, o)
		s.Name, s.Build, s.Policy, s.SDKs, s.Permissions = d.New.Path, nil, nil, nil, nil
		p.Heading, p.Artifact = appTitle(d.Result), d.New.Path
		p.Subheading = o.t("diff-title")
		s.Checked = d.PolicyChecked
		s.Diff = newHTMLDiff(d, o)
		p.Sections = append(p.Sections, s)
		return p
	}
	if len(v.Results) == 1 {
		r := v.Results[0]
		p.Heading, p.Artifact = appTitle(r), r.Name
		p.Title = p.Heading + " - " + o.t("report")
	}
	for i, r := range v.Results {
		p.Sections = append(p.Sections, newHTMLSection(i, r, o))
	}
	return p
}

func newHTMLSection(i int, r *Result, o Options) htmlSection {
	s := htmlSection{ID: "r" + strconv.Itoa(i), Name: r.Name, Build: r.Build, Policy: r.Policy, Notes: r.Notes}
	if b := r.Build; b != nil {
		s.Code = o.tf("code-summary", b.Code.DexFiles, b.Code.Classes, len(b.Code.Packages))
		for _, p := range b.Permissions {
			s.Permissions = append(s.Permissions, htmlPermission{p, o.protection(p.Protection)})
		}
		for _, d := range b.SDKs {
			name := sdkName(o, d)
			if d.Via != "" {
				name += " (" + o.tf("via", d.Via) + ")"
			}
			sdk := htmlSDK{JSONSDK: d, Display: name}
			for _, e := range d.Evidence {
				sdk.Evidence = append(sdk.Evidence, htmlEvidence{e, o.evidenceKind(e.Kind)})
			}
			s.SDKs = append(s.SDKs, sdk)
		}
		for _, p := range b.Permissions {
			s.UsedBy = append(s.UsedBy, o.usedByText(p.UsedBy))
		}
		s.ReadsHeader, s.Reads, s.CallScan = o.readsHeader(), o.readRows(b.Code.Reads), o.callScanText(b.Code.CallScan)
	}
	if r.Findings == nil {
		return s
	}
	s.Checked = true
	sum := r.Summary
	s.Counts = []htmlCount{
		{"high", o.sev(audit.High), sum.High},
		{"medium", o.sev(audit.Medium), sum.Medium},
		{"low", o.sev(audit.Low), sum.Low},
		{"info", o.sev(audit.Info), sum.Info},
	}
	s.Summary = o.verdict(r)
	s.Failing = r.Fails
	seen := map[string]bool{}
	for _, f := range r.Findings {
		alt := f.MessageZh
		if o.zh() {
			alt = f.Message
		}
		if alt == o.message(f.Finding) {
			alt = ""
		}
		art, pol := o.evidence(f.Finding)
		s.Findings = append(s.Findings, htmlFinding{
			Sev: f.Severity.String(), SevLabel: o.sev(f.Severity), Rule: f.Rule, RuleTitle: o.ruleTitle(f.Rule),
			Subject: f.Subject, Message: o.message(f.Finding), AltMessage: alt,
			Artifact: art, Policy: pol, Reference: f.Reference,
			Waived: f.Waived, WaiverReason: f.WaiverReason, Fails: f.Fails,
		})
		if f.Severity == audit.High && !f.Waived {
			fix := htmlFix{Rule: f.Rule, Subject: f.Subject, Fix: o.fix(f)}
			if a := f.Anchor; a.File != "" && a.Stand == "" {
				fix.Anchor = baseName(a.File) + ":" + strconv.Itoa(a.Line)
			}
			s.FixFirst = append(s.FixFirst, fix)
		}
		if !seen[f.Rule] {
			seen[f.Rule] = true
			t := LookupRuleText(f.Rule)
			hr := htmlRule{ID: f.Rule, Title: t.Title, Help: t.Help}
			if o.zh() {
				hr.Title, hr.Help = t.TitleZh, t.HelpZh
			}
			if ri, ok := audit.LookupRule(f.Rule); ok {
				hr.Reference = ri.Reference
			}
			s.Rules = append(s.Rules, hr)
		}
	}
	return s
}

// appTitle names the app a result is about: "小鹿记账 · cn.example.jizhang ·
// 1.4.2 (7)", else the result's name.
func appTitle(r *Result) string {
	b := r.Build
	if b == nil || b.App.Package == "" {
		return r.Name
	}
	var parts []string
	for _, s := range []string{b.App.Label, b.App.Package, versionString(b.App)} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " · ")
}

// shanghai is China Standard Time: UTC+8 all year since 1991, so no zone
// database is needed.
var shanghai = time.FixedZone("CST", 8*60*60)

// readerTime is t in the zone of the report's reader: Asia/Shanghai for a
// Chinese report, UTC otherwise, with the offset shown.
func (o Options) readerTime(t time.Time) string {
	if o.zh() {
		return t.In(shanghai).Format("2006-01-02 15:04:05 (UTC+08:00)")
	}
	return t.UTC().Format("2006-01-02 15:04:05 (UTC)")
}

// newHTMLDiff lists the changes of d, additions first.
func newHTMLDiff(d *Diff, o Options) *htmlDiff {
	h := &htmlDiff{Versions: d.NewApp.Package + " " + versionString(d.OldApp) + " → " + versionString(d.NewApp)}
	undisclosed := func(u *bool) bool { return u != nil && *u }
	for _, p := range d.AddedPermissions {
		h.Added = append(h.Added, htmlChange{fmt.Sprintf("%s: %s (%s%s)", o.t("permission"), p.Name, o.protection(p.Protection), sensitiveTag(o, p.Sensitive)), undisclosed(p.Undisclosed)})
	}
	for _, x := range d.AddedSDKs {
		h.Added = append(h.Added, htmlChange{fmt.Sprintf("SDK: %s%s (%s, %s): %s", x.ID, versionSuffix(x.JSONSDK), sdkName(o, x.JSONSDK), x.Vendor, evidenceText(o, x.Evidence)), undisclosed(x.Undisclosed)})
	}
	for _, c := range d.SDKVersions {
		h.SDKVersions = append(h.SDKVersions, htmlChange{Text: versionChangeText(o, c)})
	}
	for _, r := range o.readRows(d.AddedReads) {
		h.Added = append(h.Added, htmlChange{Text: fmt.Sprintf("%s: %s: %s, %s ×%s (%s)", o.t("code-read"), r[0], r[1], r[2], r[3], r[4])})
	}
	for _, p := range d.RemovedPermissions {
		h.Removed = append(h.Removed, htmlChange{Text: fmt.Sprintf("%s: %s (%s)", o.t("permission"), p.Name, o.protection(p.Protection))})
	}
	for _, x := range d.RemovedSDKs {
		h.Removed = append(h.Removed, htmlChange{Text: fmt.Sprintf("SDK: %s%s (%s)", x.ID, versionSuffix(x.JSONSDK), sdkName(o, x.JSONSDK))})
	}
	if d.MinSDK != nil {
		h.SDKRange = append(h.SDKRange, htmlChange{Text: fmt.Sprintf("minSdkVersion %d → %d", d.MinSDK.Old, d.MinSDK.New)})
	}
	if d.TargetSDK != nil {
		h.SDKRange = append(h.SDKRange, htmlChange{Text: fmt.Sprintf("targetSdkVersion %d → %d", d.TargetSDK.Old, d.TargetSDK.New)})
	}
	return h
}
