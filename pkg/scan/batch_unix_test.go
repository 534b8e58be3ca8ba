//go:build unix

package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

// TestFindArtifactsWalk: a symlinked root and symlinks inside it are
// followed; what a walk cannot read is listed as skipped with why, never
// dropped; a directory reached twice is walked once.
func TestFindArtifactsWalk(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	data, err := os.ReadFile(testenv.Fixture(t, "miitee.apk"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(real, "sub"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(real, "a.apk"), data, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "outside.apk"), data, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(real, "notes.txt"), []byte("release notes\n"), 0o644))
	require.NoError(t, os.Symlink("../../outside.apk", filepath.Join(real, "sub", "linked.apk")))
	require.NoError(t, os.Symlink("/nonexistent/x.apk", filepath.Join(real, "dangling.apk")))
	require.NoError(t, os.Symlink("..", filepath.Join(real, "sub", "up")))
	require.NoError(t, os.Symlink("sub", filepath.Join(real, "again")))
	require.NoError(t, syscall.Mkfifo(filepath.Join(real, "pipe"), 0o644))
	root := filepath.Join(dir, "root")
	require.NoError(t, os.Symlink("real", root))

	got, skipped, err := scan.FindArtifacts([]string{root})
	require.NoError(t, err)
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(root, p)
		rel = append(rel, r)
	}
	assert.ElementsMatch(t, []string{"a.apk", "again/linked.apk"}, rel,
		"through the symlinked root and the link inside it; sub is walked once (as again, first in order)")
	why := map[string]string{}
	for _, s := range skipped {
		r, _ := filepath.Rel(root, s.Path)
		why[r] = s.Err.Error()
	}
	assert.Len(t, why, 3, "%v", why)
	assert.Contains(t, why["dangling.apk"], "dangling symlink")
	assert.Contains(t, why["pipe"], "not a regular file (FIFO)")
	assert.Contains(t, why["again/up"], "symlink loop")
}

// TestBatchNoArtifacts: paths that hold no artifact are an error, not an
// empty success; skipped files are lines of their own.
func TestBatchNoArtifacts(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("release notes\n"), 0o644))
	_, err := collect(t, context.Background(), []string{dir}, scan.BatchOptions{Options: options(t)})
	require.ErrorIs(t, err, scan.ErrNoArtifacts)
	assert.Contains(t, err.Error(), dir)

	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644))
	items, err := collect(t, context.Background(), []string{dir}, scan.BatchOptions{Options: options(t)})
	require.NoError(t, err)
	require.Contains(t, items, "pipe")
	assert.ErrorContains(t, items["pipe"].Err, "not a regular file (FIFO)")
}

func TestReadDone(t *testing.T) {
	whole := `{"schema_version":1,"artifact":{"path":"a.apk"}}` + "\n" + `{"path":"b.apk","error":"x"}` + "\n"
	tests := []struct {
		name    string
		data    string
		paths   []string
		tornAt  int64
		wantErr string
	}{
		{"whole", whole, []string{"a.apk", "b.apk"}, -1, ""},
		{"empty", "", nil, -1, ""},
		{"no newline at the end", whole + `{"path":"c.apk","error":"x"}`, []string{"a.apk", "b.apk"}, int64(len(whole)), ""},
		{"cut mid-object", whole + `{"schema_version":1,"arti`, []string{"a.apk", "b.apk"}, int64(len(whole)), ""},
		{"last line not JSON", whole + "{\"path\n", []string{"a.apk", "b.apk"}, int64(len(whole)), ""},
		{"blank lines", "\n" + whole + "\n", []string{"a.apk", "b.apk"}, -1, ""},
		{"torn in the middle", `{"path":"a.ap` + "\n" + whole, nil, 0, "done.jsonl: line 1 is not a whole JSON line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "done.jsonl")
			require.NoError(t, os.WriteFile(p, []byte(tt.data), 0o644))
			d, err := scan.ReadDone(p)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			var got []string
			for k := range d.Paths {
				got = append(got, k)
			}
			assert.ElementsMatch(t, tt.paths, got)
			assert.Equal(t, tt.tornAt, d.TornAt)
			assert.Equal(t, int64(len(tt.data)), d.Size)
		})
	}
	d, err := scan.ReadDone(filepath.Join(t.TempDir(), "missing.jsonl"))
	require.NoError(t, err, "a missing file skips nothing")
	assert.Empty(t, d.Paths)
	fifo := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	_, err = scan.ReadDone(fifo)
	require.ErrorContains(t, err, "fifo: not a regular file (FIFO)", "never blocks on a FIFO")
}
