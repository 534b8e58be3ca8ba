package container

import (
	"sync"
	"syscall"
)

// hugeAlloc maps n bytes, rounded up to whole huge pages, of anonymous
// memory and advises huge pages for them (the kernel places a mapping of
// that size on a huge-page boundary). ok is false when the mapping fails;
// a refused advice (THP disabled) still leaves a working buffer.
func hugeAlloc(n int) (buf []byte, free func(), ok bool) {
	size := (n + hugePage - 1) &^ (hugePage - 1)
	m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return nil, nil, false
	}
	_ = syscall.Madvise(m, syscall.MADV_HUGEPAGE)
	return m, sync.OnceFunc(func() { _ = syscall.Munmap(m) }), true
}
