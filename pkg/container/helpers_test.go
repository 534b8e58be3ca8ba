package container

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// repoRoot is the module root, found from this file's directory.
func repoRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// corpusDir returns shared/corpus beside the repository, or skips.
func corpusDir(t testing.TB) string {
	d := filepath.Join(repoRoot(t), "..", "shared", "corpus")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("shared corpus not found at %s: corpus tests skipped", d)
	}
	return d
}

// externalDir returns testdata/external, or skips.
func externalDir(t testing.TB) string {
	d := filepath.Join(repoRoot(t), "testdata", "external")
	if _, err := os.Stat(d); err != nil {
		t.Skipf("external corpus not found at %s (run make corpus): skipped", d)
	}
	return d
}

// fdroid returns the path of a file in the fdroidserver corpus folder.
func fdroid(t testing.TB, name string) string {
	return filepath.Join(corpusDir(t), "apk", "fdroidserver", name)
}

// openFile opens path as an archive with default limits.
func openFile(t testing.TB, path string) *Archive {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	a, err := OpenArchive(f, st.Size(), limits.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}
