package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// sarifFirst maps "rule subject" to the first location of each result.
func sarifFirst(t *testing.T, out string) map[string]string {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID     string         `json:"ruleId"`
				Properties map[string]any `json:"properties"`
				Locations  []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
						Region           struct{ StartLine int }         `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	m := map[string]string{}
	for _, r := range log.Runs[0].Results {
		require.Len(t, r.Locations, 1)
		l := r.Locations[0].PhysicalLocation
		m[r.RuleID+" "+r.Properties["subject"].(string)] = l.ArtifactLocation.URIBaseID + ":" + l.ArtifactLocation.URI + ":" + itoa(l.Region.StartLine)
	}
	return m
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestSARIFAnchors: check --format sarif points a build-side finding at the
// <uses-permission> of the source manifest under --source-root (the demo's
// own source, in an Android project layout), a policy-side one at its policy
// line, every URI relative to the source root and cleaned.
func TestSARIFAnchors(t *testing.T) {
	root := t.TempDir()
	src, err := os.ReadFile(testenv.RepoRoot(t, "testdata", "fixtures", "src", "demo", "AndroidManifest.xml"))
	require.NoError(t, err)
	manifest := filepath.Join(root, "app", "src", "main", "AndroidManifest.xml")
	require.NoError(t, os.MkdirAll(filepath.Dir(manifest), 0o755))
	require.NoError(t, os.WriteFile(manifest, src, 0o644))
	for _, name := range []string{"demo.apk", "privacy-policy.html"} {
		data, err := os.ReadFile(demo(t, name))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(root, "out"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(root, "out", name), data, 0o644))
	}
	line := 0
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, `"android.permission.READ_CONTACTS"`) {
			line = i + 1
		}
	}
	require.Positive(t, line)
	t.Chdir(root)
	code, out, stderr := run(t, "check", "./out/../out/demo.apk", "--policy", "out/privacy-policy.html", "--format", "sarif", "--source-root", ".")
	require.Equal(t, 1, code, stderr)
	first := sarifFirst(t, out)
	assert.Equal(t, "SRCROOT:app/src/main/AndroidManifest.xml:"+itoa(line), first["undisclosed-permission android.permission.READ_CONTACTS"])
	for k, v := range first {
		assert.True(t, strings.HasPrefix(v, "SRCROOT:app/src/main/") || strings.HasPrefix(v, "SRCROOT:out/privacy-policy.html:"), "%s at %s", k, v)
		if strings.HasPrefix(k, "stale-") || strings.HasPrefix(k, "incomplete-") || strings.HasPrefix(k, "undisclosed-sdk-data") {
			assert.True(t, strings.HasPrefix(v, "SRCROOT:out/privacy-policy.html:"), "policy-side %s at its policy line, not %s", k, v)
		}
	}
	// --manifest-source names the file; without either, the policy.
	_, out, _ = run(t, "check", "out/demo.apk", "--policy", "out/privacy-policy.html", "--format", "sarif", "--manifest-source", manifest)
	assert.Equal(t, "SRCROOT:app/src/main/AndroidManifest.xml:"+itoa(line), sarifFirst(t, out)["undisclosed-permission android.permission.READ_CONTACTS"])
	_, out, _ = run(t, "check", "out/demo.apk", "--policy", "out/privacy-policy.html", "--format", "sarif")
	assert.True(t, strings.HasPrefix(sarifFirst(t, out)["undisclosed-permission android.permission.READ_CONTACTS"], "SRCROOT:out/privacy-policy.html:"))
	code, _, stderr = run(t, "check", "out/demo.apk", "--policy", "out/privacy-policy.html", "--manifest-source", "nope.xml")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "nope.xml")
}
