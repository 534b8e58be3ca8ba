//go:build linux

package malformed_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// The output classes of issue 12: inputs that are not files, outputs that
// are inputs, batch walks over what is not a regular file, torn and shared
// JSONL outputs, --jobs past reason. Each run is capped like the acceptance
// bar: 10 s and prlimit --as 1 GiB.
const (
	outputsWall = 10 * time.Second
	outputsAS   = 1 << 30
)

// runBounded runs apkaudit under prlimit --as 1 GiB and a 10 s limit, and
// checks the contract of DESIGN.md (exit 0/1/2, one stderr line naming file
// on exit 2, no panic) and the bounds.
func runBounded(t *testing.T, file string, args ...string) result {
	t.Helper()
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	r := runWrapped(t, outputsWall, []string{prlimit, "--as=" + itoa(outputsAS), "--"}, args...)
	for _, p := range contractProblems(r, file) {
		t.Errorf("%s\n%v", p, r)
	}
	return r
}

// specials makes a FIFO, a socket and a directory in dir and returns them
// with /dev/zero, by kind.
func specials(t *testing.T, dir string) map[string]string {
	t.Helper()
	fifo := filepath.Join(dir, "input.fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	sock := filepath.Join(dir, "input.sock")
	l, err := net.Listen("unix", sock)
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	sub := filepath.Join(dir, "input.dir")
	require.NoError(t, os.Mkdir(sub, 0o755))
	return map[string]string{"fifo": fifo, "socket": sock, "directory": sub, "dev-zero": "/dev/zero"}
}

// TestInputsThatAreNotFiles: every input given a FIFO, a socket, a
// directory or /dev/zero ends within 10 s and 1 GiB with one stderr line
// naming it, exit 2.
func TestInputsThatAreNotFiles(t *testing.T) {
	needSetup(t)
	fixture := filepath.Join(repo, fixtureRel)
	policy := filepath.Join(repo, demoPolicy)
	for kind, f := range specials(t, t.TempDir()) {
		for _, c := range []struct {
			name string
			args []string
		}{
			{"artifact", []string{"inspect", f}},
			{"policy", []string{"check", fixture, "--policy", f}},
			{"policy-arg", []string{"policy", f}},
			{"config", []string{"inspect", fixture, "--config", f}},
			{"baseline", []string{"check", fixture, "--policy", policy, "--baseline", f}},
			{"skip-done", []string{"batch", fixture, "--skip-done", f}},
			{"sdkdb", []string{"inspect", fixture, "--sdkdb", f}},
			{"manifest-source", []string{"check", fixture, "--policy", policy, "--manifest-source", f}},
		} {
			t.Run(c.name+"/"+kind, func(t *testing.T) {
				r := runBounded(t, f, c.args...)
				assert.Equal(t, 2, r.exit, "%v", r)
				line, _ := oneLine(r.stderr)
				assert.NotContains(t, line, "doctext:", "one clear line, no package prefix in the middle")
				if kind != "directory" {
					assert.Contains(t, line, "not a regular file", "%v", r)
				}
			})
		}
	}
}

// TestOutputsSpareInputs: an --output or --write-baseline that is an input
// (by name, by another path, through a symlink, or an artifact batch finds
// in a directory) is refused with exit 2 and one line, and the input keeps
// every byte; a batch resuming into its own --skip-done file still works.
func TestOutputsSpareInputs(t *testing.T) {
	needSetup(t)
	dir := t.TempDir()
	apk := testenv.CopyFile(t, filepath.Join(repo, fixtureRel), filepath.Join(dir, "app.apk"))
	pol := testenv.CopyFile(t, filepath.Join(repo, demoPolicy), filepath.Join(dir, "privacy.html"))
	cfg := testenv.CopyFile(t, filepath.Join(cases, "inputs", "apkaudit.yaml"), filepath.Join(dir, "apkaudit.yaml"))
	base := testenv.CopyFile(t, filepath.Join(cases, "inputs", "baseline.json"), filepath.Join(dir, "baseline.json"))
	cat := testenv.CopyFile(t, filepath.Join(cases, "inputs", "catalogue.yaml"), filepath.Join(dir, "catalogue.yaml"))
	walked := filepath.Join(dir, "apks")
	found := testenv.CopyFile(t, filepath.Join(repo, fixtureRel), filepath.Join(walked, "found.apk"))
	link := filepath.Join(dir, "report.apk")
	require.NoError(t, os.Symlink("app.apk", link))

	for _, c := range []struct {
		name  string
		input string
		args  []string
	}{
		{"inspect-o-artifact", apk, []string{"inspect", apk, "--output", apk}},
		{"inspect-o-symlink", apk, []string{"inspect", apk, "--output", link}},
		{"check-o-policy", pol, []string{"check", apk, "--policy", pol, "--output", "html=" + pol}},
		{"check-write-baseline-policy", pol, []string{"check", apk, "--policy", pol, "--write-baseline", pol}},
		{"check-write-baseline-baseline", base, []string{"check", apk, "--policy", pol, "--baseline", base, "--write-baseline", base}},
		{"check-o-config", cfg, []string{"check", apk, "--policy", pol, "--config", cfg, "--output", cfg}},
		{"check-o-sdkdb", cat, []string{"check", apk, "--policy", pol, "--sdkdb", cat, "--output", cat}},
		{"batch-o-artifact", apk, []string{"batch", apk, "--output", apk}},
		{"batch-o-walked-artifact", found, []string{"batch", walked, "--output", found}},
		{"batch-o-policy", pol, []string{"batch", apk, "--policy", pol, "--output", pol}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := testenv.SHA256(t, c.input)
			r := runBounded(t, "", c.args...)
			assert.Equal(t, 2, r.exit, "%v", r)
			assert.Contains(t, string(r.stderr), "refusing to overwrite an input", "%v", r)
			assert.Equal(t, before, testenv.SHA256(t, c.input), "the input is unchanged")
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasSuffix(e.Name(), ".tmp"), "a temporary file is left: %s", e.Name())
	}

	t.Run("batch-resume-into-skip-done", func(t *testing.T) {
		out := filepath.Join(dir, "results.jsonl")
		r := runBounded(t, "", "batch", apk, "--quiet", "--output", out, "--skip-done", out)
		assert.Less(t, r.exit, 2, "%v", r)
		lines, _ := wholeLines(t, out)
		assert.Len(t, lines, 1)
	})
}

// TestBatchWalksLinksAndReportsSkips: batch follows a symlinked root and
// the symlinks in it, and every FIFO, socket, dangling symlink and symlink
// loop it meets is a JSONL line with an error (exit 2), never dropped.
func TestBatchWalksLinksAndReportsSkips(t *testing.T) {
	needSetup(t)
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	testenv.CopyFile(t, filepath.Join(repo, fixtureRel), filepath.Join(real, "app.apk"))
	testenv.CopyFile(t, filepath.Join(repo, fixtureRel), filepath.Join(dir, "elsewhere", "linked.apk"))
	require.NoError(t, os.Symlink("../elsewhere/linked.apk", filepath.Join(real, "linked.apk")))
	require.NoError(t, os.Symlink("/nonexistent/gone.apk", filepath.Join(real, "dangling.apk")))
	require.NoError(t, os.Mkdir(filepath.Join(real, "sub"), 0o755))
	require.NoError(t, os.Symlink("..", filepath.Join(real, "sub", "loop")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(real, "pipe.apk"), 0o644))
	l, err := net.Listen("unix", filepath.Join(real, "sock"))
	require.NoError(t, err)
	defer l.Close()
	root := filepath.Join(dir, "root")
	require.NoError(t, os.Symlink("real", root))

	r := runBounded(t, "", "batch", root, "--fail-on", "none")
	assert.Equal(t, 2, r.exit, "skipped files count as unreadable\n%v", r)
	got := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(r.stdout))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var line batchLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line), "%.200s", sc.Text())
		got[strings.TrimPrefix(line.path(), root+"/")] = line.Error
	}
	assert.Equal(t, "", got["app.apk"], "read through the symlinked root")
	assert.Equal(t, "", got["linked.apk"], "a symlink inside is followed")
	assert.Contains(t, got["dangling.apk"], "dangling symlink")
	assert.Contains(t, got["sub/loop"], "symlink loop")
	assert.Contains(t, got["pipe.apk"], "FIFO")
	assert.Contains(t, got["sock"], "socket")
	assert.Len(t, got, 6, "%v", got)

	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.Mkdir(empty, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(empty, "README.txt"), []byte("release notes\n"), 0o644))
	r = runBounded(t, empty, "batch", empty)
	assert.Equal(t, 2, r.exit, "no artifact at all is exit 2, not 0\n%v", r)
	assert.Contains(t, string(r.stderr), "no artifact found")
}

// TestSkipDoneTornCases resumes into the torn outputs of make malformed: a
// torn last line (with or without its newline) is dropped with a note and
// cut off, so the file is whole lines afterwards; a torn line in the middle
// is exit 2 naming the file and line, with the file unchanged.
func TestSkipDoneTornCases(t *testing.T) {
	needSetup(t)
	fixture := filepath.Join(repo, fixtureRel)
	for _, name := range []string{"torn-last.jsonl", "torn-last-newline.jsonl"} {
		t.Run(name, func(t *testing.T) {
			out := testenv.CopyFile(t, filepath.Join(cases, "jsonl", name), filepath.Join(t.TempDir(), name))
			r := runBounded(t, "", "batch", fixture, "--fail-on", "none", "--output", out, "--skip-done", out)
			assert.Equal(t, 0, r.exit, "%v", r)
			assert.Contains(t, string(r.stderr), name+": its last line is torn")
			lines, _ := wholeLines(t, out)
			require.Len(t, lines, 2, "the earlier whole line, then the fixture's")
			assert.Equal(t, fixture, lines[1])
		})
	}
	t.Run("torn-middle.jsonl", func(t *testing.T) {
		out := testenv.CopyFile(t, filepath.Join(cases, "jsonl", "torn-middle.jsonl"), filepath.Join(t.TempDir(), "torn-middle.jsonl"))
		before := testenv.SHA256(t, out)
		r := runBounded(t, out, "batch", fixture, "--output", out, "--skip-done", out)
		assert.Equal(t, 2, r.exit, "%v", r)
		assert.Contains(t, string(r.stderr), "line 1 is not a whole JSON line")
		assert.Equal(t, before, testenv.SHA256(t, out))
	})
}

// TestShardsShareOneOutput: two batch processes (shards 0/2 and 1/2)
// appending to one --output at once leave one whole line per artifact.
func TestShardsShareOneOutput(t *testing.T) {
	needSetup(t)
	dir := t.TempDir()
	for i := range 16 {
		testenv.CopyFile(t, filepath.Join(repo, fixtureRel), filepath.Join(dir, "apks", fmt.Sprintf("app-%02d.apk", i)))
	}
	out := filepath.Join(dir, "all.jsonl")
	var cmds []*exec.Cmd
	for i := range 2 {
		cmd := exec.Command(bin, "batch", filepath.Join(dir, "apks"), "--quiet", "--jobs", "1", "--fail-on", "none",
			"--shard", fmt.Sprintf("%d/2", i), "--output", out)
		cmd.Dir = repo
		require.NoError(t, cmd.Start())
		cmds = append(cmds, cmd)
	}
	for _, c := range cmds {
		done := make(chan error, 1)
		go func() { done <- c.Wait() }()
		select {
		case err := <-done:
			assert.NoError(t, err)
		case <-time.After(time.Minute):
			_ = c.Process.Kill()
			t.Fatal("a shard did not finish")
		}
	}
	lines, _ := wholeLines(t, out)
	assert.Len(t, lines, 16, "every artifact once, every line whole")
}

// TestJobsPastReason: --jobs 10000000 runs within 1 GiB (capped, with a
// note); a negative --jobs is a usage error.
func TestJobsPastReason(t *testing.T) {
	needSetup(t)
	fixture := filepath.Join(repo, fixtureRel)
	r := runBounded(t, "", "inspect", fixture, "--format", "json", "--jobs", "10000000")
	assert.Equal(t, 0, r.exit, "%v", r)
	assert.True(t, json.Valid(r.stdout), "stdout parses")
	assert.Contains(t, string(r.stderr), "capped at")
	r = runBounded(t, "", "batch", fixture, "--quiet", "--fail-on", "none", "--jobs", "10000000")
	assert.Equal(t, 0, r.exit, "%v", r)
	assert.Empty(t, r.stderr, "--quiet keeps the note quiet")
	r = runBounded(t, "", "inspect", fixture, "--jobs", "-3")
	assert.Equal(t, 2, r.exit, "%v", r)
	assert.Contains(t, string(r.stderr), "--jobs -3")
}
