package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/diff"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// Diff is what `apkaudit diff` renders: the changes between two builds and,
// when a policy was given, the findings about what the new build added.
type Diff struct {
	Diff *diff.Result
	// Findings is nil when no policy was given.
	Findings   []audit.Finding
	Disclosure *policy.Disclosure
}

// DiffDocument is the JSON view of a Diff (schema_version 1).
type DiffDocument struct {
	SchemaVersion      int              `json:"schema_version"`
	Tool               JSONTool         `json:"tool"`
	Old                JSONArtifact     `json:"old"`
	New                JSONArtifact     `json:"new"`
	OldApp             JSONApp          `json:"old_app"`
	NewApp             JSONApp          `json:"new_app"`
	AddedPermissions   []DiffPermission `json:"added_permissions"`
	RemovedPermissions []DiffPermission `json:"removed_permissions"`
	AddedSDKs          []JSONSDK        `json:"added_sdks"`
	RemovedSDKs        []JSONSDK        `json:"removed_sdks"`
	TargetSDK          *diff.Change     `json:"target_sdk,omitempty"`
	MinSDK             *diff.Change     `json:"min_sdk,omitempty"`
	VersionCode        *diff.Change     `json:"version_code,omitempty"`
	// PolicyChecked is true when --policy was given; Findings then lists what is undisclosed among the additions.
	PolicyChecked bool          `json:"policy_checked"`
	Findings      []JSONFinding `json:"findings"`
	Summary       JSONSummary   `json:"summary"`
}

// DiffPermission is a permission added or removed, with whether the policy discloses it.
type DiffPermission struct {
	JSONPermission
	// Undisclosed is set only when a policy was checked.
	Undisclosed *bool `json:"undisclosed,omitempty"`
}

// NewDiffDocument builds the JSON view of d.
func NewDiffDocument(d Diff, o Options) *DiffDocument {
	r := d.Diff
	undisclosed := map[string]bool{}
	for _, f := range d.Findings {
		if !f.Waived && (f.Rule == audit.RuleUndisclosedPermission || f.Rule == audit.RuleUndisclosedPermissionNormal || f.Rule == audit.RuleUndisclosedSDK) {
			undisclosed[f.Subject] = true
		}
	}
	perms := func(ps []inventory.Permission, flag bool) []DiffPermission {
		out := []DiffPermission{}
		for _, p := range jsonPermissions(ps) {
			dp := DiffPermission{JSONPermission: p}
			if flag && d.Findings != nil {
				u := undisclosed[p.Name]
				dp.Undisclosed = &u
			}
			out = append(out, dp)
		}
		return out
	}
	s := summarize(d.Findings)
	doc := &DiffDocument{
		SchemaVersion: SchemaVersion, Tool: jsonTool(o),
		Old: jsonArtifact(r.Old.Inventory), New: jsonArtifact(r.New.Inventory),
		OldApp: jsonApp(r.Old.Inventory.App), NewApp: jsonApp(r.New.Inventory.App),
		AddedPermissions: perms(r.AddedPermissions, true), RemovedPermissions: perms(r.RemovedPermissions, false),
		AddedSDKs: jsonSDKs(r.AddedSDKs), RemovedSDKs: jsonSDKs(r.RemovedSDKs),
		TargetSDK: r.TargetSDK, MinSDK: r.MinSDK, VersionCode: r.VersionCode,
		PolicyChecked: d.Findings != nil, Findings: jsonFindings(d.Findings),
		Summary: JSONSummary{High: s.High, Medium: s.Medium, Low: s.Low, Info: s.Info},
	}
	return doc
}

// RenderDiff writes d in format: json, table or markdown.
func RenderDiff(w io.Writer, format string, d Diff, o Options) error {
	switch strings.ToLower(format) {
	case "json":
		return writeJSON(w, NewDiffDocument(d, o), "  ")
	case "jsonl":
		return writeJSON(w, NewDiffDocument(d, o), "")
	case "table", "markdown":
		bw := bufio.NewWriter(w)
		writeDiffText(bw, d, o, format == "markdown")
		return bw.Flush()
	}
	return fmt.Errorf("report: diff has no %q format (want json, table or markdown)", format)
}

func writeDiffText(w *bufio.Writer, d Diff, o Options, md bool) {
	r := d.Diff
	doc := NewDiffDocument(d, o)
	head := func(s string) {
		if md {
			fmt.Fprintf(w, "\n### %s\n\n", s)
		} else {
			fmt.Fprintf(w, "\n%s\n", s)
		}
	}
	item := func(s string) {
		if md {
			fmt.Fprintf(w, "- %s\n", mdCell(s))
		} else {
			fmt.Fprintf(w, "  %s\n", s)
		}
	}
	title := o.t("diff-title")
	if md {
		fmt.Fprintf(w, "## %s\n\n", title)
	} else {
		fmt.Fprintf(w, "%s\n", title)
	}
	fmt.Fprintf(w, "%s %s → %s\n", r.New.Inventory.App.Package, versionString(r.Old.Inventory.App), versionString(r.New.Inventory.App))
	mark := func(undisclosed *bool) string {
		if undisclosed != nil && *undisclosed {
			return " — " + o.t("undisclosed")
		}
		return ""
	}
	head(o.t("added-permissions"))
	if len(doc.AddedPermissions) == 0 {
		item(o.t("none"))
	}
	for _, p := range doc.AddedPermissions {
		item(fmt.Sprintf("+ %s (%s%s)%s", p.Name, p.Protection, sensitiveTag(o, p.Sensitive), mark(p.Undisclosed)))
	}
	head(o.t("added-sdks"))
	if len(r.AddedSDKs) == 0 {
		item(o.t("none"))
	}
	for _, s := range r.AddedSDKs {
		item(fmt.Sprintf("+ %s (%s, %s): %s%s", s.ID(), sdkName(o, s), s.Entry.Vendor, evidenceText(s.Evidence), mark(flag(d, s.ID()))))
	}
	head(o.t("removed-permissions"))
	if len(doc.RemovedPermissions) == 0 {
		item(o.t("none"))
	}
	for _, p := range doc.RemovedPermissions {
		item(fmt.Sprintf("- %s (%s)", p.Name, p.Protection))
	}
	head(o.t("removed-sdks"))
	if len(r.RemovedSDKs) == 0 {
		item(o.t("none"))
	}
	for _, s := range r.RemovedSDKs {
		item(fmt.Sprintf("- %s (%s)", s.ID(), sdkName(o, s)))
	}
	if r.TargetSDK != nil || r.MinSDK != nil {
		head(o.t("sdk-range"))
		if r.MinSDK != nil {
			item(fmt.Sprintf("minSdkVersion %d → %d", r.MinSDK.Old, r.MinSDK.New))
		}
		if r.TargetSDK != nil {
			item(fmt.Sprintf("targetSdkVersion %d → %d", r.TargetSDK.Old, r.TargetSDK.New))
		}
	}
	if d.Findings != nil {
		head(o.t("findings"))
		if len(d.Findings) == 0 {
			item(o.t("no-findings"))
		}
		for _, f := range sortedFindings(d.Findings) {
			sev := o.sev(f.Severity)
			if f.Waived {
				sev += " (" + o.t("waived") + ")"
			}
			item(fmt.Sprintf("[%s] %s %s: %s", sev, f.Rule, f.Subject, o.message(f)))
		}
		fmt.Fprintf(w, "\n%s: %s\n", o.t("summary"), o.summaryLine(d.Findings))
	}
}

func flag(d Diff, subject string) *bool {
	if d.Findings == nil {
		return nil
	}
	u := false
	for _, f := range d.Findings {
		if f.Subject == subject && f.Rule == audit.RuleUndisclosedSDK && !f.Waived {
			u = true
		}
	}
	return &u
}

func sensitiveTag(o Options, sensitive bool) string {
	if sensitive {
		return ", " + o.t("sensitive-tag")
	}
	return ""
}

func sdkName(o Options, s sdk.Detection) string {
	if o.Lang == "zh" && s.Entry.NameZh != "" {
		return s.Entry.NameZh
	}
	return s.Entry.Name
}

func evidenceText(ev []sdk.Evidence) string {
	var parts []string
	for i, e := range sortedEvidence(ev) {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("+%d", len(ev)-3))
			break
		}
		parts = append(parts, e.Kind+" "+e.Value)
	}
	return strings.Join(parts, "; ")
}

func jsonArtifact(inv *inventory.Inventory) JSONArtifact {
	a := inv.Artifact
	return JSONArtifact{Path: a.Path, Kind: a.Kind, SHA256: a.SHA256, Size: a.Size}
}

func jsonApp(a inventory.App) JSONApp {
	return JSONApp{Package: a.Package, VersionName: a.VersionName, VersionCode: a.VersionCode,
		MinSDK: a.MinSDK, TargetSDK: a.TargetSDK, CompileSDK: a.CompileSDK, Label: a.Label}
}
