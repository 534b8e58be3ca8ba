package container

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// File is an artifact open for reading. Open maps a file from disk
// read-only where the system allows it and reads it with pread otherwise;
// NewFile wraps bytes the caller already holds. File owns what the scan
// does with the bytes as a whole: reading them (File is an io.ReaderAt),
// giving back the pages of ranges the scan is done with (Drop), hashing them
// (SHA256) and releasing them (Close), like debug/elf's Open and NewFile.
//
// Reading a mapped file that another process truncated meanwhile raises a
// memory fault instead of an error. A goroutine that reads a File must run
// with debug.SetPanicOnFault(true) and recover at its root; the scan pool
// of pkg/inventory/collect does, and turns the fault into an error.
type File struct {
	// Name is the path the artifact was opened from, or the name NewFile was given.
	Name string

	r       io.ReaderAt
	size    int64
	mem     Mem                // the mapping, nil when r is read with pread
	drop    func(off, n int64) // gives back the resident pages of a range of mem
	release func()             // unmaps mem
	f       *os.File           // nil after NewFile
}

// Open opens the named file for reading (limits.OpenRegular: it refuses a
// directory, FIFO, socket or device without blocking). The caller must Close it.
func Open(name string) (*File, error) {
	f, err := limits.OpenRegular(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	r, release, drop := mapFile(f, st.Size())
	file := &File{Name: name, r: r, size: st.Size(), drop: drop, release: release, f: f}
	if m, ok := r.(Mem); ok {
		file.mem = m
	}
	return file, nil
}

// NewFile returns a File reading the size bytes held in r, recorded as name.
// The caller owns r; Drop and Close do nothing.
func NewFile(r io.ReaderAt, size int64, name string) *File {
	f := &File{Name: name, r: r, size: size, drop: func(int64, int64) {}, release: func() {}}
	if m, ok := r.(Mem); ok && int64(len(m)) == size {
		f.mem = m
	}
	return f
}

// ReadAt reads from the artifact, so that a File is an io.ReaderAt.
func (f *File) ReadAt(p []byte, off int64) (int, error) { return f.r.ReadAt(p, off) }

// Size returns the artifact's size in bytes.
func (f *File) Size() int64 { return f.size }

// Identify tells the artifact's kind from its content and, for a zip
// archive, opens it under lim (see the package function Identify).
func (f *File) Identify(lim limits.Limits) (Kind, *Archive, error) {
	return Identify(f.r, f.size, lim)
}

// Drop tells the system that the scan is done with the bytes [off, off+n)
// of a mapped file: their pages leave the process's resident set (they stay
// in the page cache and read the same if touched again). Peak memory then
// follows the DEX in flight, not the artifact's size. It does nothing for a
// file read with pread or made by NewFile.
func (f *File) Drop(off, n int64) { f.drop(off, n) }

// hashChunk is how much of a mapped file SHA256 hashes before it drops the
// pages behind it.
const hashChunk = 8 << 20

// hashWrite is the most SHA256 hashes in one call of the hash's assembly.
const hashWrite = 256 << 10

// SHA256 returns the hex SHA-256 of the whole artifact. A mapped file is
// hashed in place, its pages given back behind the hash.
func (f *File) SHA256() (string, error) {
	h := sha256.New()
	if f.mem != nil {
		for off := 0; off < len(f.mem); off += hashChunk {
			end := min(off+hashChunk, len(f.mem))
			// In writes of hashWrite bytes: the SHA-NI assembly cannot be
			// preempted, and a garbage collection's stop-the-world phase
			// waited for one 8 MiB write (4 ms) while every other
			// goroutine, the largest DEX's inflate among them, stood still.
			for p := off; p < end; p += hashWrite {
				h.Write(f.mem[p:min(p+hashWrite, end)])
			}
			f.Drop(int64(off), int64(end-off))
		}
	} else if _, err := io.Copy(h, io.NewSectionReader(f.r, 0, f.size)); err != nil {
		return "", fmt.Errorf("container: hashing %s: %w", f.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Close unmaps and closes a file that Open opened; after NewFile it does
// nothing. Nothing read from the File may be used after Close unless it was
// copied (every reader of this package copies what it returns).
func (f *File) Close() error {
	f.release()
	f.release = func() {}
	if f.f == nil {
		return nil
	}
	err := f.f.Close()
	f.f = nil
	return err
}
