//go:build unix

package scan

import (
	"io/fs"
	"syscall"
)

// idOf is the device and inode of the file st describes.
func idOf(st fs.FileInfo) (fileID, bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return fileID{}, false
	}
	return fileID{uint64(s.Dev), uint64(s.Ino)}, true //nolint:unconvert // Dev is int32 on darwin
}
