package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// sarifSchemaURI is the $schema of the documents we write: the OASIS errata01 schema.
const sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// fingerprintKey names our partial fingerprint; bump the version if its recipe changes.
const fingerprintKey = "apkauditFinding/v1"

// sarifRenderer writes SARIF 2.1.0: one run holding every rule and the findings of all results.
type sarifRenderer struct{}

func (sarifRenderer) Name() string { return "sarif" }

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
		driver.AddRule(sarifRule(ri))
	}
	if o.Tool.SDKDBVersion != "" {
		run.Properties = sarif.Properties{"sdkdb_version": o.Tool.SDKDBVersion}
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
		if run.Properties == nil {
			run.Properties = sarif.Properties{}
		}
		run.Properties["notes"] = notes
	}
	rep.AddRun(run)
	return writeJSON(w, rep, "  ")
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

func sarifRule(ri audit.RuleInfo) *sarif.ReportingDescriptor {
	t := LookupRuleText(ri.ID)
	rule := sarif.NewRule(ri.ID).WithName(ruleName(ri.ID))
	rule.ShortDescription = sarif.NewMultiformatMessageString(t.Title)
	rule.FullDescription = sarif.NewMultiformatMessageString(t.Help)
	rule.Help = sarif.NewMultiformatMessageString(t.Help + "\n\nReference: " + ri.Reference).
		WithMarkdown(t.Help + "\n\n**Reference:** " + ri.Reference + "\n\n**" + t.TitleZh + "**\n\n" + t.HelpZh)
	rule.DefaultConfiguration = sarif.NewReportingConfiguration().WithLevel(sarifLevel(ri.Default))
	rule.Properties = sarif.Properties{
		"title_zh":         t.TitleZh,
		"help_zh":          t.HelpZh,
		"reference":        ri.Reference,
		"default_severity": ri.Default.String(),
		"tags":             []string{"privacy", "compliance", ruleArea(ri.ID)},
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
	res := sarif.NewRuleResult(f.Rule).
		WithLevel(sarifLevel(f.Severity)).
		WithMessage(sarif.NewTextMessage(o.message(f.Finding)))
	res.Properties = sarif.Properties{
		"severity":   f.Severity.String(),
		"subject":    f.Subject,
		"message_en": f.Message,
		"message_zh": f.MessageZh,
		"evidence":   map[string][]string{"artifact": nonNil(f.Evidence.Artifact), "policy": nonNil(f.Evidence.Policy)},
		"reference":  f.Reference,
	}
	if f.WaiverReason != "" {
		res.Properties["waiver_reason"] = f.WaiverReason
	}
	if s := findingSDK(r.Build, f); s != nil && s.Version != "" {
		res.Properties["sdk_version"] = s.Version
		res.Properties["sdk_version_evidence"] = s.VersionEvidence
	}

	app := ""
	if b := r.Build; b != nil {
		app = b.App.Package
		if p := b.Artifact.Path; p != "" {
			loc := sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(fileURI(p))))
			if f.Where.Name != "" {
				loc.WithLogicalLocations([]*sarif.LogicalLocation{sarif.NewLogicalLocation().WithName(f.Where.Name).WithKind(f.Where.Kind)})
			}
			res.AddLocation(loc)
		}
	}
	for _, ref := range f.Refs {
		loc := sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
			WithArtifactLocation(sarif.NewSimpleArtifactLocation(fileURI(ref.File))).
			WithRegion(sarif.NewRegion().WithStartLine(ref.Line)))
		res.AddLocation(loc)
	}

	fp := fingerprint(f.Rule, f.Subject, app)
	res.PartialFingerprints = map[string]any{fingerprintKey: fp}
	if f.Waived {
		res.AddSuppression(sarif.NewSuppression("external").
			WithStatus("accepted").
			WithJustifcation(f.WaiverReason).
			WithGuid(guidFrom(fp)).
			WithLocation(sarif.NewLocation()))
	}
	return res
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
