package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/srcmanifest"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// View is what one command produced, as every format shows it: the view
// model of the renderers. Its lists are copies, sorted once when the view is
// built; the audit results it was built from are not referenced, so a view
// never changes under a renderer.
type View struct {
	Command Command
	Options Options
	// Results holds one result per artifact for inspect, check and a batch
	// line, and one for the documents for policy.
	Results []*Result
	// Diff is set for diff.
	Diff *Diff
	// Catalogue is set for sdkdb list and show.
	Catalogue *Catalogue
	// Error is set for a batch line of an artifact that could not be read.
	Error *LineError
}

// Result is one audited artifact, or for policy the documents read.
type Result struct {
	// Command is inspect, policy or check: which sections the result has.
	Command Command
	// Name is the artifact's path, or the documents' paths for policy.
	Name string
	// Build is the build side; nil for policy.
	Build *Build
	// Policy is what the documents disclose; nil for inspect.
	Policy *JSONPolicy
	// Findings are ordered worst first (audit.SortFindings); nil for policy.
	Findings []Finding
	// Summary counts the unwaived findings per severity; Waived counts the others.
	Summary audit.Summary
	Waived  int
	// Fails is the verdict: the result reaches --fail-on (audit.Result.Fails).
	Fails bool
	// Notes are what the review said about the configuration (expired and
	// unused waivers), apart from the build's warnings.
	Notes []string
}

// Finding is one finding with what the formats derive from it.
type Finding struct {
	audit.Finding
	// Fails is set when the finding counts against --fail-on.
	Fails bool
	// Refs are the policy lines the finding rests on (SARIF regions).
	Refs []policy.LineRef
	// Where is the place in the build the finding points at (a SARIF logical
	// location); its Name is "" when there is none.
	Where Location
	// Anchor is the one file and line a reviewer is sent to (SARIF's first
	// location).
	Anchor Anchor
}

// Anchor is the line of a file in the repository a finding is shown at.
type Anchor struct {
	// File is the path as it was given: a policy document, the source
	// manifest, or the artifact.
	File string
	Line int
	// Stand is "" when the line is the finding's own (the policy line, the
	// source manifest's declaration), else what the line stands in for:
	// StandSDKList, StandPermissions, StandPolicy or StandArtifact.
	Stand string
}

// What an Anchor stands in for when a finding has no line of its own.
const (
	StandSDKList     = "sdk-list"           // the first row of the policy's SDK list
	StandPermissions = "permission-section" // the first line of the policy's permission wording
	StandPolicy      = "policy"             // the first line of the first policy document
	StandArtifact    = "artifact"           // the artifact itself (no policy was read)
)

// Location names a place inside the build: the manifest, a Java namespace.
type Location struct {
	Name, Kind string
}

// LineError is the batch line of an artifact that could not be read.
type LineError struct {
	Path  string
	Error string
}

// NewView builds the view of results of command c (inspect, policy, check or
// batch). It copies and sorts what it takes; results must not be nil.
func NewView(c Command, results []*audit.Result, o Options) (*View, error) {
	v := &View{Command: c, Options: o}
	for i, r := range results {
		if r == nil {
			return nil, fmt.Errorf("report: result %d is nil", i)
		}
		v.Results = append(v.Results, newResult(c, r, o))
	}
	return v, nil
}

// NewErrorView is the batch line of the artifact at path that could not be
// read: its message does not repeat the path.
func NewErrorView(path string, err error, o Options) *View {
	return &View{Command: CommandBatch, Options: o,
		Error: &LineError{Path: path, Error: strings.TrimPrefix(err.Error(), path+": ")}}
}

// newResult builds the view of r. A batch line is a check result when r was
// checked against a policy, an inspect result otherwise.
func newResult(c Command, r *audit.Result, o Options) *Result {
	if c == CommandBatch || c == CommandDiff {
		c = CommandInspect
		if r.Disclosure != nil {
			c = CommandCheck
		}
	}
	v := &Result{Command: c, Name: artifactName(r)}
	if c != CommandPolicy {
		v.Build = newBuild(r, o)
	}
	if c != CommandInspect {
		v.Policy = newJSONPolicy(r.Disclosure)
	}
	if c == CommandPolicy {
		return v
	}
	v.Summary = r.Summary()
	v.Fails = r.Fails(o.FailOn)
	v.Notes = slices.Clone(r.Notes)
	fs := slices.Clone(r.Findings)
	audit.SortFindings(fs)
	v.Findings = []Finding{}
	refs := refCache{d: r.Disclosure, m: map[[2]string][]policy.LineRef{}}
	for _, f := range fs {
		if f.Waived {
			v.Waived++
		}
		vf := Finding{Finding: f, Fails: f.Fails(o.FailOn), Refs: refs.lines(f), Where: buildLocation(v.Build, f)}
		vf.Anchor = anchorOf(vf, v.Build, r.Disclosure, o.Source)
		v.Findings = append(v.Findings, vf)
	}
	return v
}

// anchorOf is the one decision of where a finding is shown. A policy-side
// finding (RuleText.Side) is shown at its policy line. A build-side finding
// is shown at its line of the source manifest when there is one (the
// permission's <uses-permission>, the SDK's component or <meta-data>), else
// at a policy line it rests on, else at a stand-in that the formats name as
// such: the policy's SDK list or permission wording, the policy's first
// line, or, with no policy, the artifact.
func anchorOf(f Finding, b *Build, d *policy.Disclosure, src *srcmanifest.Manifest) Anchor {
	if LookupRuleText(f.Rule).Side != SidePolicy && src != nil {
		if line := sourceLine(f, b, src); line > 0 {
			return Anchor{File: src.Path, Line: line}
		}
	}
	if len(f.Refs) > 0 {
		return Anchor{File: f.Refs[0].File, Line: f.Refs[0].Line}
	}
	if d != nil && len(d.Documents) > 0 {
		switch ruleArea(f.Rule) {
		case "sdk":
			if len(d.SDKs) > 0 && d.SDKs[0].Line.Line > 0 {
				return Anchor{File: d.SDKs[0].Line.File, Line: d.SDKs[0].Line.Line, Stand: StandSDKList}
			}
		case "permission":
			if ref, ok := firstPermissionLine(d); ok {
				return Anchor{File: ref.File, Line: ref.Line, Stand: StandPermissions}
			}
		}
		return Anchor{File: d.Documents[0].Path, Line: 1, Stand: StandPolicy}
	}
	if b != nil && b.Artifact.Path != "" {
		return Anchor{File: b.Artifact.Path, Line: 1, Stand: StandArtifact}
	}
	return Anchor{}
}

// sourceLine is the line of the source manifest that declares what f is
// about: its subject's <uses-permission>, the sensitive permissions of
// missing-permission-list, the components and meta-data of its SDK, the
// <application> of missing-sdk-list; 0 when the source declares none of them.
func sourceLine(f Finding, b *Build, src *srcmanifest.Manifest) int {
	if line := src.Permissions[f.Subject]; line > 0 {
		return line
	}
	first := 0
	earliest := func(line int) {
		if line > 0 && (first == 0 || line < first) {
			first = line
		}
	}
	switch {
	case b == nil:
	case f.Rule == audit.RuleMissingPermissionList:
		for _, p := range b.Permissions {
			if p.Sensitive {
				earliest(src.Permissions[p.Name])
			}
		}
	case f.Rule == audit.RuleMissingSDKList:
		earliest(src.Application)
	default:
		for _, d := range b.SDKs {
			if d.ID != f.Subject {
				continue
			}
			for _, e := range d.Evidence {
				switch e.Kind {
				case sdkdb.EvidenceComponent:
					earliest(src.Components[e.Value])
				case sdkdb.EvidenceMetaData:
					earliest(src.MetaData[e.Value])
				}
			}
		}
	}
	return first
}

// firstPermissionLine is the first line, in document order, at which the
// policy words a permission.
func firstPermissionLine(d *policy.Disclosure) (policy.LineRef, bool) {
	order := map[string]int{}
	for i, doc := range d.Documents {
		order[doc.Path] = i
	}
	var best policy.LineRef
	found := false
	for _, p := range d.Permissions {
		for _, l := range p.Lines {
			if l.Line <= 0 {
				continue
			}
			if !found || order[l.File] < order[best.File] || order[l.File] == order[best.File] && l.Line < best.Line {
				best, found = l, true
			}
		}
	}
	return best, found
}

// artifactName names a result for headings: the artifact path, else the policy documents.
func artifactName(r *audit.Result) string {
	if r.Inventory != nil && r.Inventory.Artifact.Path != "" {
		return r.Inventory.Artifact.Path
	}
	if r.Disclosure != nil {
		var paths []string
		for _, d := range r.Disclosure.Documents {
			paths = append(paths, d.Path)
		}
		return strings.Join(paths, ", ")
	}
	return ""
}

// buildLocation names where in the build a finding points: the manifest for
// permission rules, the SDK's first DEX package (or other evidence) for SDK rules.
func buildLocation(b *Build, f audit.Finding) Location {
	switch f.Rule {
	case audit.RuleUndisclosedPermission, audit.RuleUndisclosedPermissionNormal, audit.RuleMissingPermissionList:
		return Location{"AndroidManifest.xml", "resource"}
	case audit.RuleUndisclosedSDK, audit.RuleUndisclosedSDKData, audit.RuleIncompleteSDKDisclosure:
		for _, d := range b.SDKs {
			if d.ID != f.Subject {
				continue
			}
			for _, e := range d.Evidence {
				if e.Kind == sdkdb.EvidenceDexPackage {
					return Location{strings.ReplaceAll(e.Value, "/", "."), "namespace"}
				}
			}
			if len(d.Evidence) > 0 {
				return Location{d.Evidence[0].Value, "resource"}
			}
		}
	}
	return Location{}
}

// refCache memoises policyLines by rule and subject, all it depends on:
// the findings of one SDK (one a row, thousands in a hostile SDK list)
// share one read-only slice instead of each holding every row's line.
type refCache struct {
	d *policy.Disclosure
	m map[[2]string][]policy.LineRef
}

func (c *refCache) lines(f audit.Finding) []policy.LineRef {
	k := [2]string{f.Rule, f.Subject}
	refs, ok := c.m[k]
	if !ok {
		refs = slices.Clip(policyLines(c.d, f))
		c.m[k] = refs
	}
	return refs
}

// policyLines returns the policy lines a finding refers to, where the disclosure knows them.
func policyLines(d *policy.Disclosure, f audit.Finding) []policy.LineRef {
	if d == nil {
		return nil
	}
	var refs []policy.LineRef
	switch f.Rule {
	case audit.RuleStalePermissionDisclosure, audit.RuleUndisclosedPermission, audit.RuleUndisclosedPermissionNormal:
		for _, p := range d.Permissions {
			if p.Name == f.Subject {
				refs = append(refs, p.Lines...)
			}
		}
	case audit.RuleUnknownPolicySDK:
		for _, row := range d.SDKs {
			if row.ID == "" && row.Name == f.Subject {
				refs = append(refs, row.Line)
			}
		}
	case audit.RuleStaleSDKDisclosure, audit.RuleIncompleteSDKDisclosure, audit.RuleUndisclosedSDKData, audit.RuleUndisclosedSDK:
		for _, row := range d.SDKs {
			if row.ID == f.Subject {
				refs = append(refs, row.Line)
			}
		}
		for _, m := range d.Mentions {
			if m.ID == f.Subject && f.Rule == audit.RuleStaleSDKDisclosure {
				refs = append(refs, m.Line)
			}
		}
	}
	out := refs[:0]
	for _, ref := range refs {
		if ref.File != "" && ref.Line > 0 {
			out = append(out, ref)
		}
	}
	return out
}

// verdict is "1 high, 2 medium, 0 low, 3 info (1 waived); fails --fail-on high".
func (o Options) verdict(r *Result) string {
	s := r.Summary
	return o.verdictWith(r, o.tf("summary-line", s.High, s.Medium, s.Low, s.Info))
}

// verdictWith is the verdict with the counts written as counts.
func (o Options) verdictWith(r *Result, counts string) string {
	line := counts
	if r.Waived > 0 {
		line += " (" + o.tf("waived-count", r.Waived) + ")"
	}
	if o.FailOn != audit.None {
		key := "fail-no"
		if r.Fails {
			key = "fail-yes"
		}
		line += "; " + o.tf(key, o.FailOn)
	}
	return line
}

// severityLabel is the severity in the report language, marked when waived.
func (o Options) severityLabel(f Finding) string {
	sev := o.sev(f.Severity)
	if f.Waived {
		sev += " (" + o.t("waived") + ")"
	}
	return sev
}
