//go:build linux || darwin

package cli

import (
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock(2)) on f, waiting for
// another process's, and returns its release. Batches that append to one
// --output take it around each line, so their lines never interleave.
func lockFile(f *os.File) (unlock func(), err error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		for {
			if ferr = syscall.Flock(int(fd), syscall.LOCK_EX); ferr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return nil, err
	}
	switch ferr {
	case nil:
	case syscall.EINVAL, syscall.ENOTSUP, syscall.ENOLCK:
		// A file system without flock (some network ones): each line is
		// still one whole write with O_APPEND.
		return func() {}, nil
	default:
		return nil, ferr
	}
	return func() {
		_ = rc.Control(func(fd uintptr) { _ = syscall.Flock(int(fd), syscall.LOCK_UN) })
	}, nil
}
