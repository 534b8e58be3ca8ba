package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/srcmanifest"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return tm
}

// displayWidth measures terminal columns the way a UTF-8 terminal does with
// narrow ambiguous characters: an independent oracle for the table layout.
func displayWidth(s string) int {
	c := runewidth.NewCondition()
	c.EastAsianWidth = false
	return c.StringWidth(s)
}

// sarifSchema compiles testdata/sarif-schema-2.1.0.json (OASIS, see testdata/README.md).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	require.NoError(t, c.AddResource(url, doc))
	sch, err := c.Compile(url)
	require.NoError(t, err)
	return sch
}

func requireSchemaValid(t *testing.T, sch *jsonschema.Schema, b []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	require.NoError(t, err)
	require.NoError(t, sch.Validate(inst))
}

// sarifLocation is a SARIF location as the tests read it.
type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region *struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
	LogicalLocations []struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	} `json:"logicalLocations"`
}

// sarifLog is the part of a SARIF log the tests read.
type sarifLog struct {
	Version string `json:"version"`
	Schema  string `json:"$schema"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name  string `json:"name"`
				Rules []struct {
					ID                   string `json:"id"`
					Name                 string `json:"name"`
					HelpURI              string `json:"helpUri"`
					ShortDescription     struct{ Text string }
					FullDescription      struct{ Text string }
					Help                 struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Invocations []json.RawMessage `json:"invocations"`
		Results     []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations           []sarifLocation   `json:"locations"`
			RelatedLocations    []sarifLocation   `json:"relatedLocations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind, Status, Justification string
			} `json:"suppressions"`
			Properties map[string]any `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func TestSARIFSchema(t *testing.T) {
	sch := sarifSchema(t)
	for _, cmd := range []Command{CommandInspect, CommandPolicy, CommandCheck} {
		for _, lang := range []string{"en", "zh"} {
			o := demoOptions(cmd, lang)
			o.NoTimestamp = false
			o.Now = mustTime(t, "2026-03-04T05:06:07Z")
			requireSchemaValid(t, sch, render(t, sarifRenderer{}, []*audit.Result{demoCheck()}, o))
		}
	}
	requireSchemaValid(t, sch, render(t, sarifRenderer{}, []*audit.Result{demoCheck(), demoSecond(), {}}, demoOptions("", "en")))

	// The schema really rejects things: a level it does not know.
	bad := bytes.Replace(render(t, sarifRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "en")),
		[]byte(`"level": "error"`), []byte(`"level": "fatal"`), 1)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(bad))
	require.NoError(t, err)
	require.Error(t, sch.Validate(inst))
}

func TestSARIFContent(t *testing.T) {
	var log sarifLog
	require.NoError(t, json.Unmarshal(render(t, sarifRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "en")), &log))
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	assert.Empty(t, run.Invocations, "no timestamp with NoTimestamp")

	rules := run.Tool.Driver.Rules
	require.Len(t, rules, len(audit.Rules()), "every rule id of DESIGN.md")
	for i, r := range audit.Rules() {
		assert.Equal(t, r.ID, rules[i].ID)
		assert.Equal(t, sarifLevel(r.Default), rules[i].DefaultConfiguration.Level)
		assert.Equal(t, LookupRuleText(r.ID).Title, rules[i].ShortDescription.Text)
		assert.NotEmpty(t, rules[i].Properties["title_zh"])
		assert.NotEmpty(t, rules[i].Properties["help_zh"])
		assert.Equal(t, r.Reference, rules[i].Properties["reference"])
		assert.Equal(t, HelpURI(r.ID), rules[i].HelpURI)
		want := map[audit.Severity]any{audit.High: "8.0", audit.Medium: "5.0", audit.Low: "3.0", audit.Info: nil}[r.Default]
		assert.Equal(t, want, rules[i].Properties["security-severity"], r.ID)
	}

	byRule := map[string]int{}
	for i, res := range run.Results {
		byRule[res.RuleID] = i
		assert.Equal(t, res.RuleID, rules[res.RuleIndex].ID, "ruleIndex points at the rule")
		require.Len(t, res.Locations, 1, "GitHub reads only the first location")
	}
	require.Len(t, byRule, 6)
	levels := map[string]string{}
	for rule, i := range byRule {
		levels[rule] = run.Results[i].Level
	}
	assert.Equal(t, map[string]string{
		"undisclosed-permission": "error", "undisclosed-sdk": "error",
		"undisclosed-sdk-data": "warning", "incomplete-sdk-disclosure": "warning",
		"unknown-policy-sdk": "note", "stale-permission-disclosure": "note",
	}, levels)

	// A build-side finding without a source manifest: shown at the policy's
	// SDK list, saying so; the artifact is a related location.
	sdkRes := run.Results[byRule["undisclosed-sdk"]]
	assert.Equal(t, "JPush (极光推送) is embedded in the build but the policy does not disclose it "+
		"(Shown at the policy's SDK list: the build side has no source line; give --source-root to point at AndroidManifest.xml.)", sdkRes.Message.Text)
	assert.Equal(t, "构建中嵌入了极光推送SDK，但隐私政策未披露", sdkRes.Properties["message_zh"])
	loc := sdkRes.Locations[0].PhysicalLocation
	assert.Equal(t, "testdata/demo/sdk-list.md", loc.ArtifactLocation.URI)
	assert.Equal(t, "SRCROOT", loc.ArtifactLocation.URIBaseID)
	assert.Equal(t, 5, loc.Region.StartLine, "the first row of the SDK list")
	require.Len(t, sdkRes.RelatedLocations, 1)
	assert.Equal(t, "testdata/demo/app-release.apk", sdkRes.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, "cn.jpush.android.service", sdkRes.RelatedLocations[0].LogicalLocations[0].Name)

	perm := run.Results[byRule["undisclosed-permission"]]
	assert.Equal(t, 42, perm.Locations[0].PhysicalLocation.Region.StartLine, "the first line of the permission wording")
	assert.Equal(t, "AndroidManifest.xml", perm.RelatedLocations[0].LogicalLocations[0].Name)
	require.Len(t, perm.Suppressions, 1, "the waived finding is suppressed, not dropped")
	assert.Equal(t, "accepted", perm.Suppressions[0].Status)
	assert.Equal(t, "disclosed in the in-app consent dialog (legal@example.com)", perm.Suppressions[0].Justification)

	// Policy-side findings: first location is their policy file and line.
	stale := run.Results[byRule["stale-permission-disclosure"]]
	assert.Equal(t, "testdata/demo/privacy.html", stale.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, 63, stale.Locations[0].PhysicalLocation.Region.StartLine)
	assert.Equal(t, "The policy describes android.permission.RECORD_AUDIO (麦克风) but the build does not declare it", stale.Message.Text, "its own line: no note")
	data := run.Results[byRule["undisclosed-sdk-data"]]
	assert.Equal(t, 5, data.Locations[0].PhysicalLocation.Region.StartLine)
	assert.Equal(t, "testdata/demo/sdk-list.md", data.Locations[0].PhysicalLocation.ArtifactLocation.URI)

	// zh puts the Chinese message and the Chinese rule texts first.
	var zh sarifLog
	require.NoError(t, json.Unmarshal(render(t, sarifRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "zh")), &zh))
	assert.Contains(t, zh.Runs[0].Results[byRule["undisclosed-sdk"]].Message.Text, "构建中嵌入了极光推送SDK，但隐私政策未披露（定位到隐私政策的SDK清单")
	for i, r := range audit.Rules() {
		assert.Equal(t, LookupRuleText(r.ID).TitleZh, zh.Runs[0].Tool.Driver.Rules[i].ShortDescription.Text)
		assert.Equal(t, LookupRuleText(r.ID).HelpZh, zh.Runs[0].Tool.Driver.Rules[i].FullDescription.Text)
	}
}

// TestSARIFSourceRoot: with the app's source manifest, build-side findings
// point at its declarations; URIs are relative to the source root, cleaned,
// and files outside it keep an absolute file URI.
func TestSARIFSourceRoot(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "app", "src", "main", "AndroidManifest.xml")
	require.NoError(t, os.MkdirAll(filepath.Dir(src), 0o755))
	require.NoError(t, os.WriteFile(src, []byte(`<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.example.shop">
    <uses-permission android:name="android.permission.CAMERA" />
    <uses-permission android:name="android.permission.READ_PHONE_STATE" />
    <application>
        <service android:name="cn.jpush.android.service.PushService" />
    </application>
</manifest>
`), 0o644))
	m, err := srcmanifest.Open(src)
	require.NoError(t, err)
	o := demoOptions(CommandCheck, "en")
	o.Source, o.SourceRoot, o.WorkDir = m, root, root
	r := demoCheck()
	r.Inventory.Artifact.Path = "./build/../build/app-release.apk"
	r.Disclosure.SDKs[0].Line.File = "/elsewhere/sdk-list.md"
	var log sarifLog
	require.NoError(t, json.Unmarshal(render(t, sarifRenderer{}, []*audit.Result{r}, o), &log))
	run := log.Runs[0]
	assert.Equal(t, "file://"+filepath.ToSlash(root)+"/", run.OriginalURIBaseIDs["SRCROOT"].URI)
	byRule := map[string]int{}
	for i, res := range run.Results {
		byRule[res.RuleID] = i
	}
	perm := run.Results[byRule["undisclosed-permission"]]
	loc := perm.Locations[0].PhysicalLocation
	assert.Equal(t, "app/src/main/AndroidManifest.xml", loc.ArtifactLocation.URI)
	assert.Equal(t, "SRCROOT", loc.ArtifactLocation.URIBaseID)
	assert.Equal(t, 4, loc.Region.StartLine, "the <uses-permission> of READ_PHONE_STATE")
	assert.NotContains(t, perm.Message.Text, "--source-root", "its own line: no note")
	assert.Equal(t, "build/app-release.apk", perm.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI, "cleaned")

	sdkRes := run.Results[byRule["undisclosed-sdk"]]
	assert.Equal(t, 6, sdkRes.Locations[0].PhysicalLocation.Region.StartLine, "the SDK's component")
	data := run.Results[byRule["undisclosed-sdk-data"]]
	al := data.Locations[0].PhysicalLocation.ArtifactLocation
	assert.Equal(t, "file:///elsewhere/sdk-list.md", al.URI, "a policy outside the root: an absolute URI")
	assert.Empty(t, al.URIBaseID)
}

// TestSARIFFingerprint: stable across path and time, different for another app or subject.
func TestSARIFFingerprint(t *testing.T) {
	fp := func(mut func(r *audit.Result), o testOptions) map[string]string {
		r := demoCheck()
		mut(r)
		var log sarifLog
		require.NoError(t, json.Unmarshal(render(t, sarifRenderer{}, []*audit.Result{r}, o), &log))
		out := map[string]string{}
		for _, res := range log.Runs[0].Results {
			out[res.RuleID+" "+res.Properties["subject"].(string)] = res.PartialFingerprints[fingerprintKey]
		}
		return out
	}
	o := demoOptions(CommandCheck, "en")
	base := fp(func(*audit.Result) {}, o)
	require.Len(t, base, 6)
	seen := map[string]bool{}
	for _, v := range base {
		assert.Len(t, v, 32)
		assert.False(t, seen[v], "fingerprints differ between findings")
		seen[v] = true
	}
	later := o
	later.NoTimestamp = false
	later.Now = mustTime(t, "2030-01-01T00:00:00Z")
	moved := fp(func(r *audit.Result) { r.Inventory.Artifact.Path = "/builds/other/dir/app.apk" }, later)
	assert.Equal(t, base, moved, "path and time do not change fingerprints")
	other := fp(func(r *audit.Result) { r.Inventory.App.Package = "com.example.other" }, o)
	for k, v := range other {
		assert.NotEqual(t, base[k], v, k)
	}
}

func TestFileURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"app.apk", "app.apk"},
		{"out/app release.apk", "out/app%20release.apk"},
		{"/tmp/应用.apk", "file:///tmp/%E5%BA%94%E7%94%A8.apk"},
		{`C:\builds\app.apk`, "file:///C:/builds/app.apk"},
	}
	for _, tt := range tests {
		if tt.in[1] == ':' && os.PathSeparator != '\\' {
			// filepath.ToSlash does not touch backslashes off Windows.
			continue
		}
		assert.Equal(t, tt.want, fileURI(tt.in), tt.in)
	}
}

// githubProblems checks a SARIF log against what GitHub's "SARIF support for
// code scanning" (docs.github.com/en/code-security/code-scanning/
// integrating-with-code-scanning/sarif-support-for-code-scanning) requires
// beyond the schema, and returns what breaks it:
//   - version 2.1.0, at most 20 runs, each with tool.driver.name;
//   - rules: id, shortDescription.text, fullDescription.text, help.text;
//     precision one of very-high, high, medium, low; security-severity, when
//     present, a number from 0.1 to 10.0 written as a string; at most 20 tags;
//     helpUri an absolute https URL;
//   - results (at most 25,000 per run): ruleId naming a rule (ruleIndex
//     pointing at it), message.text, at least one location and at most 10
//     (only the first is used), each physicalLocation with
//     artifactLocation.uri and region.startLine >= 1; a relative URI
//     (never "./", "../" or a scheme) whose uriBaseId is declared in
//     originalUriBaseIds (a base URI absolute file:// and ending in "/");
//     partialFingerprints present; at most 1,000 relatedLocations.
func githubProblems(log sarifLog) []string {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if log.Version != "2.1.0" {
		bad("version %q", log.Version)
	}
	if len(log.Runs) == 0 || len(log.Runs) > 20 {
		bad("%d runs", len(log.Runs))
	}
	precision := map[string]bool{"very-high": true, "high": true, "medium": true, "low": true}
	for _, run := range log.Runs {
		if run.Tool.Driver.Name == "" {
			bad("no tool.driver.name")
		}
		for id, base := range run.OriginalURIBaseIDs {
			if base.URI != "" && (!strings.HasPrefix(base.URI, "file:///") || !strings.HasSuffix(base.URI, "/")) {
				bad("originalUriBaseIds %s: %q is not an absolute file URI ending in /", id, base.URI)
			}
		}
		ruleIDs := map[string]int{}
		for i, r := range run.Tool.Driver.Rules {
			ruleIDs[r.ID] = i
			if r.ID == "" || r.ShortDescription.Text == "" || r.FullDescription.Text == "" || r.Help.Text == "" {
				bad("rule %q lacks id, shortDescription, fullDescription or help", r.ID)
			}
			if !precision[fmt.Sprint(r.Properties["precision"])] {
				bad("rule %s: precision %v", r.ID, r.Properties["precision"])
			}
			if ss, ok := r.Properties["security-severity"]; ok {
				s, isString := ss.(string)
				v, err := strconv.ParseFloat(s, 64)
				if !isString || err != nil || v < 0.1 || v > 10 {
					bad("rule %s: security-severity %#v", r.ID, ss)
				}
			}
			if tags, _ := r.Properties["tags"].([]any); len(tags) > 20 {
				bad("rule %s: %d tags", r.ID, len(tags))
			}
			if u, err := url.Parse(r.HelpURI); err != nil || u.Scheme != "https" || u.Host == "" {
				bad("rule %s: helpUri %q", r.ID, r.HelpURI)
			}
		}
		if len(run.Results) > 25000 {
			bad("%d results in a run", len(run.Results))
		}
		checkLoc := func(what string, l sarifLocation, needLine bool) {
			al := l.PhysicalLocation.ArtifactLocation
			if al.URI == "" {
				bad("%s: no artifactLocation.uri", what)
				return
			}
			if needLine && (l.PhysicalLocation.Region == nil || l.PhysicalLocation.Region.StartLine < 1) {
				bad("%s: no region.startLine", what)
			}
			u, err := url.Parse(al.URI)
			switch {
			case err != nil:
				bad("%s: uri %q: %v", what, al.URI, err)
			case u.Scheme == "" && al.URIBaseID == "":
				bad("%s: relative uri %q without a uriBaseId", what, al.URI)
			case u.Scheme == "":
				if _, ok := run.OriginalURIBaseIDs[al.URIBaseID]; !ok {
					bad("%s: uriBaseId %q is not in originalUriBaseIds", what, al.URIBaseID)
				}
				if strings.HasPrefix(al.URI, "./") || strings.HasPrefix(al.URI, "../") || strings.HasPrefix(al.URI, "/") || strings.Contains(al.URI, "/../") || strings.Contains(al.URI, "/./") {
					bad("%s: uri %q is not a clean relative path", what, al.URI)
				}
			case u.Scheme != "file":
				bad("%s: uri %q", what, al.URI)
			}
		}
		for i, res := range run.Results {
			what := fmt.Sprintf("result %d (%s)", i, res.RuleID)
			if idx, ok := ruleIDs[res.RuleID]; !ok || idx != res.RuleIndex {
				bad("%s: ruleId/ruleIndex", what)
			}
			if res.Message.Text == "" {
				bad("%s: no message.text", what)
			}
			if len(res.Locations) == 0 || len(res.Locations) > 10 {
				bad("%s: %d locations", what, len(res.Locations))
			}
			for _, l := range res.Locations {
				checkLoc(what, l, true)
			}
			if len(res.RelatedLocations) > 1000 {
				bad("%s: %d related locations", what, len(res.RelatedLocations))
			}
			for _, l := range res.RelatedLocations {
				checkLoc(what+" related", l, false)
			}
			if len(res.PartialFingerprints) == 0 || res.PartialFingerprints["primaryLocationLineHash"] == "" {
				bad("%s: no partialFingerprints.primaryLocationLineHash", what)
			}
		}
	}
	return p
}

// TestSARIFGitHub checks every SARIF apkaudit writes against GitHub's
// documented requirements (githubProblems), for check, inspect (no policy),
// several artifacts, a diff and a source root, in both languages; and checks
// that the checker itself rejects what GitHub rejects.
func TestSARIFGitHub(t *testing.T) {
	logs := map[string][]byte{}
	for _, lang := range []string{"en", "zh"} {
		logs["check-"+lang] = render(t, sarifRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, lang))
		logs["inspect-"+lang] = render(t, sarifRenderer{}, []*audit.Result{demoInspect()}, demoOptions(CommandInspect, lang))
		logs["multi-"+lang] = render(t, sarifRenderer{}, []*audit.Result{demoCheck(), demoSecond(), {}}, demoOptions("", lang))
		logs["diff-"+lang] = renderView(t, sarifRenderer{}, demoDiff(true))
	}
	o := demoOptions(CommandCheck, "en")
	o.SourceRoot, o.WorkDir = "/builds/repo", "/builds/repo"
	o.Source = &srcmanifest.Manifest{Path: "app/src/main/AndroidManifest.xml", Permissions: map[string]int{"android.permission.READ_PHONE_STATE": 12}}
	logs["source-root"] = render(t, sarifRenderer{}, []*audit.Result{demoCheck()}, o)
	for name, b := range logs {
		var log sarifLog
		require.NoError(t, json.Unmarshal(b, &log), name)
		assert.Empty(t, githubProblems(log), name)
	}

	var log sarifLog
	require.NoError(t, json.Unmarshal(logs["check-en"], &log))
	res := &log.Runs[0].Results[0]
	res.Locations[0].PhysicalLocation.Region = nil
	res.Locations[0].PhysicalLocation.ArtifactLocation.URI = "./x/../privacy.html"
	res.PartialFingerprints = nil
	log.Runs[0].Tool.Driver.Rules[0].Properties["security-severity"] = 8.0
	assert.Len(t, githubProblems(log), 4, "the checker rejects a missing line, an unclean URI, no fingerprint and a numeric security-severity")
}
