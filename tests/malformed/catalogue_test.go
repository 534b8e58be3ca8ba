//go:build linux

package malformed_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHostileCatalogues gives check the --sdkdb catalogues of
// scripts/gen-malformed/catalogue.go under a 1 GiB address-space cap and a
// 10 s limit: those past a limit are refused with one line naming the file
// and the limit, and the one just under every limit, whose vendors name
// each other, is matched in time (the pairwise matcher took 6.6 s on it).
func TestHostileCatalogues(t *testing.T) {
	needSetup(t)
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	tests := []struct {
		file  string
		limit string // part of the exit-2 line; "" for a catalogue that loads
	}{
		{"sdkdb/aliases-flood.yaml", "catalogue file size: 15500005 exceeds the limit of 4194304"},
		{"sdkdb/entries-60k.yaml", "catalogue file size"},
		{"sdkdb/entries-over.yaml", "catalogue entries: 5001 exceeds the limit of 5000"},
		{"sdkdb/at-limits.yaml", ""},
	}
	demo := filepath.Join(repo, "testdata/demo")
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join(cases, tt.file)
			r := runWrapped(t, 10*time.Second, []string{prlimit, "--as=" + itoa(1<<30), "--"},
				"check", filepath.Join(demo, "demo.apk"), "--policy", filepath.Join(demo, "privacy-policy.html"),
				"--sdkdb", file, "--format", "json", "--no-timestamp")
			t.Logf("%s: exit %d in %v, peak RSS %d MiB", tt.file, r.exit, r.wall.Round(time.Millisecond), r.maxRSS>>20)
			require.Empty(t, contractProblems(r, file), "%v", r)
			if tt.limit != "" {
				require.Equal(t, 2, r.exit, "%v", r)
				assert.Contains(t, string(r.stderr), tt.limit)
				return
			}
			assert.Contains(t, []int{0, 1}, r.exit, "%v", r)
			var out struct {
				Tool struct {
					SDKDBVersion string `json:"sdkdb_version"`
				} `json:"tool"`
			}
			require.NoError(t, json.Unmarshal(r.stdout, &out), "stdout is JSON")
			assert.Contains(t, out.Tool.SDKDBVersion, "sha256-", "the catalogue in use is the merged one")
		})
	}
}
