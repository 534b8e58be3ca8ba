package cli

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/sdkdb"
)

// TestBuildInfo: the version comes from the -X stamps, else from Go's build
// information: the module version of go install …@v1.2.3, the VCS commit,
// date and modified flag of a build in a checkout.
func TestBuildInfo(t *testing.T) {
	defer func(f func() (*debug.BuildInfo, bool)) { readBuildInfo = f }(readBuildInfo)
	tests := []struct {
		name  string
		stamp [3]string
		info  *debug.BuildInfo
		want  BuildInfo
	}{
		{"go install at a version", [3]string{}, &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}},
			BuildInfo{Version: "v1.2.3"}},
		{"a build in a checkout", [3]string{}, &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.time", Value: "2026-03-04T05:06:07Z"}, {Key: "vcs.modified", Value: "true"}}},
			BuildInfo{Version: "devel", Commit: "abc123", Date: "2026-03-04T05:06:07Z", Modified: true}},
		{"make release stamps win", [3]string{"v2.0.0", "def456", "2026-05-06T00:00:00Z"}, &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "true"}}},
			BuildInfo{Version: "v2.0.0", Commit: "def456", Date: "2026-05-06T00:00:00Z"}},
		{"nothing known", [3]string{}, nil, BuildInfo{Version: "devel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Version, Commit, Date = tt.stamp[0], tt.stamp[1], tt.stamp[2]
			defer func() { Version, Commit, Date = "", "", "" }()
			readBuildInfo = func() (*debug.BuildInfo, bool) { return tt.info, tt.info != nil }
			got := currentBuild()
			tt.want.Go, tt.want.Platform = runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestVersionCommand: apkaudit version gives the catalogue's date version
// and size, as text and as JSON; --version prints the same text.
func TestVersionCommand(t *testing.T) {
	c, err := sdkdb.Embedded()
	require.NoError(t, err)
	code, text, _ := run(t, "version")
	require.Equal(t, 0, code)
	assert.Contains(t, text, "catalogue: "+c.Version)
	_, flag, _ := run(t, "--version")
	assert.Equal(t, text, flag)
	_, out, _ := run(t, "version", "--format", "json")
	var b BuildInfo
	require.NoError(t, json.Unmarshal([]byte(out), &b))
	assert.Equal(t, c.Version, b.SDKDBVersion)
	assert.Equal(t, len(c.Entries), b.SDKDBEntries)
	assert.Equal(t, runtime.Version(), b.Go)
}
