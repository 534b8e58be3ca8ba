package container

import "syscall"

const canDropPages = true

// dropPages tells the kernel the scan is done with b: its pages leave the
// process's resident set (they stay in the page cache).
func dropPages(b []byte) { _ = syscall.Madvise(b, syscall.MADV_DONTNEED) }
