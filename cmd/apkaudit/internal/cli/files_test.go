//go:build unix

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// TestOutputsNeverOverwriteInputs: an --output or --write-baseline that is
// one of the command's inputs — by path, through a symlink, or found by
// batch in a directory — is refused before anything is written: exit 2,
// one line naming the file, the input byte for byte as it was.
func TestOutputsNeverOverwriteInputs(t *testing.T) {
	dir := t.TempDir()
	apk := testenv.CopyFile(t, demo(t, "demo.apk"), filepath.Join(dir, "demo.apk"))
	pol := testenv.CopyFile(t, demo(t, "privacy-policy.html"), filepath.Join(dir, "policy.html"))
	cfg := filepath.Join(dir, "apkaudit.yaml")
	require.NoError(t, os.WriteFile(cfg, []byte("fail-on: none\n"), 0o644))
	base := filepath.Join(dir, "baseline.json")
	require.NoError(t, os.WriteFile(base, []byte(`{"schema_version": 1, "findings": []}`+"\n"), 0o644))
	cat := filepath.Join(dir, "inhouse.yaml")
	require.NoError(t, os.WriteFile(cat, []byte("- id: example-inhouse\n  name: In-house\n  vendor: 小鹿科技有限公司\n  category: platform\n  signals:\n    dex_packages: [cn.example.inhouse]\n"), 0o644))
	link := filepath.Join(dir, "link.apk")
	require.NoError(t, os.Symlink(apk, link))
	src := testenv.CopyFile(t, testenv.RepoRoot(t, "testdata", "fixtures", "src", "packed", "AndroidManifest.xml"), filepath.Join(dir, "AndroidManifest.xml"))
	walked := filepath.Join(dir, "apks")
	inDir := testenv.CopyFile(t, demo(t, "demo.apk"), filepath.Join(walked, "found.apk"))
	done := filepath.Join(dir, "done.jsonl")
	require.NoError(t, os.WriteFile(done, nil, 0o644))

	tests := []struct {
		name  string
		args  []string
		input string // the file that must stay as it is
	}{
		{"inspect -o artifact", []string{"inspect", apk, "-o", apk}, apk},
		{"inspect -o symlink to artifact", []string{"inspect", apk, "-o", link}, apk},
		{"inspect -o other path to artifact", []string{"inspect", apk, "-o", filepath.Join(dir, ".", "demo.apk")}, apk},
		{"check -o policy", []string{"check", apk, "--policy", pol, "-o", pol}, pol},
		{"check -o FORMAT=policy", []string{"check", apk, "--policy", pol, "-o", "html=" + pol}, pol},
		{"check --write-baseline policy", []string{"check", apk, "--policy", pol, "--write-baseline", pol}, pol},
		{"check --write-baseline artifact", []string{"check", apk, "--policy", pol, "--write-baseline", link}, apk},
		{"check --write-baseline baseline", []string{"check", apk, "--policy", pol, "--baseline", base, "--write-baseline", base}, base},
		{"check -o config", []string{"check", apk, "--policy", pol, "--config", cfg, "-o", cfg}, cfg},
		{"check -o sdkdb", []string{"check", apk, "--policy", pol, "--sdkdb", cat, "-o", cat}, cat},
		{"policy -o document", []string{"policy", pol, "-o", pol}, pol},
		{"batch -o artifact", []string{"batch", apk, "--output", apk}, apk},
		{"batch -o walked artifact", []string{"batch", walked, "--output", inDir}, inDir},
		{"batch -o policy", []string{"batch", apk, "--policy", pol, "--output", pol}, pol},
		{"check -o manifest-source", []string{"check", apk, "--policy", pol, "--manifest-source", src, "-o", src}, src},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := testenv.SHA256(t, tt.input)
			code, _, stderr := run(t, tt.args...)
			assert.Equal(t, ExitError, code, stderr)
			assert.Contains(t, stderr, "refusing to overwrite an input")
			assert.Equal(t, before, testenv.SHA256(t, tt.input), "the input is untouched")
		})
	}

	t.Run("in Chinese", func(t *testing.T) {
		code, _, stderr := run(t, "inspect", apk, "-o", link, "--lang", "zh")
		assert.Equal(t, ExitError, code)
		assert.Contains(t, stderr, "与 输入文件 "+apk+" 是同一个文件：不会覆盖输入文件")
	})

	t.Run("batch resumes into its --skip-done file", func(t *testing.T) {
		code, _, stderr := run(t, "batch", apk, "--output", done, "--skip-done", done, "--quiet")
		assert.Equal(t, ExitOK, code, stderr)
		b, err := os.ReadFile(done)
		require.NoError(t, err)
		assert.Equal(t, 1, bytes.Count(b, []byte("\n")))
	})
}

// TestReportReplaced: a report goes to a temporary file renamed over the
// target: an existing file keeps its mode, a symlink keeps pointing where it
// did, a directory is refused, and no temporary file is left behind.
func TestReportReplaced(t *testing.T) {
	dir := t.TempDir()
	apk := demo(t, "demo.apk")
	defer syscall.Umask(syscall.Umask(0o077))
	secret := filepath.Join(dir, "secret.json")
	code, _, stderr := run(t, "inspect", apk, "--format", "json", "--no-code", "-o", secret)
	require.Equal(t, ExitOK, code, stderr)
	st, err := os.Stat(secret)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "a new report is 0644 less the umask")
	syscall.Umask(0o022)
	newFile := filepath.Join(dir, "new.json")
	code, _, stderr = run(t, "inspect", apk, "--format", "json", "-o", newFile)
	require.Equal(t, ExitOK, code, stderr)
	st, err = os.Stat(newFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())

	private := filepath.Join(dir, "private.json")
	require.NoError(t, os.WriteFile(private, []byte("old"), 0o600))
	code, _, stderr = run(t, "inspect", apk, "--format", "json", "-o", private)
	require.Equal(t, ExitOK, code, stderr)
	st, err = os.Stat(private)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the mode of the file replaced")
	b, _ := os.ReadFile(private)
	assert.True(t, json.Valid(b))

	link := filepath.Join(dir, "latest.json")
	require.NoError(t, os.Symlink("new.json", link))
	code, _, stderr = run(t, "inspect", apk, "--format", "json", "--no-code", "-o", link)
	require.Equal(t, ExitOK, code, stderr)
	fi, err := os.Lstat(link)
	require.NoError(t, err)
	assert.NotZero(t, fi.Mode()&os.ModeSymlink, "the symlink stays a symlink")
	b, _ = os.ReadFile(newFile)
	assert.Contains(t, string(b), `"dex_files": 0`, "the file it names got the report")

	sub := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(sub, 0o755))
	code, _, stderr = run(t, "inspect", apk, "-o", sub)
	assert.Equal(t, ExitError, code)
	assert.Contains(t, stderr, "sub: is a directory")

	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasSuffix(e.Name(), ".tmp"), "temporary file left: %s", e.Name())
	}
}

// TestReplaceFileAbort: a report that fails leaves the target as it was and
// no temporary file.
func TestReplaceFileAbort(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "report.html")
	require.NoError(t, os.WriteFile(target, []byte("old report"), 0o644))
	g := &globals{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	err := g.writeTo("--output", target, func(w io.Writer) error {
		_, _ = w.Write([]byte("half a rep"))
		return errors.New("renderer failed")
	})
	require.EqualError(t, err, "renderer failed")
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "old report", string(b))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left")
}

// TestLineFileConcurrent: two outputs appending to one file (two shards of
// a batch) write whole lines only, every one of them.
func TestLineFileConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	g := &globals{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	const writers, lines = 2, 300
	var wg sync.WaitGroup
	for w := range writers {
		f, err := g.openOutput("--output", path, true)
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer f.Close()
			pad := strings.Repeat("x", 64<<10) // past PIPE_BUF and a page
			for i := range lines {
				line, _ := json.Marshal(map[string]any{"writer": w, "i": i, "pad": pad})
				_, err := f.Write(append(line, '\n'))
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	got := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Len(t, got, writers*lines)
	for _, l := range got {
		require.True(t, json.Valid([]byte(l)), "an interleaved line: %.80s", l)
	}
}

// TestSkipDoneTorn: a --skip-done file whose last line an interrupted run
// cut is resumed: the torn line is dropped with a note and, the file being
// the --output, cut off, so that every line of it is whole afterwards; a
// torn line in the middle is an error naming the file and the line.
func TestSkipDoneTorn(t *testing.T) {
	dir := t.TempDir()
	a := testenv.CopyFile(t, demo(t, "demo.apk"), filepath.Join(dir, "a.apk"))
	b := testenv.CopyFile(t, demo(t, "demo.apk"), filepath.Join(dir, "b.apk"))
	out := filepath.Join(dir, "out.jsonl")
	code, _, stderr := run(t, "batch", a, "--output", out, "--fail-on", "none")
	require.Equal(t, ExitOK, code, stderr)
	f, err := os.OpenFile(out, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"schema_version":1,"artifact":{"path":"` + b)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	code, _, stderr = run(t, "batch", a, b, "--output", out, "--skip-done", out, "--fail-on", "none")
	require.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stderr, "out.jsonl: its last line is torn")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, lines, 2, "a's line, then b's: the torn one is gone")
	for _, l := range lines {
		assert.True(t, json.Valid([]byte(l)), "%.100s", l)
	}
	assert.Contains(t, lines[1], `"path":"`+b+`"`)

	mid := filepath.Join(dir, "mid.jsonl")
	require.NoError(t, os.WriteFile(mid, []byte("{\"path\":\"x\", \"err\n"+lines[0]+"\n"), 0o644))
	before := testenv.SHA256(t, mid)
	code, _, stderr = run(t, "batch", a, "--output", mid, "--skip-done", mid)
	assert.Equal(t, ExitError, code)
	assert.Contains(t, stderr, "mid.jsonl: line 1 is not a whole JSON line")
	assert.Equal(t, before, testenv.SHA256(t, mid))

	// An output (not the --skip-done file) that does not end with a newline
	// gets one before the first line, so no line is glued onto its tail.
	other := filepath.Join(dir, "other.jsonl")
	require.NoError(t, os.WriteFile(other, []byte(`{"path":"z","error":"e"}`), 0o644))
	code, _, stderr = run(t, "batch", a, "--output", other, "--fail-on", "none")
	require.Equal(t, ExitOK, code, stderr)
	data, err = os.ReadFile(other)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(data), `{"path":"z","error":"e"}`+"\n{"), "%.60s", data)
}

// TestJobs: a negative --jobs is a usage error; a huge one is capped with a
// note that --quiet keeps quiet.
func TestJobs(t *testing.T) {
	apk := demo(t, "demo.apk")
	code, _, stderr := run(t, "inspect", apk, "--jobs", "-1")
	assert.Equal(t, ExitError, code)
	assert.Contains(t, stderr, "--jobs -1")
	code, _, stderr = run(t, "inspect", apk, "--jobs", "10000000", "--format", "json")
	assert.Equal(t, ExitOK, code, stderr)
	assert.Contains(t, stderr, fmt.Sprintf("--jobs 10000000: capped at %d", maxJobs()))
	code, _, stderr = run(t, "batch", apk, "--jobs", "10000000", "--quiet", "--fail-on", "none")
	assert.Equal(t, ExitOK, code, stderr)
	assert.Empty(t, stderr)
}

// TestNotifySignals: the first SIGTERM cancels the context, and caught
// tells which signal it was, for the exit code 128+15.
func TestNotifySignals(t *testing.T) {
	ctx, caught, stop := notifySignals(context.Background())
	defer stop()
	assert.Zero(t, caught())
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	assert.Equal(t, syscall.SIGTERM, caught())
	assert.Equal(t, "SIGTERM", signalName(caught()))
}
