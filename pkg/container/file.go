package container

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// File is an artifact opened from disk: its size, its kind, and the open file
// behind it. The SHA-256 is computed on demand by SHA256.
type File struct {
	Path string
	Size int64
	Kind Kind
	f    *os.File
}

// Open opens the named file and sniffs its kind. The caller must Close it.
func Open(name string) (*File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("container: %s is not a regular file", name)
	}
	k, _ := Sniff(f, st.Size()) // a broken zip is KindZip; OpenArchive reports why
	return &File{Path: name, Size: st.Size(), Kind: k, f: f}, nil
}

// ReadAt reads from the file, so that a File is an io.ReaderAt.
func (f *File) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }

// Archive opens the file as a zip archive. The archive reads from f, so f
// must stay open while the archive is used.
func (f *File) Archive(lim limits.Limits) (*Archive, error) {
	return OpenArchive(f.f, f.Size, lim)
}

// SHA256 returns the hex SHA-256 of the whole file, streaming it.
func (f *File) SHA256() (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f.f, 0, f.Size)); err != nil {
		return "", fmt.Errorf("container: hashing %s: %w", f.Path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }
