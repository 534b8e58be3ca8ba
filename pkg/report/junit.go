package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// junitRenderer writes JUnit XML for CI dashboards: one testsuite per result,
// one testcase per check (each declared permission, each detected SDK, the
// policy-level checks), a <failure> for every check with a finding at or above
// Options.FailOn, and a <skipped> with the reason for a check whose findings
// are all waived or below it (their text in <system-out>). Each testcase
// names the file its finding is shown at.
type junitRenderer struct{}

func (junitRenderer) Name() string { return "junit" }

func (junitRenderer) Extensions() []string { return []string{".xml", ".junit.xml"} }

func (junitRenderer) Shows(c Command) bool { return shows(c, reports...) }

// JUnitSuites is the <testsuites> document.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one <testsuite>: one artifact (or, for policy, the documents).
type JUnitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []JUnitProperty `xml:"properties>property,omitempty"`
	Cases      []JUnitCase     `xml:"testcase"`
}

// JUnitProperty is one <property name value>.
type JUnitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// JUnitCase is one <testcase>. File is the file a reviewer opens: where its
// worst finding is shown (a policy document or the source manifest), else
// the artifact or the policy.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *JUnitFailure `xml:"failure,omitempty"`
	Skipped   *JUnitSkipped `xml:"skipped,omitempty"`
	SystemOut *JUnitText    `xml:"system-out,omitempty"`
}

// JUnitSkipped is a <skipped>: the case's findings are all waived or below
// --fail-on; message says why.
type JUnitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnitText is element text written as CDATA, so evidence keeps its line breaks.
type JUnitText struct {
	Text string `xml:",cdata"`
}

// JUnitFailure is a <failure>: message is the worst finding, the text lists every failing finding with evidence.
type JUnitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

func (junitRenderer) Render(w io.Writer, v *View) error {
	o := v.Options
	doc := JUnitSuites{Name: o.toolName()}
	stamp := ""
	if now := o.now(); !now.IsZero() {
		stamp = now.Format(time.RFC3339)
	}
	var suites []JUnitSuite
	if d := v.Diff; d != nil {
		suites = append(suites, junitDiffSuite(d, o))
	}
	for _, r := range v.Results {
		suites = append(suites, junitSuite(r, o))
	}
	for _, s := range suites {
		s.Timestamp = stamp
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	// CI pages show these texts to people: invisible characters escaped,
	// and nothing XML 1.0 cannot hold.
	if err := enc.Encode(withStrings(doc, func(s string) string { return xmlSafe(visibleText(s)) })); err != nil {
		return fmt.Errorf("report: junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitCaseKey names the testcase a finding belongs to.
func junitCaseKey(f audit.Finding, declared, detected map[string]bool) string {
	switch f.Rule {
	case audit.RuleUndisclosedPermission, audit.RuleUndisclosedPermissionNormal, audit.RuleUnusedPermission:
		if declared[f.Subject] {
			return "permission " + f.Subject
		}
	case audit.RuleUndisclosedSDK, audit.RuleUndisclosedSDKData, audit.RuleIncompleteSDKDisclosure:
		if detected[f.Subject] {
			return "sdk " + f.Subject
		}
	case audit.RuleMissingSDKList, audit.RuleMissingPermissionList, audit.RuleUnanalysedCode:
		return f.Rule
	}
	return f.Rule + " " + f.Subject
}

// junitSuite is the suite of one result: a testcase for every declared
// permission and detected SDK (for policy, every disclosed permission and
// SDK row), the policy-level checks, and any other case a finding names.
func junitSuite(r *Result, o Options) JUnitSuite {
	s := newJUnitSuite(r.Name, r.Command, o)
	s.file = r.Name
	if r.Build != nil {
		s.file = r.Build.Artifact.Path
	} else if r.Policy != nil && len(r.Policy.Documents) > 0 {
		s.file = r.Policy.Documents[0].Path
	}
	if r.Policy != nil && r.Build == nil {
		for _, p := range r.Policy.Permissions {
			s.add("permission "+p.Name, "policy.permission")
		}
		for _, row := range r.Policy.SDKs {
			s.add("sdk-row "+row.Name, "policy.sdk")
		}
	}
	if b := r.Build; b != nil {
		s.build(names(b.Permissions, func(p JSONPermission) string { return p.Name }),
			names(b.SDKs, func(d JSONSDK) string { return d.ID }), "")
		s.Properties = append(s.Properties, sdkVersionProperties(b.SDKs)...)
	}
	if r.Command == CommandCheck {
		for _, rule := range []string{audit.RuleMissingSDKList, audit.RuleMissingPermissionList, audit.RuleUnanalysedCode} {
			s.add(rule, "policy")
		}
	}
	return s.finish(r.Findings, o)
}

// junitDiffSuite is the suite of a diff: a testcase for every permission and
// SDK the new build added, failing where the policy does not disclose it.
func junitDiffSuite(d *Diff, o Options) JUnitSuite {
	s := newJUnitSuite(d.New.Path, CommandDiff, o)
	s.file = d.New.Path
	s.build(names(d.AddedPermissions, func(p DiffPermission) string { return p.Name }),
		names(d.AddedSDKs, func(x DiffSDK) string { return x.ID }), "added.")
	return s.finish(d.Result.Findings, o)
}

// names returns the name of each item.
func names[T any](items []T, name func(T) string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, name(it))
	}
	return out
}

// junitBuilder collects a suite's testcases in order.
type junitBuilder struct {
	JUnitSuite
	keys               []string
	classOf            map[string]string
	declared, detected map[string]bool
	file               string // the file a case without a finding names
}

func newJUnitSuite(name string, cmd Command, o Options) *junitBuilder {
	s := &junitBuilder{JUnitSuite: JUnitSuite{Name: name}, classOf: map[string]string{},
		declared: map[string]bool{}, detected: map[string]bool{}}
	s.Properties = []JUnitProperty{{"command", string(cmd)}, {"fail-on", o.FailOn.String()}}
	if o.Tool.Version != "" {
		s.Properties = append(s.Properties, JUnitProperty{"version", o.Tool.Version})
	}
	if o.Tool.SDKDBVersion != "" {
		s.Properties = append(s.Properties, JUnitProperty{"sdkdb_version", o.Tool.SDKDBVersion})
	}
	return s
}

// build adds a testcase for each permission and each SDK, of classes
// prefix+"permission" and prefix+"sdk".
func (s *junitBuilder) build(perms, sdks []string, prefix string) {
	for _, p := range perms {
		s.declared[p] = true
		s.add("permission "+p, prefix+"permission")
	}
	for _, id := range sdks {
		s.detected[id] = true
		s.add("sdk "+id, prefix+"sdk")
	}
}

func (s *junitBuilder) add(key, class string) {
	if _, ok := s.classOf[key]; !ok {
		s.keys = append(s.keys, key)
		s.classOf[key] = class
	}
}

// finish files the findings under their testcases: a <failure> for those at
// or above --fail-on, <system-out> for the others.
func (s *junitBuilder) finish(findings []Finding, o Options) JUnitSuite {
	failing := map[string][]Finding{}
	other := map[string][]Finding{}
	for _, f := range findings {
		key := junitCaseKey(f.Finding, s.declared, s.detected)
		s.add(key, "finding")
		if f.Fails {
			failing[key] = append(failing[key], f)
		} else {
			other[key] = append(other[key], f)
		}
	}
	for _, key := range s.keys {
		c := JUnitCase{Name: key, ClassName: o.toolName() + "." + s.classOf[key], File: s.file}
		fs, rest := failing[key], other[key]
		switch {
		case len(fs) > 0:
			msg := fmt.Sprintf("[%s] %s: %s", fs[0].Severity, fs[0].Rule, o.message(fs[0].Finding))
			if len(fs) > 1 {
				msg += fmt.Sprintf(" (+%d)", len(fs)-1)
			}
			c.Failure = &JUnitFailure{Message: msg, Type: fs[0].Rule, Text: junitText(fs, o)}
			c.File = anchorFile(fs[0], s.file)
			s.Failures++
		case len(rest) > 0:
			c.Skipped = &JUnitSkipped{Message: skipReason(rest[0], o)}
			c.File = anchorFile(rest[0], s.file)
			s.Skipped++
		}
		if len(rest) > 0 {
			c.SystemOut = &JUnitText{junitText(rest, o)}
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	return s.JUnitSuite
}

// anchorFile is the file finding f is shown at, else def.
func anchorFile(f Finding, def string) string {
	if f.Anchor.File != "" {
		return f.Anchor.File
	}
	return def
}

// skipReason says why a finding does not fail: its waiver, or that it is
// below --fail-on.
func skipReason(f Finding, o Options) string {
	if f.Waived {
		return fmt.Sprintf("%s: %s (%s %s)", o.t("waived"), f.WaiverReason, f.Rule, f.Subject)
	}
	return fmt.Sprintf(o.t("below-fail-on"), o.FailOn, f.Severity, f.Rule, f.Subject)
}

// junitText lists findings with their evidence, one block each.
func junitText(fs []Finding, o Options) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[%s] %s %s: %s\n", f.Severity, f.Rule, f.Subject, o.message(f.Finding))
		if f.Waived {
			fmt.Fprintf(&b, "  waived: %s\n", f.WaiverReason)
		}
		art, pol := o.evidence(f.Finding)
		for _, e := range art {
			fmt.Fprintf(&b, "  artifact: %s\n", e)
		}
		for _, e := range pol {
			fmt.Fprintf(&b, "  policy: %s\n", e)
		}
		if f.Reference != "" {
			fmt.Fprintf(&b, "  reference: %s\n", f.Reference)
		}
	}
	return b.String()
}

// xmlSafe replaces characters XML 1.0 cannot hold (CDATA is not escaped by
// encoding/xml, and attributes keep U+FFFE and U+FFFF).
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
