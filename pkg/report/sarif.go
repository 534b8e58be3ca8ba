package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// sarifSchemaURI is the $schema of the documents we write: the OASIS errata01 schema.
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// fingerprintKey names our partial fingerprint; bump the version if its recipe changes.
const fingerprintKey = "apkauditFinding/v1"

// srcRoot is the uriBaseId of every repository path (GitHub's convention).
const srcRoot = "SRCROOT"

// maxRelated bounds a result's relatedLocations (GitHub reads 1,000).
const maxRelated = 100

// sarifRenderer writes SARIF 2.1.0 as GitHub code scanning reads it: one run
// holding every rule and the findings of all results. Each result's first
// (and only) location is its Anchor, a file of the repository and a line,
// relative to SRCROOT; the other policy lines and the artifact are related
// locations. Fingerprints depend on the rule, the subject and the app, never
// on a path, a line or the time, so they stay stable across builds.
type sarifRenderer struct{}

func (sarifRenderer) Name() string { return "sarif" }

func (sarifRenderer) Extensions() []string { return []string{".sarif", ".sarif.json"} }

func (sarifRenderer) Shows(c Command) bool { return shows(c, reports...) }

func (sarifRenderer) Render(w io.Writer, v *View) error {
	o := v.Options
	rep, err := sarif.New(sarif.Version210, false)
	if err != nil {
		return fmt.Errorf("report: sarif: %w", err)
	}
	rep.Schema = sarifSchemaURI

	driver := sarif.NewDriver(o.toolName())
	if o.Tool.Version != "" {
		driver.WithVersion(o.Tool.Version)
	}
	driver.WithInformationURI("https://github.com/apkaudit/apkaudit")
	run := sarif.NewRun(*sarif.NewTool(driver))
	for _, ri := range audit.Rules() {
		driver.AddRule(sarifRule(ri, o))
	}
	base := sarif.NewArtifactLocation().WithDescriptionText(o.t("srcroot"))
	if o.SourceRoot != "" {
		base.WithUri(dirURI(o.SourceRoot))
	}
	run.OriginalUriBaseIDs = map[string]*sarif.ArtifactLocation{srcRoot: base}
	run.Properties = sarif.Properties{}
	if o.Tool.SDKDBVersion != "" {
		run.Properties["sdkdb_version"] = o.Tool.SDKDBVersion
	}
	if now := o.now(); !now.IsZero() {
		run.AddInvocation(true).WithEndTimeUTC(now)
	}
	results := v.Results
	if v.Diff != nil {
		results = []*Result{v.Diff.Result}
	}
	var notes []string
	for _, r := range results {
		for _, f := range r.Findings {
			run.AddResult(sarifResult(r, f, o))
		}
		notes = append(notes, r.Notes...)
	}
	if len(notes) > 0 {
		run.Properties["notes"] = notes
	}
	if len(run.Properties) == 0 {
		run.Properties = nil
	}
	rep.AddRun(run)
	// GitHub shows these texts to people: invisible characters escaped.
	return writeJSON(w, withStrings(rep, visibleText), "  ")
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s audit.Severity) string {
	switch s {
	case audit.High:
		return "error"
	case audit.Medium:
		return "warning"
	default:
		return "note"
	}
}

// sarifRule is the reporting descriptor of rule ri, in the report language
// (the other language in the properties), from the one table of rule texts.
func sarifRule(ri audit.RuleInfo, o Options) *sarif.ReportingDescriptor {
	t := LookupRuleText(ri.ID)
	title, help, other, otherHelp := t.Title, t.Help, t.TitleZh, t.HelpZh
	if o.zh() {
		title, help, other, otherHelp = t.TitleZh, t.HelpZh, t.Title, t.Help
	}
	ref := o.t("reference")
	rule := sarif.NewRule(ri.ID).WithName(ruleName(ri.ID)).WithHelpURI(HelpURI(ri.ID))
	rule.ShortDescription = sarif.NewMultiformatMessageString(title)
	rule.FullDescription = sarif.NewMultiformatMessageString(help)
	rule.Help = sarif.NewMultiformatMessageString(help + "\n\n" + ref + ": " + ri.Reference).
		WithMarkdown(help + "\n\n**" + ref + ":** " + ri.Reference + "\n\n**" + other + "**\n\n" + otherHelp)
	rule.DefaultConfiguration = sarif.NewReportingConfiguration().WithLevel(sarifLevel(ri.Default))
	rule.Properties = sarif.Properties{
		"title_zh":         t.TitleZh,
		"help_zh":          t.HelpZh,
		"title_en":         t.Title,
		"reference":        ri.Reference,
		"default_severity": ri.Default.String(),
		"precision":        t.Precision,
		"tags":             []string{"privacy", "compliance", ruleArea(ri.ID)},
	}
	if ss := securitySeverity(ri.Default); ss != "" {
		rule.Properties["security-severity"] = ss
		rule.Properties["tags"] = []string{"security", "privacy", "compliance", ruleArea(ri.ID)}
	}
	return rule
}

// ruleName turns "undisclosed-sdk" into "UndisclosedSdk", SARIF's customary rule name form.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// ruleArea says whether a rule is about permissions, SDKs or code coverage.
func ruleArea(id string) string {
	switch {
	case strings.Contains(id, "permission"):
		return "permission"
	case strings.Contains(id, "sdk"):
		return "sdk"
	default:
		return "code"
	}
}

func sarifResult(r *Result, f Finding, o Options) *sarif.Result {
	msg := o.message(f.Finding)
	if note := o.anchorNote(f.Anchor); note != "" && o.zh() {
		msg += note // full-width parentheses need no space
	} else if note != "" {
		msg += " " + note
	}
	res := sarif.NewRuleResult(f.Rule).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(msg))
	res.Properties = sarif.Properties{
		"severity":   f.Severity.String(),
		"subject":    f.Subject,
		"message_en": f.Message,
		"message_zh": f.MessageZh,
		"evidence":   map[string][]string{"artifact": nonNil(f.Evidence.Artifact), "policy": nonNil(f.Evidence.Policy)},
		"reference":  f.Reference,
		"fix":        o.fix(f),
	}
	if f.WaiverReason != "" {
		res.Properties["waiver_reason"] = f.WaiverReason
	}
	if s := findingSDK(r.Build, f); s != nil && s.Version != "" {
		res.Properties["sdk_version"] = s.Version
		res.Properties["sdk_version_evidence"] = s.VersionEvidence
	}

	if a := f.Anchor; a.File != "" {
		res.AddLocation(o.sarifLocation(a.File, a.Line))
	}
	// Related: the policy lines not already the anchor, then the artifact
	// and the place in it the finding is about.
	for _, ref := range f.Refs {
		if len(res.RelatedLocations) == maxRelated {
			break
		}
		if ref.File != f.Anchor.File || ref.Line != f.Anchor.Line {
			res.AddRelatedLocation(o.sarifLocation(ref.File, ref.Line))
		}
	}
	app := ""
	if b := r.Build; b != nil {
		app = b.App.Package
		if p := b.Artifact.Path; p != "" && f.Anchor.Stand != StandArtifact {
			loc := o.sarifLocation(p, 0)
			if f.Where.Name != "" {
				loc.WithLogicalLocations([]*sarif.LogicalLocation{sarif.NewLogicalLocation().WithName(f.Where.Name).WithKind(f.Where.Kind)})
			}
			res.AddRelatedLocation(loc)
		}
	}

	fp := fingerprint(f.Rule, f.Subject, app)
	// primaryLocationLineHash is ours too, so that upload-sarif does not
	// compute one from the anchor line, which moves when the policy is edited.
	res.PartialFingerprints = map[string]any{fingerprintKey: fp, "primaryLocationLineHash": fp}
	if f.Waived {
		res.AddSuppression(sarif.NewSuppression("external").
			WithStatus("accepted").
			WithJustifcation(f.WaiverReason).
			WithGuid(guidFrom(fp)).
			WithLocation(sarif.NewLocation()))
	}
	return res
}

// anchorNote says, in the report language, what a stand-in anchor stands
// for; "" for a finding's own line.
func (o Options) anchorNote(a Anchor) string {
	switch a.Stand {
	case StandSDKList:
		return o.t("anchor-sdk-list")
	case StandPermissions:
		return o.t("anchor-permissions")
	case StandPolicy:
		return o.t("anchor-policy")
	case StandArtifact:
		return o.t("anchor-artifact")
	}
	return ""
}

// sarifLocation is a physical location of file (at line, when line > 0),
// its URI relative to SRCROOT when the file is under it.
func (o Options) sarifLocation(file string, line int) *sarif.Location {
	al := sarif.NewArtifactLocation()
	if rel, ok := o.repoPath(file); ok {
		al.WithUri(relURI(rel)).WithUriBaseId(srcRoot)
	} else {
		al.WithUri(fileURI(file))
	}
	pl := sarif.NewPhysicalLocation().WithArtifactLocation(al)
	if line > 0 {
		pl.WithRegion(sarif.NewRegion().WithStartLine(line))
	}
	return sarif.NewLocationWithPhysicalLocation(pl)
}

// repoPath is file relative to SourceRoot, cleaned and slash-separated
// ("./demo/../demo/demo.apk" is "demo/demo.apk"), and whether it is inside
// it. Without a SourceRoot a relative path is taken as relative to the root.
func (o Options) repoPath(file string) (string, bool) {
	if o.SourceRoot == "" {
		if filepath.IsAbs(file) || filepath.VolumeName(file) != "" {
			return "", false
		}
		rel := path.Clean(filepath.ToSlash(file))
		return rel, rel != ".." && !strings.HasPrefix(rel, "../")
	}
	abs := file
	if !filepath.IsAbs(abs) {
		wd := o.WorkDir
		if wd == "" {
			wd, _ = os.Getwd()
		}
		abs = filepath.Join(wd, abs)
	}
	rel, err := filepath.Rel(o.SourceRoot, abs)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	return rel, rel != ".." && !strings.HasPrefix(rel, "../")
}

// fingerprint identifies a finding across runs: rule, subject and the app's package name,
// never the artifact path or the time.
func fingerprint(rule, subject, app string) string {
	sum := sha256.Sum256([]byte(rule + "\x00" + subject + "\x00" + app))
	return hex.EncodeToString(sum[:16])
}

// guidFrom formats a 32-digit hex fingerprint as a name-based (version 5 style)
// GUID, as the SARIF schema requires for suppressions.
func guidFrom(fp string) string {
	variant := "89ab"[strings.IndexByte("0123456789abcdef", fp[16])%4]
	return fp[0:8] + "-" + fp[8:12] + "-5" + fp[13:16] + "-" + string(variant) + fp[17:20] + "-" + fp[20:32]
}

// relURI is a relative slash path as a URI reference: spaces and non-ASCII
// percent-encoded.
func relURI(rel string) string { return (&url.URL{Path: rel}).String() }

// dirURI is the file:// URI of an absolute directory, with the trailing
// slash a uriBaseId needs.
func dirURI(dir string) string {
	u := fileURI(dir)
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// fileURI turns a file path into a SARIF uri-reference: relative paths stay relative,
// absolute ones become file:// URIs; spaces and non-ASCII are percent-encoded.
func fileURI(p string) string {
	p = filepath.ToSlash(p)
	u := url.URL{Path: p}
	if strings.HasPrefix(p, "/") {
		u.Scheme = "file"
	} else if len(p) > 1 && p[1] == ':' { // C:/...
		u.Scheme, u.Path = "file", "/"+p
	}
	return u.String()
}
