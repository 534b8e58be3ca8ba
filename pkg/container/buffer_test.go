package container

import (
	"hash/crc32"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNewBuffer: every buffer holds n bytes, writable to the last, whatever
// its size; freeing it twice is harmless. On Linux with transparent huge
// pages available (enabled "always" or "madvise"), a large one is filled
// in huge pages.
func TestNewBuffer(t *testing.T) {
	for _, n := range []int{0, 1, 4096, hugeBuffer - 1, hugeBuffer, 10<<20 + 12345} {
		buf, free := NewBuffer(n)
		require.Len(t, buf, 0)
		require.Equal(t, n, cap(buf))
		buf = buf[:n]
		for i := range buf {
			buf[i] = byte(i)
		}
		for i := 0; i < n; i += 4093 {
			require.Equal(t, byte(i), buf[i])
		}
		if n >= hugeBuffer && runtime.GOOS == "linux" && thpAvailable() {
			assert.Positive(t, anonHugeKB(t), "%d bytes: no huge pages", n)
		}
		free()
		free()
	}
}

func thpAvailable() bool {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	return err == nil && !strings.Contains(string(b), "[never]")
}

// anonHugeKB is the process's AnonHugePages, in kB.
func anonHugeKB(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skipf("no smaps_rollup: %v", err)
	}
	m := regexp.MustCompile(`AnonHugePages:\s+(\d+) kB`).FindSubmatch(b)
	require.NotNil(t, m)
	kb, _ := strconv.Atoi(string(m[1]))
	return kb
}

// TestChecksumIEEE: the CRC-32 in bounded calls is crc32.ChecksumIEEE, for
// lengths around the call size.
func TestChecksumIEEE(t *testing.T) {
	b := make([]byte, 3*hashWrite+17)
	for i := range b {
		b[i] = byte(i * 7)
	}
	for _, n := range []int{0, 1, hashWrite - 1, hashWrite, hashWrite + 1, len(b)} {
		assert.Equal(t, crc32.ChecksumIEEE(b[:n]), checksumIEEE(b[:n]), "%d bytes", n)
	}
}
