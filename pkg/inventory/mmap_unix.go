//go:build unix

package inventory

import (
	"io"
	"os"
	"syscall"

	"github.com/apkaudit/apkaudit/pkg/container"
)

// maxMapped is the largest artifact mapped into memory.
const maxMapped = 24 << 20

// mapFile maps f read-only, so the zip layer's many small reads (local
// headers, gap checks, compressed data) and the hash become memory reads
// instead of system calls. The returned release must be called once nothing
// refers to the mapping any more; every reader copies what it keeps.
// When mapping fails (a pipe, a special file), f itself is returned.
//
// Only artifacts up to maxMapped bytes are mapped: the pages of a mapping
// count as resident once touched, and peak memory must stay bounded by the
// DEX in flight, not grow with the artifact. Larger files are read with pread.
func mapFile(f *os.File, size int64) (io.ReaderAt, func()) {
	if size <= 0 || size > maxMapped || int64(int(size)) != size {
		return f, func() {}
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return f, func() {}
	}
	return container.Mem(data), func() { _ = syscall.Munmap(data) }
}
