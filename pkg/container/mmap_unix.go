//go:build unix

package container

import (
	"io"
	"os"
	"syscall"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// mapFile maps f read-only, so the zip layer's many small reads (local
// headers, gap checks, compressed data) and the hash become memory reads
// instead of system calls and copies. The returned release must be called
// once nothing refers to the mapping any more; every reader copies what it
// keeps. When mapping fails (a pipe, a special file), f itself is returned.
//
// The pages of a mapping count as resident once touched, and peak memory must
// follow the DEX in flight, not the artifact's size. Where the system can give
// pages back (drop: madvise DONTNEED, Linux), the scan drops every range it is
// done with and any artifact is mapped; elsewhere only artifacts up to
// maxMappedKept bytes are, and larger ones are read with pread. drop is never
// nil; a dropped range reads the same bytes again (from the page cache) if it
// is touched later.
func mapFile(f *os.File, size int64) (r io.ReaderAt, release func(), drop func(off, n int64)) {
	noDrop := func(int64, int64) {}
	if size <= 0 || int64(int(size)) != size || (!canDropPages && size > maxMappedKept) || size > limits.AddressSpaceLeft()/mapShare {
		return f, func() {}, noDrop
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return f, func() {}, noDrop
	}
	page := int64(os.Getpagesize())
	drop = func(off, n int64) {
		if start, end := wholePages(off, n, size, page); start < end {
			dropPages(data[start:end])
		}
	}
	return Mem(data), func() { _ = syscall.Munmap(data) }, drop
}

// wholePages returns the pages that lie wholly inside [off, off+n) of a
// mapping of size bytes: dropping a page that is partly outside the range
// would drop bytes still in use. start >= end when there is none.
func wholePages(off, n, size, page int64) (start, end int64) {
	if off < 0 || n <= 0 || off >= size {
		return 0, 0
	}
	start = (off + page - 1) / page * page
	end = min(off+n, size)
	if end < size {
		end = end / page * page // the mapping's last page may be partial: it is wholly ours
	}
	return start, end
}

// mapShare: under an address-space limit (prlimit --as, ulimit -v) an
// artifact is mapped only when it takes at most 1/mapShare of what is left,
// so that a large artifact, or several in a batch, cannot take the address
// space the heap needs (under a 1 GiB limit the Go runtime has mapped some
// 750 MB before main, and a mapped 200 MB APK would leave the heap nothing).
// A larger one is read with pread, which gives the same bytes.
const mapShare = 4

// maxMappedKept is the largest artifact mapped where pages cannot be dropped.
const maxMappedKept = 24 << 20
