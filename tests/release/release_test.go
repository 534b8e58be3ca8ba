//go:build linux && amd64

// Package release_test builds the linux/amd64 release binary with
// scripts/release.sh (what make release does for six targets) and checks
// what a user downloads: a static, -trimpath binary whose apkaudit version
// names the stamped version, the commit, the date, the Go version and the
// catalogue, listed with its right hash in SHA256SUMS.
package release_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

func TestReleaseBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the release build in -short mode")
	}
	repo := testenv.RepoRoot(t)
	out := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(repo, "scripts", "release.sh"), out, "linux/amd64")
	cmd.Dir = repo
	cmd.Env = append(os.Environ(), "VERSION=v9.8.7-test")
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", b)
	bin := filepath.Join(out, "apkaudit-v9.8.7-test-linux-amd64")

	// SHA256SUMS lists it, with its hash.
	sums, err := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	require.NoError(t, err)
	data, err := os.ReadFile(bin)
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	assert.Equal(t, hex.EncodeToString(sum[:])+"  apkaudit-v9.8.7-test-linux-amd64\n", string(sums))

	// Static: no program interpreter, no dynamic section; -trimpath: no
	// path of this checkout in the binary.
	f, err := elf.Open(bin)
	require.NoError(t, err)
	defer f.Close()
	for _, p := range f.Progs {
		assert.NotEqual(t, elf.PT_INTERP, p.Type, "a static binary has no interpreter")
		assert.NotEqual(t, elf.PT_DYNAMIC, p.Type, "a static binary has no dynamic section")
	}
	assert.False(t, bytes.Contains(data, []byte(repo+"/")), "-trimpath leaves no path of the checkout")

	run := func(args ...string) []byte {
		out, err := exec.Command(bin, args...).Output()
		require.NoError(t, err, "%v", args)
		return out
	}
	var v struct {
		Version, Commit, Date, Go, Platform string
		SDKDBVersion                        string `json:"sdkdb_version"`
		SDKDBEntries                        int    `json:"sdkdb_entries"`
	}
	require.NoError(t, json.Unmarshal(run("version", "--format", "json"), &v))
	assert.Equal(t, "v9.8.7-test", v.Version)
	head, err := exec.Command("git", "-C", repo, "rev-parse", "HEAD").Output()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(v.Commit, strings.TrimSpace(string(head))), "commit %q", v.Commit)
	assert.Regexp(t, `^\d{4}-\d{2}-\d{2}T`, v.Date)
	assert.Equal(t, runtime.Version(), v.Go)
	assert.Equal(t, "linux/amd64", v.Platform)
	assert.Regexp(t, `^\d{4}\.\d{2}\.\d{2}`, v.SDKDBVersion)
	assert.Greater(t, v.SDKDBEntries, 300)

	text := run("--version")
	sc := bufio.NewScanner(bytes.NewReader(text))
	require.True(t, sc.Scan())
	assert.Equal(t, "apkaudit v9.8.7-test", sc.Text())
	assert.Contains(t, string(text), "catalogue: "+v.SDKDBVersion)
	assert.Equal(t, string(text), string(run("version")), "the command and the flag print the same")
}
