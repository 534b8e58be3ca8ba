package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"io"
	"slices"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// SchemaVersion is the version of the JSON documents (DESIGN.md "JSON").
const SchemaVersion = 1

// jsonRenderer writes the schema_version 1 JSON document: one object for one
// result, an array for several.
type jsonRenderer struct{}

func (jsonRenderer) Name() string { return "json" }

func (jsonRenderer) Extensions() []string { return []string{".json"} }

func (jsonRenderer) Shows(c Command) bool { return shows(c, append(reports, CommandSDKDB)...) }

func (jsonRenderer) Render(w io.Writer, v *View) error {
	switch {
	case v.Diff != nil:
		return writeJSON(w, newDiffDocument(v), "  ")
	case v.Catalogue != nil:
		return writeJSON(w, v.Catalogue.document(), "  ")
	}
	docs := documents(v)
	var doc any = docs
	if len(docs) == 1 {
		doc = docs[0]
	}
	return writeJSON(w, doc, "  ")
}

// jsonlRenderer writes one compact JSON document per line: batch output.
type jsonlRenderer struct{}

func (jsonlRenderer) Name() string { return "jsonl" }

func (jsonlRenderer) Extensions() []string { return []string{".jsonl", ".ndjson"} }

func (jsonlRenderer) Shows(c Command) bool { return shows(c, append(reports, CommandBatch)...) }

func (jsonlRenderer) Render(w io.Writer, v *View) error {
	switch {
	case v.Diff != nil:
		return writeJSON(w, newDiffDocument(v), "")
	case v.Error != nil:
		return writeJSON(w, ErrorDocument{SchemaVersion, v.Error.Path, v.Error.Error}, "")
	}
	for _, d := range documents(v) {
		if err := writeJSON(w, d, ""); err != nil {
			return err
		}
	}
	return nil
}

// writeJSON encodes v without HTML escaping (policy text is full of & and <),
// followed by a newline, in one Write. It is the JSON destination's
// sanitiser: invalid bytes are kept as the text \xNN, and the controls
// encoding/json leaves raw are written as \u escapes (jsonTail).
func writeJSON(w io.Writer, v any, indent string) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(withStrings(v, escapeInvalid)); err != nil {
		return err
	}
	_, err := w.Write(jsonTail(buf.Bytes()))
	return err
}

// documents returns the JSON object of every result of v.
func documents(v *View) []any {
	docs := make([]any, 0, len(v.Results))
	for _, r := range v.Results {
		docs = append(docs, document(r, v.Options))
	}
	return docs
}

// document returns the JSON object of r for its command: an
// *InspectDocument, a *PolicyDocument or a *CheckDocument. Slices are never
// nil, so they encode as [].
func document(r *Result, o Options) any {
	tool := jsonTool(o)
	switch r.Command {
	case CommandPolicy:
		return &PolicyDocument{SchemaVersion: SchemaVersion, Tool: tool, JSONPolicy: *r.Policy}
	case CommandCheck:
		return &CheckDocument{SchemaVersion: SchemaVersion, Tool: tool, Build: *r.Build, Policy: *r.Policy,
			Outcome: newOutcome(r)}
	}
	return &InspectDocument{SchemaVersion: SchemaVersion, Tool: tool, Build: *r.Build, Outcome: newOutcome(r)}
}

// InspectDocument is the inspect JSON object: the build, and the findings
// (unanalysed-code) that decide the exit code.
type InspectDocument struct {
	SchemaVersion int      `json:"schema_version"`
	Tool          JSONTool `json:"tool"`
	Build
	Outcome
}

// PolicyDocument is the policy JSON object.
type PolicyDocument struct {
	SchemaVersion int      `json:"schema_version"`
	Tool          JSONTool `json:"tool"`
	JSONPolicy
}

// CheckDocument is the check JSON object: the inspect fields, the policy
// object under "policy", the findings and their summary.
type CheckDocument struct {
	SchemaVersion int      `json:"schema_version"`
	Tool          JSONTool `json:"tool"`
	Build
	Policy JSONPolicy `json:"policy"`
	Outcome
}

// ErrorDocument is the batch line of an artifact that could not be read.
type ErrorDocument struct {
	SchemaVersion int    `json:"schema_version"`
	Path          string `json:"path"`
	Error         string `json:"error"`
}

// Build is the build side of a result, as the inspect object holds it.
// Splits, Unanalysed, MetaData and AppFlags extend DESIGN.md's field list.
type Build struct {
	Artifact    JSONArtifact     `json:"artifact"`
	App         JSONApp          `json:"app"`
	Permissions []JSONPermission `json:"permissions"`
	SDKs        []JSONSDK        `json:"sdks"`
	Components  JSONComponents   `json:"components"`
	NativeLibs  []string         `json:"native_libs"`
	Code        JSONCode         `json:"code"`
	Warnings    []string         `json:"warnings"`
	Splits      []JSONSplit      `json:"splits"`
	Unanalysed  []JSONUnanalysed `json:"unanalysed"`
	MetaData    []JSONMetaData   `json:"meta_data"`
	AppFlags    JSONAppFlags     `json:"app_flags"`
	// Native lists the native libraries whose ELF tables were read (a bare
	// .so, one library of each name in an archive); absent when none was.
	Native []JSONNativeLib `json:"native,omitempty"`
}

// Outcome is what the rules and the review concluded: the findings, their
// summary, and the notes about the configuration (notes extend DESIGN.md).
type Outcome struct {
	Findings []JSONFinding `json:"findings"`
	Summary  JSONSummary   `json:"summary"`
	Notes    []string      `json:"notes"`
}

func newOutcome(r *Result) Outcome {
	return Outcome{Findings: jsonFindings(r.Findings), Summary: jsonSummary(r.Summary), Notes: nonNil(r.Notes)}
}

// JSONTool is tool{name, version, sdkdb_version}.
type JSONTool struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	SDKDBVersion string `json:"sdkdb_version"`
}

// JSONArtifact is artifact{path, kind, sha256, size}.
type JSONArtifact struct {
	Path   string `json:"path"`
	Kind   string `json:"kind"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// JSONApp is app{package, version_name, version_code, min_sdk, target_sdk, label} (+ compile_sdk).
type JSONApp struct {
	Package     string `json:"package"`
	VersionName string `json:"version_name"`
	VersionCode int64  `json:"version_code"`
	MinSDK      int    `json:"min_sdk"`
	TargetSDK   int    `json:"target_sdk"`
	CompileSDK  int    `json:"compile_sdk,omitempty"`
	Label       string `json:"label"`
}

// JSONPermission is one declared permission.
type JSONPermission struct {
	Name       string `json:"name"`
	MaxSDK     int    `json:"max_sdk"`
	SDK23      bool   `json:"sdk23"`
	Protection string `json:"protection"`
	Group      string `json:"group"`
	Sensitive  bool   `json:"sensitive"`
	Zh         string `json:"zh"`
	// UsedBy are the parties whose code calls an API that needs the
	// permission (sdk.UsedBy): SDK ids, "app", "unattributed".
	UsedBy []string `json:"used_by"`
}

// JSONSDK is one detected SDK with its evidence.
type JSONSDK struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	NameZh   string         `json:"name_zh"`
	Vendor   string         `json:"vendor"`
	Category string         `json:"category"`
	Evidence []JSONEvidence `json:"evidence"`
	Via      string         `json:"via,omitempty"`
	// Version is the SDK's version as the binary carries it; absent when it carries none.
	Version         string               `json:"version,omitempty"`
	VersionEvidence *JSONVersionEvidence `json:"version_evidence,omitempty"`
	// Reads are the data types the SDK's own code reads.
	Reads []JSONSDKRead `json:"reads"`
}

// JSONEvidence is evidence{kind, value, count}.
type JSONEvidence struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	Count int    `json:"count"`
}

// JSONComponents lists manifest components by kind.
type JSONComponents struct {
	Activities []JSONComponent `json:"activities"`
	Services   []JSONComponent `json:"services"`
	Receivers  []JSONComponent `json:"receivers"`
	Providers  []JSONComponent `json:"providers"`
}

// JSONComponent is one component {name, exported?, authorities?}.
type JSONComponent struct {
	Name        string   `json:"name"`
	Exported    *bool    `json:"exported,omitempty"`
	Authorities []string `json:"authorities,omitempty"`
}

// JSONCode is code{dex_files, classes, packages} (+ class_names with --classes).
type JSONCode struct {
	DexFiles   int           `json:"dex_files"`
	Classes    int           `json:"classes"`
	Packages   []JSONPackage `json:"packages"`
	ClassNames []string      `json:"class_names,omitempty"`
	// Reads are the call sites of personal-information APIs, one per API,
	// data type, party and kind of reach; CallScan says what was scanned.
	Reads    []JSONRead   `json:"reads"`
	CallScan JSONCallScan `json:"call_scan"`
}

// JSONPackage is one Java package and its class count.
type JSONPackage struct {
	Name    string `json:"name"`
	Classes int    `json:"classes"`
}

// JSONSplit is one APK of a bundle or one AAB module.
type JSONSplit struct {
	Name string `json:"name"`
	Base bool   `json:"base"`
}

// JSONUnanalysed is code apkaudit could not read.
type JSONUnanalysed struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// JSONMetaData is one <meta-data> element.
type JSONMetaData struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Parent string `json:"parent,omitempty"`
}

// JSONAppFlags are the <application> attributes; absent ones are left out.
type JSONAppFlags struct {
	Debuggable            *bool  `json:"debuggable,omitempty"`
	AllowBackup           *bool  `json:"allow_backup,omitempty"`
	UsesCleartextTraffic  *bool  `json:"uses_cleartext_traffic,omitempty"`
	NetworkSecurityConfig string `json:"network_security_config,omitempty"`
	Name                  string `json:"name,omitempty"`
}

// JSONPolicy is what the policy documents disclose.
type JSONPolicy struct {
	Documents            []JSONDocument   `json:"documents"`
	Permissions          []JSONPolicyPerm `json:"permissions"`
	SDKs                 []JSONPolicySDK  `json:"sdks"`
	DataTypes            []string         `json:"data_types"`
	Warnings             []string         `json:"warnings"`
	Mentions             []JSONMention    `json:"mentions"`
	HasSDKList           bool             `json:"has_sdk_list"`
	HasPermissionSection bool             `json:"has_permission_section"`
}

// JSONDocument is documents[{path, format, chars}].
type JSONDocument struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	Chars  int    `json:"chars"`
}

// JSONPolicyPerm is one disclosed permission: lines are line numbers, refs add the file.
type JSONPolicyPerm struct {
	Name    string        `json:"name"`
	Phrases []string      `json:"phrases"`
	Lines   []int         `json:"lines"`
	Refs    []JSONLineRef `json:"refs"`
}

// JSONLineRef is {file, line}.
type JSONLineRef struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// JSONPolicySDK is one row of the policy's SDK list; ID is null when it matches no catalogue entry.
type JSONPolicySDK struct {
	ID        *string  `json:"id"`
	Name      string   `json:"name"`
	Company   string   `json:"company"`
	Purpose   string   `json:"purpose"`
	Data      string   `json:"data"`
	PolicyURL string   `json:"policy_url"`
	Package   string   `json:"package"`
	Line      int      `json:"line"`
	File      string   `json:"file"`
	Family    string   `json:"family,omitempty"`
	DataTypes []string `json:"data_types"`
	// AlsoIDs are the other catalogue ids a row naming several SDKs names.
	AlsoIDs []string `json:"also_ids,omitempty"`
}

// JSONMention is an SDK named in prose outside any SDK row.
type JSONMention struct {
	ID     string `json:"id"`
	Phrase string `json:"phrase"`
	File   string `json:"file"`
	Line   int    `json:"line"`
}

// JSONFinding is one finding.
type JSONFinding struct {
	Rule         string           `json:"rule"`
	Severity     string           `json:"severity"`
	Subject      string           `json:"subject"`
	Message      string           `json:"message"`
	MessageZh    string           `json:"message_zh"`
	Evidence     JSONFindEvidence `json:"evidence"`
	Reference    string           `json:"reference"`
	Waived       bool             `json:"waived,omitempty"`
	WaiverReason string           `json:"waiver_reason,omitempty"`
}

// JSONFindEvidence is evidence{artifact[], policy[]}, and the same lines in
// Chinese where a line is in words (artifact_zh, policy_zh: extensions).
type JSONFindEvidence struct {
	Artifact   []string `json:"artifact"`
	Policy     []string `json:"policy"`
	ArtifactZh []string `json:"artifact_zh,omitempty"`
	PolicyZh   []string `json:"policy_zh,omitempty"`
}

// JSONSummary counts unwaived findings per severity.
type JSONSummary struct {
	High   int `json:"high"`
	Medium int `json:"medium"`
	Low    int `json:"low"`
	Info   int `json:"info"`
}

func jsonTool(o Options) JSONTool {
	return JSONTool{Name: o.toolName(), Version: o.Tool.Version, SDKDBVersion: o.Tool.SDKDBVersion}
}

// newBuild copies and sorts the build side of r.
func newBuild(r *audit.Result, o Options) *Build {
	inv := r.Inventory
	if inv == nil {
		inv = &inventory.Inventory{}
	}
	f := inv.AppFlags
	d := &Build{
		Artifact:    jsonArtifact(inv),
		App:         jsonApp(inv.App),
		Permissions: jsonPermissions(inv.Permissions),
		SDKs:        jsonSDKs(r.SDKs),
		Components: JSONComponents{
			Activities: jsonComponents(inv.Components.Activities),
			Services:   jsonComponents(inv.Components.Services),
			Receivers:  jsonComponents(inv.Components.Receivers),
			Providers:  jsonComponents(inv.Components.Providers),
		},
		NativeLibs: sortedStrings(inv.NativeLibs),
		Code:       JSONCode{DexFiles: inv.Code.DexFiles, Classes: inv.Code.Classes, Packages: []JSONPackage{}},
		Warnings:   []string{},
		Splits:     []JSONSplit{},
		Unanalysed: []JSONUnanalysed{},
		MetaData:   jsonMetaData(inv.MetaData),
		Native:     jsonNative(inv.Native),
		AppFlags: JSONAppFlags{Debuggable: f.Debuggable, AllowBackup: f.AllowBackup,
			UsesCleartextTraffic: f.UsesCleartextTraffic, NetworkSecurityConfig: f.NetworkSecurityConfig, Name: f.Name},
	}
	for _, p := range inv.Code.Packages {
		d.Code.Packages = append(d.Code.Packages, JSONPackage{p.Name, p.Classes})
	}
	slices.SortStableFunc(d.Code.Packages, func(a, b JSONPackage) int { return cmp.Compare(a.Name, b.Name) })
	if o.Classes {
		d.Code.ClassNames = sortedStrings(inv.Code.ClassNames)
	}
	d.addReads(r.Reads, inv.Code.CallScan)
	for _, s := range inv.Splits {
		d.Splits = append(d.Splits, JSONSplit{s.Name, s.Base})
	}
	for _, u := range inv.Unanalysed {
		d.Unanalysed = append(d.Unanalysed, JSONUnanalysed{u.Path, u.Reason})
	}
	for _, w := range inv.Warnings {
		d.Warnings = append(d.Warnings, w.String())
	}
	return d
}

func jsonSummary(s audit.Summary) JSONSummary {
	return JSONSummary{High: s.High, Medium: s.Medium, Low: s.Low, Info: s.Info}
}

func jsonArtifact(inv *inventory.Inventory) JSONArtifact {
	a := inv.Artifact
	return JSONArtifact{Path: a.Path, Kind: a.Kind, SHA256: a.SHA256, Size: a.Size}
}

func jsonApp(a inventory.App) JSONApp {
	return JSONApp{Package: a.Package, VersionName: a.VersionName, VersionCode: a.VersionCode,
		MinSDK: a.MinSDK, TargetSDK: a.TargetSDK, CompileSDK: a.CompileSDK, Label: a.Label}
}

func jsonPermissions(ps []inventory.Permission) []JSONPermission {
	out := []JSONPermission{}
	for _, p := range ps {
		out = append(out, JSONPermission{Name: p.Name, MaxSDK: p.MaxSDK, SDK23: p.SDK23,
			Protection: p.Protection, Group: p.Group, Sensitive: p.Sensitive, Zh: p.Zh, UsedBy: []string{}})
	}
	slices.SortStableFunc(out, func(a, b JSONPermission) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func jsonSDKs(ds []sdk.Detection) []JSONSDK {
	out := []JSONSDK{}
	for _, det := range ds {
		if det.Entry == nil {
			continue
		}
		e := det.Entry
		s := JSONSDK{ID: e.ID, Name: e.Name, NameZh: e.NameZh, Vendor: e.Vendor, Category: e.Category,
			Evidence: jsonEvidence(det.Evidence), Via: det.Via, Reads: []JSONSDKRead{},
			Version: det.Version, VersionEvidence: jsonVersionEvidence(det.VersionEvidence)}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b JSONSDK) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// jsonEvidence copies ev ordered by kind, then value.
func jsonEvidence(ev []sdk.Evidence) []JSONEvidence {
	out := []JSONEvidence{}
	for _, e := range ev {
		out = append(out, JSONEvidence{e.Kind, e.Value, e.Count})
	}
	slices.SortStableFunc(out, func(a, b JSONEvidence) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Value, b.Value))
	})
	return out
}

func jsonComponents(cs []inventory.Component) []JSONComponent {
	out := []JSONComponent{}
	for _, c := range cs {
		out = append(out, JSONComponent{Name: c.Name, Exported: c.Exported, Authorities: c.Authorities})
	}
	slices.SortStableFunc(out, func(a, b JSONComponent) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func jsonMetaData(md []inventory.MetaData) []JSONMetaData {
	out := []JSONMetaData{}
	for _, m := range md {
		out = append(out, JSONMetaData{m.Name, m.Value, m.Parent})
	}
	slices.SortStableFunc(out, func(a, b JSONMetaData) int {
		return cmp.Or(cmp.Compare(a.Parent, b.Parent), cmp.Compare(a.Name, b.Name))
	})
	return out
}

func newJSONPolicy(dis *policy.Disclosure) *JSONPolicy {
	p := &JSONPolicy{
		Documents: []JSONDocument{}, Permissions: []JSONPolicyPerm{}, SDKs: []JSONPolicySDK{},
		DataTypes: []string{}, Warnings: []string{}, Mentions: []JSONMention{},
	}
	if dis == nil {
		return p
	}
	p.HasSDKList, p.HasPermissionSection = dis.HasSDKList, dis.HasPermissionSection
	for _, d := range dis.Documents {
		p.Documents = append(p.Documents, JSONDocument{d.Path, d.Format, d.Chars})
	}
	for _, pd := range dis.Permissions {
		jp := JSONPolicyPerm{Name: pd.Name, Phrases: nonNil(pd.Phrases), Lines: []int{}, Refs: []JSONLineRef{}}
		for _, l := range pd.Lines {
			jp.Lines = append(jp.Lines, l.Line)
			jp.Refs = append(jp.Refs, JSONLineRef{l.File, l.Line})
		}
		p.Permissions = append(p.Permissions, jp)
	}
	slices.SortStableFunc(p.Permissions, func(a, b JSONPolicyPerm) int { return cmp.Compare(a.Name, b.Name) })
	for _, row := range dis.SDKs { // document order, as the policy lists them
		s := JSONPolicySDK{Name: row.Name, Company: row.Company, Purpose: row.Purpose, Data: row.Data,
			PolicyURL: row.PolicyURL, Package: row.Package, Line: row.Line.Line, File: row.Line.File,
			Family: row.Family, DataTypes: nonNil(row.DataTypes), AlsoIDs: row.Also}
		if row.ID != "" {
			id := row.ID
			s.ID = &id
		}
		p.SDKs = append(p.SDKs, s)
	}
	for _, m := range dis.Mentions {
		p.Mentions = append(p.Mentions, JSONMention{m.ID, m.Phrase, m.Line.File, m.Line.Line})
	}
	p.DataTypes = sortedStrings(dis.DataTypes)
	p.Warnings = nonNil(dis.Warnings)
	return p
}

func jsonFindings(fs []Finding) []JSONFinding {
	out := []JSONFinding{}
	for _, f := range fs {
		out = append(out, JSONFinding{
			Rule: f.Rule, Severity: f.Severity.String(), Subject: f.Subject,
			Message: f.Message, MessageZh: f.MessageZh,
			Evidence: JSONFindEvidence{Artifact: nonNil(f.Evidence.Artifact), Policy: nonNil(f.Evidence.Policy),
				ArtifactZh: f.Evidence.ArtifactZh, PolicyZh: f.Evidence.PolicyZh},
			Reference: f.Reference, Waived: f.Waived, WaiverReason: f.WaiverReason,
		})
	}
	return out
}

// nonNil returns a copy of s that encodes as [] when empty.
func nonNil(s []string) []string { return append([]string{}, s...) }

// sortedStrings returns a sorted copy of s, never nil.
func sortedStrings(s []string) []string {
	out := nonNil(s)
	slices.Sort(out)
	return out
}
