package scan_test

import (
	"archive/zip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

// batchDir is a directory with the three fixture APKs, one of them under a
// name that does not say APK, a text file, a text file named like an APK and
// a zip archive that is no artifact.
func batchDir(t *testing.T) string {
	dir := t.TempDir()
	for name, src := range map[string]string{"miitee.apk": "miitee.apk", "v2.bin": "miitee-v2.apk", "sub/packed.apk": "packed.apk"} {
		data, err := os.ReadFile(testenv.Fixture(t, src))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.txt"), []byte("release notes\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.apk"), []byte("not an APK\n"), 0o644))
	f, err := os.Create(filepath.Join(dir, "photos.zip"))
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	w, err := zw.Create("a.jpg")
	require.NoError(t, err)
	_, err = w.Write([]byte("jpeg"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return dir
}

func TestFindArtifacts(t *testing.T) {
	dir := batchDir(t)
	got, skipped, err := scan.FindArtifacts([]string{dir, filepath.Join(dir, "README.txt")})
	require.NoError(t, err)
	assert.Empty(t, skipped)
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, r)
	}
	sort.Strings(rel)
	assert.Equal(t, []string{"README.txt", "miitee.apk", "notes.apk", "sub/packed.apk", "v2.bin"}, rel,
		"by content in a directory (and names that claim an artifact); a file named is taken as it is")
	_, _, err = scan.FindArtifacts([]string{filepath.Join(dir, "missing")})
	require.ErrorIs(t, err, os.ErrNotExist)
}

// collect runs a batch and returns its items by base name.
func collect(t *testing.T, ctx context.Context, paths []string, opt scan.BatchOptions) (map[string]scan.Item, error) {
	items := map[string]scan.Item{}
	err := scan.Batch(ctx, paths, opt, func(it scan.Item) error {
		_, dup := items[filepath.Base(it.Path)]
		require.False(t, dup, "one item per artifact")
		items[filepath.Base(it.Path)] = it
		return nil
	})
	return items, err
}

func TestBatch(t *testing.T) {
	dir := batchDir(t)
	opt := scan.BatchOptions{Options: options(t)}
	opt.Jobs = 2
	items, err := collect(t, context.Background(), []string{dir}, opt)
	require.NoError(t, err)
	require.Len(t, items, 4)
	require.Error(t, items["notes.apk"].Err)
	for _, name := range []string{"miitee.apk", "v2.bin", "packed.apk"} {
		require.NoError(t, items[name].Err, name)
		assert.Equal(t, 4, items[name].Total)
	}
	assert.True(t, items["packed.apk"].Result.Fails(audit.High), "inspect's unanalysed-code finding")
	assert.Nil(t, items["miitee.apk"].Result.Disclosure)

	// Shards split the artifacts with no overlap and no loss.
	seen := map[string]int{}
	for i := range 3 {
		o := opt
		o.Shard = scan.Shard{Index: i, Of: 3}
		part, err := collect(t, context.Background(), []string{dir}, o)
		require.NoError(t, err)
		for name := range part {
			seen[name]++
		}
	}
	assert.Equal(t, map[string]int{"miitee.apk": 1, "v2.bin": 1, "packed.apk": 1, "notes.apk": 1}, seen)

	// A previous output's lines are done; a torn last line is not.
	done := filepath.Join(t.TempDir(), "done.jsonl")
	require.NoError(t, os.WriteFile(done, []byte(`{"artifact":{"path":"`+filepath.Join(dir, "miitee.apk")+`"}}`+"\n"+
		`{"path":"`+filepath.Join(dir, "notes.apk")+`","error":"x"}`+"\n"+`{"artifact":{"path":"`+filepath.Join(dir, "v2.bin")), 0o644))
	o := opt
	o.SkipDone = done
	rest, err := collect(t, context.Background(), []string{dir}, o)
	require.NoError(t, err)
	assert.Len(t, rest, 2)
	assert.Contains(t, rest, "v2.bin")
	assert.Contains(t, rest, "packed.apk")

	// With a policy every artifact is checked against it, read once.
	o = opt
	o.Policies = []string{testenv.RepoRoot(t, "testdata", "demo", "privacy-policy.html")}
	checked, err := collect(t, context.Background(), []string{filepath.Join(dir, "miitee.apk")}, o)
	require.NoError(t, err)
	require.NotNil(t, checked["miitee.apk"].Result.Disclosure)
	o.Policies = []string{filepath.Join(dir, "missing.html")}
	_, err = collect(t, context.Background(), []string{dir}, o)
	var ie *scan.InputError
	require.ErrorAs(t, err, &ie, "an unreadable policy stops the batch before any item")
}

// TestBatchStops: a failing emit, or a cancelled context, stops the batch:
// no item follows, and Batch returns why.
func TestBatchStops(t *testing.T) {
	dir := batchDir(t)
	opt := scan.BatchOptions{Options: options(t)}
	opt.Jobs = 1
	var n atomic.Int32
	full := errors.New("disk full")
	err := scan.Batch(context.Background(), []string{dir}, opt, func(scan.Item) error {
		n.Add(1)
		return full
	})
	require.ErrorIs(t, err, full)
	assert.EqualValues(t, 1, n.Load())

	err = scan.Batch(context.Background(), []string{dir}, opt, func(scan.Item) error { panic("renderer bug") })
	require.ErrorContains(t, err, "internal error writing its line: renderer bug", "a panic in emit is the batch's error")

	ctx, cancel := context.WithCancel(context.Background())
	n.Store(0)
	err = scan.Batch(ctx, []string{dir}, opt, func(it scan.Item) error {
		assert.NotErrorIs(t, it.Err, context.Canceled, "an interrupted scan is no item")
		n.Add(1)
		cancel()
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualValues(t, 1, n.Load())
}

func TestParseShard(t *testing.T) {
	s, err := scan.ParseShard("2/8")
	require.NoError(t, err)
	assert.Equal(t, scan.Shard{Index: 2, Of: 8}, s)
	for _, bad := range []string{"3/3", "-1/2", "1", "a/b", "0/0"} {
		_, err := scan.ParseShard(bad)
		assert.Error(t, err, bad)
	}
}
