package inventory

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// TestFaultReadingTheMapping: a page of the memory-mapped artifact that can no
// longer be read (another process truncated the file; simulated here by
// protecting the pages of classes.dex) makes that DEX unanalysed, and the hash
// and layout check that read it warnings, instead of killing the process.
func TestFaultReadingTheMapping(t *testing.T) {
	apk := testenv.External(t, "npm", "appium-uiautomator2-server-v10.6.6.apk")
	f, err := os.Open(apk)
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	r, release, drop := mapFile(f, st.Size())
	defer release()
	m, ok := r.(container.Mem)
	require.True(t, ok, "the artifact is mapped")
	a, err := container.OpenArchive(m, st.Size(), limits.Limits{})
	require.NoError(t, err)
	e := a.Lookup("classes.dex")
	require.NotNil(t, e)
	start, end := wholePages(e.DataOffset(), int64(e.CompressedSize), st.Size(), int64(os.Getpagesize()))
	require.Less(t, start, end)
	require.NoError(t, syscall.Mprotect(m[start:end], syscall.PROT_NONE))
	defer func() { require.NoError(t, syscall.Mprotect(m[start:end], syscall.PROT_READ)) }()

	inv, err := fromReader(m, st.Size(), apk, Options{Jobs: 2}, drop)
	require.NoError(t, err, "the manifest and the other DEX are readable")
	var reason string
	for _, u := range inv.Unanalysed {
		if u.Path == "classes.dex" {
			reason = u.Reason
		}
	}
	assert.Contains(t, reason, "memory-mapped address")
	assert.Positive(t, inv.Code.Classes, "the other 15 DEX are read")
	var warnings []string
	for _, w := range inv.Warnings {
		warnings = append(warnings, w.String())
	}
	assert.Contains(t, strings.Join(warnings, "\n"), "SHA-256 not computed")
	assert.Empty(t, inv.Artifact.SHA256)
}

// TestTruncatedWhileMapped: the artifact shrinks after it was mapped (a build
// overwriting it), so reading its end raises SIGBUS: Build's reader reports
// one error naming the reason, the process survives.
func TestTruncatedWhileMapped(t *testing.T) {
	src, err := os.ReadFile(fixture(t, "miitee.apk"))
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "shrinking.apk")
	require.NoError(t, os.WriteFile(p, src, 0o644))
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	r, release, drop := mapFile(f, int64(len(src)))
	defer release()
	require.NoError(t, os.Truncate(p, 4096))
	_, err = fromReader(r, int64(len(src)), p, Options{Jobs: 2}, drop)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "changed or shrank while it was read")
}
