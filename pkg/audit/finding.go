// Package audit applies the rules of DESIGN.md to an inventory, the detected
// SDKs and a policy disclosure, and produces findings. It holds severities,
// configuration (overrides, waivers, baseline) and the Result that renderers read.
package audit

import (
	"errors"
	"fmt"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// Severity orders findings; higher is worse.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota
	Low
	Medium
	High
	// None is above every severity: --fail-on none never fails.
	None
)

var severityNames = [...]string{Info: "info", Low: "low", Medium: "medium", High: "high", None: "none"}

func (s Severity) String() string {
	if s >= 0 && int(s) < len(severityNames) {
		return severityNames[s]
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity reads a severity name (case-insensitive).
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(name, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want high, medium, low, info or none)", name)
}

// ErrThresholdReached is returned when a finding is at or above --fail-on; the CLI maps it to exit code 1.
var ErrThresholdReached = errors.New("findings at or above the failure threshold")

// Finding is one gap between the build and its policy.
type Finding struct {
	Rule      string
	Severity  Severity
	Subject   string // full permission name or SDK id
	Message   string // English
	MessageZh string // Chinese
	Evidence  Evidence
	Reference string // the regulation the rule rests on
	// Waived is set when a config waiver or the baseline suppresses the finding.
	Waived       bool
	WaiverReason string
}

// Evidence is what supports a finding on each side.
type Evidence struct {
	Artifact []string // "classes.dex: com/umeng/analytics (120 classes)", "AndroidManifest.xml: uses-permission …"
	Policy   []string // "privacy.html:120: 相机", or "no wording found in privacy.html"
	// ArtifactZh and PolicyZh are the same lines in Chinese, one for one,
	// where a line is in words ("在 privacy.html 中未找到相关说明"); nil when
	// every line is names and paths only, the same in both languages.
	ArtifactZh []string
	PolicyZh   []string
}

// Fails reports whether f counts against the --fail-on threshold: it is not
// waived and its severity is at or above threshold (None never fails). It is
// the one definition of failing.
func (f Finding) Fails(threshold Severity) bool {
	return !f.Waived && threshold != None && f.Severity >= threshold
}

// Undisclosed reports whether f says that the policy does not disclose its
// subject at all (not merely incompletely): an unwaived finding of
// undisclosed-permission, undisclosed-permission-normal or undisclosed-sdk.
func (f Finding) Undisclosed() bool {
	switch f.Rule {
	case RuleUndisclosedPermission, RuleUndisclosedPermissionNormal, RuleUndisclosedSDK:
		return !f.Waived
	}
	return false
}

// Summary counts findings per severity (waived ones excluded).
type Summary struct {
	High, Medium, Low, Info int
}

// Summarise counts unwaived findings per severity: the one summary every
// format shows.
func Summarise(f []Finding) Summary {
	var s Summary
	for _, x := range f {
		if x.Waived {
			continue
		}
		switch x.Severity {
		case High:
			s.High++
		case Medium:
			s.Medium++
		case Low:
			s.Low++
		case Info:
			s.Info++
		}
	}
	return s
}

// Result is one audited artifact, finished: the rules ran and the review
// (waivers, baseline) was applied. It is what the renderers read.
type Result struct {
	Inventory *inventory.Inventory
	SDKs      []sdk.Detection
	// Reads are the sensitive-API call sites of the code, attributed to SDKs,
	// the app or no one (sdk.Matcher.Attribute).
	Reads []sdk.Read
	// Disclosure is nil for inspect.
	Disclosure *policy.Disclosure
	Findings   []Finding
	// Notes are what the review said about the configuration (expired and
	// unused waivers), kept apart from the readers' Inventory.Warnings.
	Notes []string
	// UnusedWaivers matched no finding of a rule that ran; with StrictWaivers
	// they make the result fail.
	UnusedWaivers []Waiver
	StrictWaivers bool
}

// Summary counts the result's unwaived findings per severity.
func (r *Result) Summary() Summary { return Summarise(r.Findings) }

// Fails reports whether the result reaches threshold: a finding fails, or
// waivers are strict and one matched nothing.
func (r *Result) Fails(threshold Severity) bool {
	if r.StrictWaivers && len(r.UnusedWaivers) > 0 {
		return true
	}
	for _, f := range r.Findings {
		if f.Fails(threshold) {
			return true
		}
	}
	return false
}
