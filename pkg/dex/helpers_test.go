package dex

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// repoRoot returns the module root: the nearest parent of the package
// directory that holds go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
}

// sharedCorpus returns ../shared/corpus beside the checkout, or "" when it is absent.
func sharedCorpus(t testing.TB) string {
	dir := filepath.Join(repoRoot(t), "..", "shared", "corpus")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// externalCorpus returns testdata/external at the repo root, or "" when it is absent.
func externalCorpus(t testing.TB) string {
	dir := filepath.Join(repoRoot(t), "testdata", "external")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// fixture reads a file of this package's testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err, "fixture %s (rebuild with testdata/gen.sh)", name)
	return b
}
