//go:build !unix

package scan

import "io/fs"

// idOf reports no identity outside unix: loops are then not detected by
// inode (Windows junction loops end at the path length limit).
func idOf(fs.FileInfo) (fileID, bool) { return fileID{}, false }
