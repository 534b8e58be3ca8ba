package report

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/mattn/go-runewidth"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/audit"
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

// sarifLog is the part of a SARIF log the tests read.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                   string `json:"id"`
					ShortDescription     struct{ Text string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []json.RawMessage `json:"invocations"`
		Results     []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine int `json:"startLine"`
					} `json:"region"`
				} `json:"physicalLocation"`
				LogicalLocations []struct {
					Name string `json:"name"`
					Kind string `json:"kind"`
				} `json:"logicalLocations"`
			} `json:"locations"`
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
	require.Len(t, rules, 13, "every rule id of DESIGN.md")
	for i, r := range audit.Rules() {
		assert.Equal(t, r.ID, rules[i].ID)
		assert.Equal(t, sarifLevel(r.Default), rules[i].DefaultConfiguration.Level)
		assert.NotEmpty(t, rules[i].ShortDescription.Text)
		assert.NotEmpty(t, rules[i].Properties["title_zh"])
		assert.NotEmpty(t, rules[i].Properties["help_zh"])
		assert.Equal(t, r.Reference, rules[i].Properties["reference"])
	}

	byRule := map[string]int{}
	for i, res := range run.Results {
		byRule[res.RuleID] = i
		assert.Equal(t, res.RuleID, rules[res.RuleIndex].ID, "ruleIndex points at the rule")
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

	sdkRes := run.Results[byRule["undisclosed-sdk"]]
	assert.Equal(t, "JPush (极光推送) is embedded in the build but the policy does not disclose it", sdkRes.Message.Text)
	assert.Equal(t, "构建中嵌入了极光推送SDK，但隐私政策未披露", sdkRes.Properties["message_zh"])
	require.NotEmpty(t, sdkRes.Locations)
	assert.Equal(t, "testdata/demo/app-release.apk", sdkRes.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	require.Len(t, sdkRes.Locations[0].LogicalLocations, 1)
	assert.Equal(t, "cn.jpush.android.service", sdkRes.Locations[0].LogicalLocations[0].Name)

	perm := run.Results[byRule["undisclosed-permission"]]
	assert.Equal(t, "AndroidManifest.xml", perm.Locations[0].LogicalLocations[0].Name)
	require.Len(t, perm.Suppressions, 1, "the waived finding is suppressed, not dropped")
	assert.Equal(t, "accepted", perm.Suppressions[0].Status)
	assert.Equal(t, "disclosed in the in-app consent dialog (legal@example.com)", perm.Suppressions[0].Justification)

	stale := run.Results[byRule["stale-permission-disclosure"]]
	require.Len(t, stale.Locations, 2)
	assert.Equal(t, "testdata/demo/privacy.html", stale.Locations[1].PhysicalLocation.ArtifactLocation.URI)
	require.NotNil(t, stale.Locations[1].PhysicalLocation.Region)
	assert.Equal(t, 63, stale.Locations[1].PhysicalLocation.Region.StartLine)
	data := run.Results[byRule["undisclosed-sdk-data"]]
	assert.Equal(t, 5, data.Locations[1].PhysicalLocation.Region.StartLine)

	// zh puts the Chinese message in message.text.
	var zh sarifLog
	require.NoError(t, json.Unmarshal(render(t, sarifRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "zh")), &zh))
	assert.Equal(t, "构建中嵌入了极光推送SDK，但隐私政策未披露", zh.Runs[0].Results[byRule["undisclosed-sdk"]].Message.Text)
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
