// Package testenv finds what apkaudit's tests read and measures what they
// bound: the repository root, the shared corpus beside the checkout
// (../shared), the external corpus that make corpus fetches
// (testdata/external), the fixtures and cases make builds, and the bytes a
// function allocates. Every test locates files through it, so a moved corpus
// or a renamed folder is fixed in one place, and every missing input skips
// with one message that says how to get it.
//
// It is imported by tests only.
package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

// root is the directory holding go.mod, found upwards from the working
// directory (go test runs in the package directory).
var root = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
})

// RepoRoot returns the repository root joined with elem. It fails t when no
// go.mod is found above the working directory.
func RepoRoot(t testing.TB, elem ...string) string {
	t.Helper()
	dir, err := root()
	if err != nil {
		t.Fatalf("testenv: go.mod not found above the working directory: %v", err)
	}
	return filepath.Join(append([]string{dir}, elem...)...)
}

// Shared returns ../shared/elem… beside the checkout, or skips t when it is absent.
func Shared(t testing.TB, elem ...string) string {
	t.Helper()
	return need(t, sharedPath(t, elem), "the shared corpus sits beside the checkout")
}

// LookupShared returns ../shared/elem… beside the checkout, or "" when it is absent.
func LookupShared(t testing.TB, elem ...string) string {
	t.Helper()
	return present(sharedPath(t, elem))
}

// External returns testdata/external/elem…, or skips t when it is absent.
func External(t testing.TB, elem ...string) string {
	t.Helper()
	return need(t, externalPath(t, elem), "make corpus fetches the external corpus")
}

// LookupExternal returns testdata/external/elem…, or "" when it is absent.
func LookupExternal(t testing.TB, elem ...string) string {
	t.Helper()
	return present(externalPath(t, elem))
}

// Built returns the repository file elem… that the make target builds
// (generated policy documents, malformed cases), or skips t naming the target.
func Built(t testing.TB, target string, elem ...string) string {
	t.Helper()
	return need(t, RepoRoot(t, elem...), "make "+target+" builds it")
}

// Fixture returns testdata/fixtures/apk/name. The fixture APKs are committed
// (make fixtures rebuilds them), so a missing one fails t.
func Fixture(t testing.TB, name string) string {
	t.Helper()
	p := RepoRoot(t, "testdata", "fixtures", "apk", name)
	if present(p) == "" {
		t.Fatalf("testenv: fixture %s is missing (make fixtures rebuilds it)", p)
	}
	return p
}

func sharedPath(t testing.TB, elem []string) string {
	t.Helper()
	return RepoRoot(t, append([]string{"..", "shared"}, elem...)...)
}

func externalPath(t testing.TB, elem []string) string {
	t.Helper()
	return RepoRoot(t, append([]string{"testdata", "external"}, elem...)...)
}

// need returns p, or skips t with one line saying where p comes from.
func need(t testing.TB, p, from string) string {
	t.Helper()
	real := present(p)
	if real == "" {
		t.Skipf("%s is absent (%s): skipped", p, from)
	}
	return real
}

// present returns p when it exists, else "". A symbolic link is resolved
// (a worktree's testdata/external links to a shared fetched copy), so that
// filepath.WalkDir, which does not follow a link at its root, walks it.
func present(p string) string {
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	if real, err := filepath.EvalSymlinks(p); err == nil {
		return real
	}
	return p
}

// Allocated returns the bytes f allocates on the heap: runtime.MemStats
// TotalAlloc after f less before, with a collection first so that garbage of
// earlier work is not counted. Other goroutines' allocations count too, so
// bound it generously.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
