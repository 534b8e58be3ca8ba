package collect

import (
	"context"
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
// protecting the pages of classes.dex in a mapping of our own) makes that DEX
// unanalysed, and the hash and layout check that read it warnings, instead of
// killing the process.
func TestFaultReadingTheMapping(t *testing.T) {
	apk := testenv.External(t, "npm", "appium-uiautomator2-server-v10.6.6.apk")
	f, err := os.Open(apk)
	require.NoError(t, err)
	defer f.Close()
	st, err := f.Stat()
	require.NoError(t, err)
	m, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	require.NoError(t, err)
	defer syscall.Munmap(m)
	a, err := container.OpenArchive(container.Mem(m), st.Size(), limits.Limits{})
	require.NoError(t, err)
	e := a.Lookup("classes.dex")
	require.NotNil(t, e)
	page := int64(os.Getpagesize())
	start := (e.DataOffset() + page - 1) / page * page
	end := (e.DataOffset() + int64(e.CompressedSize)) / page * page
	require.Less(t, start, end)
	require.NoError(t, syscall.Mprotect(m[start:end], syscall.PROT_NONE))
	defer func() { require.NoError(t, syscall.Mprotect(m[start:end], syscall.PROT_READ)) }()

	inv, err := Build(context.Background(), container.NewFile(container.Mem(m), st.Size(), apk), Options{Jobs: 2})
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

// TestTruncatedWhileMapped: the artifact shrinks after it was opened and
// mapped (a build overwriting it), so reading its central directory raises
// SIGBUS: Build reports one error naming the reason, the process survives.
func TestTruncatedWhileMapped(t *testing.T) {
	src, err := os.ReadFile(fixture(t, "miitee.apk"))
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "shrinking.apk")
	require.NoError(t, os.WriteFile(p, src, 0o644))
	f, err := container.Open(p)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, os.Truncate(p, 4096))
	_, err = Build(context.Background(), f, Options{Jobs: 2})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "changed or shrank while it was read")
}
