//go:build linux

package malformed_test

import (
	"archive/zip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// TestSyntheticMemoryBound reads an APK of at least 60 MiB of real DEX (make synthetic
// builds it with scripts/synth-apk from the external corpus) and checks that inspect's peak RSS stays below twice its
// largest DEX plus 48 MiB: memory follows the DEX in flight, not the artifact's size.
func TestSyntheticMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short")
	}
	needSetup(t)
	out := testenv.Built(t, "synthetic", "testdata", "synthetic", "synthetic-60mb.apk")

	zr, err := zip.OpenReader(out)
	require.NoError(t, err)
	var total, largest uint64
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".dex") {
			total += f.UncompressedSize64
			largest = max(largest, f.UncompressedSize64)
		}
	}
	zr.Close()
	require.GreaterOrEqual(t, total, uint64(60<<20))

	r := run(t, time.Minute, "inspect", "--format", "json", "--quiet", out)
	require.Equal(t, 0, r.exit, "%v", r)
	bound := int64(2*largest + 48<<20)
	t.Logf("%d MiB of DEX, largest %d MiB: peak RSS %d MiB (bound %d MiB) in %v",
		total>>20, largest>>20, r.maxRSS>>20, bound>>20, r.wall.Round(time.Millisecond))
	assert.Less(t, r.maxRSS, bound)
}
