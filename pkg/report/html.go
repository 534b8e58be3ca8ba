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

func (htmlRenderer) Shows(c Command) bool { return shows(c, reports...) }

func (htmlRenderer) Render(w io.Writer, v *View) error {
	var buf bytes.Buffer
	if err := htmlTemplate().Execute(&buf, newHTMLPage(v)); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// htmlPage is the template's view model.
type htmlPage struct {
	Lang      string // the <html lang> value
	T         map[string]string
	Title     string
	Tool      JSONTool
	Generated string
	Sections  []htmlSection
}

type htmlSection struct {
	ID       string
	Name     string
	Build    *Build
	Code     string
	SDKs     []htmlSDK
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
	Display string
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
		p.Generated = o.tf("generated", now.Format(time.RFC3339))
	}
	p.Title = o.t("report")
	if d := v.Diff; d != nil {
		p.Title = o.t("diff-title")
		s := newHTMLSection(0, d.Result, o)
		s.Name, s.Build, s.Policy, s.SDKs = d.New.Path, nil, nil, nil
		s.Checked = d.PolicyChecked
		s.Diff = newHTMLDiff(d, o)
		p.Sections = append(p.Sections, s)
		return p
	}
	if len(v.Results) == 1 {
		p.Title += " - " + v.Results[0].Name
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
		for _, d := range b.SDKs {
			name := sdkName(o, d)
			if d.Via != "" {
				name += " (" + o.tf("via", d.Via) + ")"
			}
			s.SDKs = append(s.SDKs, htmlSDK{JSONSDK: d, Display: name})
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
		s.Findings = append(s.Findings, htmlFinding{
			Sev: f.Severity.String(), SevLabel: o.sev(f.Severity), Rule: f.Rule, RuleTitle: o.ruleTitle(f.Rule),
			Subject: f.Subject, Message: o.message(f.Finding), AltMessage: alt,
			Artifact: f.Evidence.Artifact, Policy: f.Evidence.Policy, Reference: f.Reference,
			Waived: f.Waived, WaiverReason: f.WaiverReason, Fails: f.Fails,
		})
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

// newHTMLDiff lists the changes of d, additions first.
func newHTMLDiff(d *Diff, o Options) *htmlDiff {
	h := &htmlDiff{Versions: d.NewApp.Package + " " + versionString(d.OldApp) + " → " + versionString(d.NewApp)}
	undisclosed := func(u *bool) bool { return u != nil && *u }
	for _, p := range d.AddedPermissions {
		h.Added = append(h.Added, htmlChange{fmt.Sprintf("%s: %s (%s%s)", o.t("permission"), p.Name, p.Protection, sensitiveTag(o, p.Sensitive)), undisclosed(p.Undisclosed)})
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
		h.Removed = append(h.Removed, htmlChange{Text: fmt.Sprintf("%s: %s (%s)", o.t("permission"), p.Name, p.Protection)})
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
