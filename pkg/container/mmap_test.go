//go:build unix

package container

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

func TestWholePages(t *testing.T) {
	const page = 4096
	for _, c := range []struct {
		name               string
		off, n, size       int64
		wantStart, wantEnd int64
	}{
		{"aligned", 0, 8192, 20000, 0, 8192},
		{"partial pages at both ends are kept", 100, 9000, 20000, 4096, 8192},
		{"less than a page", 100, 200, 20000, 4096, 0},
		{"to the end of the mapping: its last, partial page goes too", 4096, 20000 - 4096, 20000, 4096, 20000},
		{"past the end is clamped", 16384, 1 << 20, 20000, 16384, 20000},
		{"negative offset", -1, 100, 20000, 0, 0},
		{"empty", 4096, 0, 20000, 0, 0},
		{"beyond the mapping", 30000, 10, 20000, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			start, end := wholePages(c.off, c.n, c.size, page)
			if c.wantEnd <= c.wantStart {
				assert.GreaterOrEqual(t, start, end, "nothing to drop")
				return
			}
			assert.Equal(t, [2]int64{c.wantStart, c.wantEnd}, [2]int64{start, end})
		})
	}
}

// TestMappedHashAndDrops: an artifact larger than one hashing chunk (8 MiB) is
// mapped and hashed chunk by chunk with its pages dropped behind; the hash
// equals sha256sum's, and every entry reads the same afterwards (from the page
// cache) as through pread.
func TestMappedHashAndDrops(t *testing.T) {
	apk := testenv.External(t, "npm", "appium-uiautomator2-server-v10.6.6.apk")
	f, err := Open(apk)
	require.NoError(t, err)
	defer func() { require.NoError(t, f.Close()) }()
	require.NotNil(t, f.mem, "the artifact is mapped")
	require.Greater(t, f.Size(), int64(hashChunk))
	sum, err := f.SHA256()
	require.NoError(t, err)
	assert.Equal(t, sha256sum(t, apk), sum)

	mapped, err := OpenArchive(f, f.Size(), limits.Limits{})
	require.NoError(t, err)
	f.Drop(0, f.Size())
	plain := openFile(t, apk)
	assert.Empty(t, sameArchive(plain, mapped, true))
}

// TestOpenRefuses: Open reads regular files only, and Close after NewFile does nothing.
func TestOpenRefuses(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(dir)
	require.EqualError(t, err, dir+": is a directory")
	_, err = Open("/dev/null")
	require.EqualError(t, err, "/dev/null: not a regular file (character device)")
	_, err = Open(filepath.Join(t.TempDir(), "missing.apk"))
	require.ErrorIs(t, err, os.ErrNotExist)

	f := NewFile(Mem("dex\n035\x00"), 8, "mem.dex")
	k, a, err := f.Identify(limits.Limits{})
	require.NoError(t, err)
	assert.Equal(t, KindDEX, k)
	assert.Nil(t, a)
	f.Drop(0, 8)
	require.NoError(t, f.Close())
	require.NoError(t, f.Close())
}
