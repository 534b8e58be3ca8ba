package dex

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// repoRoot returns the module root.
func repoRoot(t testing.TB) string { return testenv.RepoRoot(t) }

// sharedCorpus returns ../shared/corpus beside the checkout, or "" when it is absent.
func sharedCorpus(t testing.TB) string { return testenv.LookupShared(t, "corpus") }

// externalCorpus returns testdata/external at the repo root, or "" when it is absent.
func externalCorpus(t testing.TB) string { return testenv.LookupExternal(t) }

// fixture reads a file of this package's testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err, "fixture %s (rebuild with testdata/gen.sh)", name)
	return b
}
