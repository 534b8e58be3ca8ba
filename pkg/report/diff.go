package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/diff"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// Diff is what `apkaudit diff` shows: the changes between two builds and,
// when a policy was given, the findings about what the new build added.
type Diff struct {
	Old, New           JSONArtifact
	OldApp, NewApp     JSONApp
	AddedPermissions   []DiffPermission
	RemovedPermissions []DiffPermission
	AddedSDKs          []DiffSDK
	RemovedSDKs        []DiffSDK
	// SDKVersions are the SDKs both builds embed whose versions differ.
	SDKVersions []DiffSDKVersion
	// AddedReads are the code reads of the new build the old one lacks.
	AddedReads  []JSONRead
	TargetSDK   *diff.Change
	MinSDK      *diff.Change
	VersionCode *diff.Change
	// PolicyChecked is true when a policy was given; Result's findings then
	// are what is undisclosed among the additions.
	PolicyChecked bool
	// Result is the new build with those findings.
	Result *Result
}

// DiffPermission is a permission added or removed, with whether the policy discloses it.
type DiffPermission struct {
	JSONPermission
	// Undisclosed is set only for an addition when a policy was checked.
	Undisclosed *bool `json:"undisclosed,omitempty"`
}

// DiffSDK is an SDK added or removed, with whether the policy discloses it.
type DiffSDK struct {
	JSONSDK
	// Undisclosed is set only for an addition when a policy was checked.
	Undisclosed *bool `json:"undisclosed,omitempty"`
}

// NewDiffView builds the view of a diff: the changes d and the new build's
// finished result r (its findings are those about what it added).
func NewDiffView(d *diff.Result, r *audit.Result, o Options) *View {
	res := newResult(CommandDiff, r, o)
	v := &Diff{
		Old: jsonArtifact(d.Old.Inventory), New: jsonArtifact(d.New.Inventory),
		OldApp: jsonApp(d.Old.Inventory.App), NewApp: jsonApp(d.New.Inventory.App),
		TargetSDK: d.TargetSDK, MinSDK: d.MinSDK, VersionCode: d.VersionCode,
		PolicyChecked: r.Disclosure != nil, Result: res,
	}
	// An addition is undisclosed when a finding says the policy does not
	// disclose it (audit.Finding.Undisclosed decides which do).
	undisclosed := func(subject string, added bool) *bool {
		if !added || !v.PolicyChecked {
			return nil
		}
		u := false
		for _, f := range res.Findings {
			u = u || f.Subject == subject && f.Undisclosed()
		}
		return &u
	}
	perms := func(ps []inventory.Permission, added bool) []DiffPermission {
		out := []DiffPermission{}
		for _, p := range jsonPermissions(ps) {
			out = append(out, DiffPermission{p, undisclosed(p.Name, added)})
		}
		return out
	}
	v.AddedPermissions, v.RemovedPermissions = perms(d.AddedPermissions, true), perms(d.RemovedPermissions, false)
	for _, s := range jsonSDKs(d.AddedSDKs) {
		v.AddedSDKs = append(v.AddedSDKs, DiffSDK{s, undisclosed(s.ID, true)})
	}
	for _, s := range jsonSDKs(d.RemovedSDKs) {
		v.RemovedSDKs = append(v.RemovedSDKs, DiffSDK{s, nil})
	}
	v.AddedSDKs, v.RemovedSDKs = nonNilOf(v.AddedSDKs), nonNilOf(v.RemovedSDKs)
	v.SDKVersions = diffSDKVersions(d.VersionChanges)
	v.AddedReads = jsonReads(d.AddedReads)
	for i := range v.AddedPermissions {
		v.AddedPermissions[i].UsedBy = nonNil(sdk.UsedBy(r.Reads, v.AddedPermissions[i].Name))
	}
	return &View{Command: CommandDiff, Options: o, Diff: v}
}

// nonNilOf returns s, or an empty slice that encodes as [] when s is nil.
func nonNilOf[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// DiffDocument is the JSON view of a diff (schema_version 1).
type DiffDocument struct {
	SchemaVersion      int              `json:"schema_version"`
	Tool               JSONTool         `json:"tool"`
	Old                JSONArtifact     `json:"old"`
	New                JSONArtifact     `json:"new"`
	OldApp             JSONApp          `json:"old_app"`
	NewApp             JSONApp          `json:"new_app"`
	AddedPermissions   []DiffPermission `json:"added_permissions"`
	RemovedPermissions []DiffPermission `json:"removed_permissions"`
	AddedSDKs          []DiffSDK        `json:"added_sdks"`
	// ChangedSDKVersions extends DESIGN.md: the SDKs of both builds whose versions differ.
	ChangedSDKVersions []DiffSDKVersion `json:"changed_sdk_versions"`
	RemovedSDKs        []DiffSDK        `json:"removed_sdks"`
	AddedReads         []JSONRead       `json:"added_reads"`
	TargetSDK          *diff.Change     `json:"target_sdk,omitempty"`
	MinSDK             *diff.Change     `json:"min_sdk,omitempty"`
	VersionCode        *diff.Change     `json:"version_code,omitempty"`
	// PolicyChecked is true when --policy was given; Findings then lists what is undisclosed among the additions.
	PolicyChecked bool `json:"policy_checked"`
	Outcome
}

func newDiffDocument(v *View) *DiffDocument {
	d := v.Diff
	return &DiffDocument{
		SchemaVersion: SchemaVersion, Tool: jsonTool(v.Options),
		Old: d.Old, New: d.New, OldApp: d.OldApp, NewApp: d.NewApp,
		AddedPermissions: d.AddedPermissions, RemovedPermissions: d.RemovedPermissions,
		AddedSDKs: d.AddedSDKs, ChangedSDKVersions: d.SDKVersions, RemovedSDKs: d.RemovedSDKs, AddedReads: d.AddedReads,
		TargetSDK: d.TargetSDK, MinSDK: d.MinSDK, VersionCode: d.VersionCode,
		PolicyChecked: d.PolicyChecked, Outcome: newOutcome(d.Result),
	}
}

// writeDiffText writes the diff as plain text or, with md, as Markdown.
func writeDiffText(w io.Writer, v *View, md bool) error {
	bw := bufio.NewWriter(w)
	d, o := v.Diff, v.Options
	head := func(s string) {
		if md {
			fmt.Fprintf(bw, "\n### %s\n\n", s)
		} else {
			fmt.Fprintf(bw, "\n%s\n", s)
		}
	}
	item := func(s string) {
		if md {
			fmt.Fprintf(bw, "- %s\n", mdCell(s))
		} else {
			fmt.Fprintf(bw, "  %s\n", cleanCell(s))
		}
	}
	list := func(title string, n int, each func(i int) string) {
		head(o.t(title))
		if n == 0 {
			item(o.t("none"))
		}
		for i := range n {
			item(each(i))
		}
	}
	mark := func(undisclosed *bool) string {
		if undisclosed != nil && *undisclosed {
			return " — " + o.t("undisclosed")
		}
		return ""
	}
	if md {
		fmt.Fprintf(bw, "## %s\n\n", o.t("diff-title"))
	} else {
		fmt.Fprintf(bw, "%s\n", o.t("diff-title"))
	}
	fmt.Fprintf(bw, "%s %s → %s\n", d.NewApp.Package, versionString(d.OldApp), versionString(d.NewApp))
	list("added-permissions", len(d.AddedPermissions), func(i int) string {
		p := d.AddedPermissions[i]
		return fmt.Sprintf("+ %s (%s%s)%s", p.Name, o.protection(p.Protection), sensitiveTag(o, p.Sensitive), mark(p.Undisclosed))
	})
	list("added-sdks", len(d.AddedSDKs), func(i int) string {
		s := d.AddedSDKs[i]
		return fmt.Sprintf("+ %s%s (%s, %s): %s%s", s.ID, versionSuffix(s.JSONSDK), sdkName(o, s.JSONSDK), s.Vendor, evidenceText(o, s.Evidence), mark(s.Undisclosed))
	})
	list("sdk-versions", len(d.SDKVersions), func(i int) string { return versionChangeText(o, d.SDKVersions[i]) })
	reads := o.readRows(d.AddedReads)
	list("added-reads", len(reads), func(i int) string {
		r := reads[i]
		return fmt.Sprintf("+ %s: %s, %s ×%s (%s)", r[0], r[1], r[2], r[3], r[4])
	})
	list("removed-permissions", len(d.RemovedPermissions), func(i int) string {
		p := d.RemovedPermissions[i]
		return fmt.Sprintf("- %s (%s)", p.Name, o.protection(p.Protection))
	})
	list("removed-sdks", len(d.RemovedSDKs), func(i int) string {
		s := d.RemovedSDKs[i]
		return fmt.Sprintf("- %s%s (%s)", s.ID, versionSuffix(s.JSONSDK), sdkName(o, s.JSONSDK))
	})
	if d.TargetSDK != nil || d.MinSDK != nil {
		head(o.t("sdk-range"))
		if d.MinSDK != nil {
			item(fmt.Sprintf("minSdkVersion %d → %d", d.MinSDK.Old, d.MinSDK.New))
		}
		if d.TargetSDK != nil {
			item(fmt.Sprintf("targetSdkVersion %d → %d", d.TargetSDK.Old, d.TargetSDK.New))
		}
	}
	if d.PolicyChecked {
		r := d.Result
		head(o.t("findings"))
		if len(r.Findings) == 0 {
			item(o.t("no-findings"))
		}
		for _, f := range r.Findings {
			item(fmt.Sprintf("[%s] %s %s: %s", o.severityLabel(f), f.Rule, f.Subject, o.message(f.Finding)))
		}
		fmt.Fprintf(bw, "\n%s: %s\n", o.t("summary"), o.verdict(r))
		if len(r.Notes) > 0 {
			head(o.t("notes"))
			for _, n := range r.Notes {
				item(n)
			}
		}
	}
	return bw.Flush()
}

func sensitiveTag(o Options, sensitive bool) string {
	if sensitive {
		return ", " + o.t("sensitive-tag")
	}
	return ""
}

// sdkName is the SDK's name in the report language.
func sdkName(o Options, s JSONSDK) string {
	if o.zh() && s.NameZh != "" {
		return s.NameZh
	}
	return s.Name
}

// evidenceText is "dex-package com/umeng/analytics (120); meta-data UMENG_APPKEY; +2 more": at most three items.
// Code-call evidence is left out: the code-reads section lists it.
func evidenceText(o Options, all []JSONEvidence) string {
	var parts []string
	var ev []JSONEvidence
	for _, e := range all {
		if e.Kind != sdkdb.EvidenceCodeCall {
			ev = append(ev, e)
		}
	}
	for i, e := range ev {
		if i == 3 {
			parts = append(parts, o.tf("more", len(ev)-3))
			break
		}
		s := o.evidenceKind(e.Kind) + " " + e.Value
		if e.Count > 1 {
			s += fmt.Sprintf(" (%d)", e.Count)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
