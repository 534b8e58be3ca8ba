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

func (htmlRenderer) Render(w io.Writer, results []*audit.Result, o Options) error {
	if err := checkResults(results); err != nil {
		return err
	}
	page := newHTMLPage(results, o)
	var buf bytes.Buffer
	if err := htmlTemplate().Execute(&buf, page); err != nil {
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
	Command  string
	Inspect  *InspectDocument
	Code     string
	SDKs     []htmlSDK
	Policy   *JSONPolicy
	Findings []htmlFinding
	Counts   []htmlCount
	Summary  string
	Failing  bool
	Rules    []htmlRule
}

type htmlSDK struct {
	JSONSDK
	Display string
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

func newHTMLPage(results []*audit.Result, o Options) *htmlPage {
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
	if len(results) == 1 {
		p.Title += " - " + artifactName(results[0])
	}
	for i, r := range results {
		p.Sections = append(p.Sections, newHTMLSection(i, r, o))
	}
	return p
}

func newHTMLSection(i int, r *audit.Result, o Options) htmlSection {
	s := htmlSection{ID: "r" + strconv.Itoa(i), Name: artifactName(r), Command: o.command(r)}
	if s.Command != CommandPolicy {
		s.Inspect = NewInspectDocument(r, o)
		s.Code = o.tf("code-summary", s.Inspect.Code.DexFiles, s.Inspect.Code.Classes, len(s.Inspect.Code.Packages))
		for _, d := range s.Inspect.SDKs {
			name := d.Name
			if o.zh() && d.NameZh != "" {
				name = d.NameZh
			}
			if d.Via != "" {
				name += " (" + o.tf("via", d.Via) + ")"
			}
			s.SDKs = append(s.SDKs, htmlSDK{JSONSDK: d, Display: name})
		}
	}
	if s.Command != CommandInspect {
		s.Policy = newJSONPolicy(r.Disclosure)
	}
	if s.Command != CommandCheck {
		return s
	}
	fs := sortedFindings(r.Findings)
	sum := summarize(fs)
	s.Counts = []htmlCount{
		{"high", o.sev(audit.High), sum.High},
		{"medium", o.sev(audit.Medium), sum.Medium},
		{"low", o.sev(audit.Low), sum.Low},
		{"info", o.sev(audit.Info), sum.Info},
	}
	s.Summary = o.summaryLine(fs)
	seen := map[string]bool{}
	for _, f := range fs {
		alt := f.MessageZh
		if o.zh() {
			alt = f.Message
		}
		if alt == o.message(f) {
			alt = ""
		}
		hf := htmlFinding{
			Sev: f.Severity.String(), SevLabel: o.sev(f.Severity), Rule: f.Rule, RuleTitle: o.ruleTitle(f.Rule),
			Subject: f.Subject, Message: o.message(f), AltMessage: alt,
			Artifact: f.Evidence.Artifact, Policy: f.Evidence.Policy, Reference: f.Reference,
			Waived: f.Waived, WaiverReason: f.WaiverReason, Fails: fails(f, o.FailOn),
		}
		s.Failing = s.Failing || hf.Fails
		s.Findings = append(s.Findings, hf)
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
