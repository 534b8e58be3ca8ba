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
// Options.FailOn, and lower or waived findings as <system-out>.
type junitRenderer struct{}

func (junitRenderer) Name() string { return "junit" }

// JUnitSuites is the <testsuites> document.
type JUnitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
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

// JUnitCase is one <testcase>.
type JUnitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *JUnitFailure `xml:"failure,omitempty"`
	SystemOut *JUnitText    `xml:"system-out,omitempty"`
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

func (junitRenderer) Render(w io.Writer, results []*audit.Result, o Options) error {
	if err := checkResults(results); err != nil {
		return err
	}
	doc := JUnitSuites{Name: o.toolName()}
	stamp := ""
	if now := o.now(); !now.IsZero() {
		stamp = now.Format(time.RFC3339)
	}
	for _, r := range results {
		s := junitSuite(r, o)
		s.Timestamp = stamp
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Suites = append(doc.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("report: junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitCaseKey names the testcase a finding belongs to.
func junitCaseKey(f audit.Finding, declared, detected map[string]bool) string {
	switch f.Rule {
	case audit.RuleUndisclosedPermission, audit.RuleUndisclosedPermissionNormal:
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

func junitSuite(r *audit.Result, o Options) JUnitSuite {
	s := JUnitSuite{Name: artifactName(r)}
	cmd := o.command(r)
	s.Properties = []JUnitProperty{{"command", cmd}, {"fail-on", o.FailOn.String()}}
	if o.Tool.Version != "" {
		s.Properties = append(s.Properties, JUnitProperty{"version", o.Tool.Version})
	}
	if o.Tool.SDKDBVersion != "" {
		s.Properties = append(s.Properties, JUnitProperty{"sdkdb_version", o.Tool.SDKDBVersion})
	}

	var keys []string
	classOf := map[string]string{}
	add := func(key, class string) {
		if _, ok := classOf[key]; !ok {
			keys = append(keys, key)
			classOf[key] = class
		}
	}
	declared, detected := map[string]bool{}, map[string]bool{}
	if cmd == CommandPolicy {
		for _, p := range newJSONPolicy(r.Disclosure).Permissions {
			add("permission "+p.Name, "policy.permission")
		}
		for _, row := range newJSONPolicy(r.Disclosure).SDKs {
			add("sdk-row "+row.Name, "policy.sdk")
		}
	}
	if r.Inventory != nil && cmd != CommandPolicy {
		for _, p := range jsonPermissions(r.Inventory.Permissions) {
			declared[p.Name] = true
			add("permission "+p.Name, "permission")
		}
	}
	if cmd != CommandPolicy {
		for _, d := range jsonSDKs(r.SDKs) {
			detected[d.ID] = true
			add("sdk "+d.ID, "sdk")
		}
	}
	if cmd == CommandCheck {
		for _, rule := range []string{audit.RuleMissingSDKList, audit.RuleMissingPermissionList, audit.RuleUnanalysedCode} {
			add(rule, "policy")
		}
	}

	failing := map[string][]audit.Finding{}
	other := map[string][]audit.Finding{}
	for _, f := range sortedFindings(r.Findings) {
		key := junitCaseKey(f, declared, detected)
		add(key, "finding")
		if fails(f, o.FailOn) {
			failing[key] = append(failing[key], f)
		} else {
			other[key] = append(other[key], f)
		}
	}

	for _, key := range keys {
		c := JUnitCase{Name: key, ClassName: o.toolName() + "." + classOf[key]}
		if fs := failing[key]; len(fs) > 0 {
			msg := fmt.Sprintf("[%s] %s: %s", fs[0].Severity, fs[0].Rule, o.message(fs[0]))
			if len(fs) > 1 {
				msg += fmt.Sprintf(" (+%d)", len(fs)-1)
			}
			c.Failure = &JUnitFailure{Message: msg, Type: fs[0].Rule, Text: junitText(fs, o)}
			s.Failures++
		}
		if fs := other[key]; len(fs) > 0 {
			c.SystemOut = &JUnitText{junitText(fs, o)}
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	return s
}

// junitText lists findings with their evidence, one block each.
func junitText(fs []audit.Finding, o Options) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "[%s] %s %s: %s\n", f.Severity, f.Rule, f.Subject, o.message(f))
		if f.Waived {
			fmt.Fprintf(&b, "  waived: %s\n", f.WaiverReason)
		}
		for _, e := range f.Evidence.Artifact {
			fmt.Fprintf(&b, "  artifact: %s\n", e)
		}
		for _, e := range f.Evidence.Policy {
			fmt.Fprintf(&b, "  policy: %s\n", e)
		}
		if f.Reference != "" {
			fmt.Fprintf(&b, "  reference: %s\n", f.Reference)
		}
	}
	return xmlSafe(b.String())
}

// xmlSafe replaces characters XML 1.0 cannot hold (CDATA is not escaped by encoding/xml).
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
