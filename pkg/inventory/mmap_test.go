//go:build unix

package inventory

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
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
// mapped, hashed chunk by chunk with its pages dropped behind, and its DEX
// ranges dropped as they are inflated; the hash still equals crypto/sha256 of
// the file and the classes match a read without the mapping.
func TestMappedHashAndDrops(t *testing.T) {
	apk := testenv.External(t, "npm", "appium-uiautomator2-server-v10.6.6.apk")
	data, err := os.ReadFile(apk)
	require.NoError(t, err)
	require.Greater(t, len(data), 8<<20)
	sum := sha256.Sum256(data)
	mapped, err := Build(apk, Options{Jobs: 2})
	require.NoError(t, err)
	assert.Equal(t, hex.EncodeToString(sum[:]), mapped.Artifact.SHA256)
	f, err := os.Open(apk)
	require.NoError(t, err)
	defer f.Close()
	plain, err := FromReader(f, int64(len(data)), apk, Options{Jobs: 2})
	require.NoError(t, err)
	assert.Equal(t, plain.Artifact.SHA256, mapped.Artifact.SHA256)
	assert.Equal(t, plain.Code.Classes, mapped.Code.Classes)
	assert.Equal(t, plain.Code.Packages, mapped.Code.Packages)
	assert.Equal(t, plain.Warnings, mapped.Warnings)
}
