// Package limits holds the resource bounds every reader of untrusted input
// obeys, the error reported when one is hit, and small guarded I/O helpers.
// It sits at the bottom of the dependency graph and imports nothing of
// apkaudit.
package limits

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Limits bounds how much work one artifact or document may cause.
// The zero value of a field means "use the default".
type Limits struct {
	// EntrySize is the largest uncompressed size of one zip entry read into memory.
	EntrySize int64
	// TotalSize is the most uncompressed bytes read from one artifact, nested ones included.
	TotalSize int64
	// InFlight is the most inflated bytes one scan holds in memory at once,
	// across all its jobs: DEX files and libraries being analysed and the
	// nested archives inflated to be read (see InFlight, the type).
	InFlight int64
	// Entries is the most zip entries one archive may list.
	Entries int
	// Depth is how deep archives may nest (APK in APK, APKs in a bundle).
	Depth int
	// DexFiles is the most DEX files analysed per artifact.
	DexFiles int
	// Ratio is the largest compression ratio accepted for one entry.
	Ratio int64
	// PolicySize is the largest policy document accepted, in bytes.
	PolicySize int64
	// PDFPages is the most pages read from one PDF.
	PDFPages int
}

// Default returns the limits used when the user sets none.
func Default() Limits {
	return Limits{
		EntrySize:  512 << 20,
		TotalSize:  4 << 30,
		InFlight:   128 << 20,
		Entries:    200000,
		Depth:      4,
		DexFiles:   256,
		Ratio:      1000,
		PolicySize: 64 << 20,
		PDFPages:   500,
	}
}

// WithDefaults returns l with every zero field replaced by its default.
func (l Limits) WithDefaults() Limits {
	d := Default()
	if l.EntrySize <= 0 {
		l.EntrySize = d.EntrySize
	}
	if l.TotalSize <= 0 {
		l.TotalSize = d.TotalSize
	}
	if l.InFlight <= 0 {
		l.InFlight = d.InFlight
	}
	if l.Entries <= 0 {
		l.Entries = d.Entries
	}
	if l.Depth <= 0 {
		l.Depth = d.Depth
	}
	if l.DexFiles <= 0 {
		l.DexFiles = d.DexFiles
	}
	if l.Ratio <= 0 {
		l.Ratio = d.Ratio
	}
	if l.PolicySize <= 0 {
		l.PolicySize = d.PolicySize
	}
	if l.PDFPages <= 0 {
		l.PDFPages = d.PDFPages
	}
	return l
}

// ErrLimit is matched by every *LimitError.
var ErrLimit = errors.New("limit exceeded")

// LimitError reports that What exceeded Limit (Value is what was seen or claimed, -1 if unknown).
type LimitError struct {
	What  string
	Limit int64
	Value int64
}

func (e *LimitError) Error() string {
	if e.Value >= 0 {
		return fmt.Sprintf("%s: %d exceeds the limit of %d", e.What, e.Value, e.Limit)
	}
	return fmt.Sprintf("%s exceeds the limit of %d", e.What, e.Limit)
}

// Is reports whether target is ErrLimit.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// ReadAtMost reads all of r unless it delivers more than limit bytes, in
// which case it returns a *LimitError naming what. It never reads more
// than limit+1 bytes; its buffer grows by doubling, as io.ReadAll's does
// (ReadStringAtMost reads a reader of known size into one buffer).
func ReadAtMost(r io.Reader, limit int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &LimitError{What: what, Limit: limit, Value: -1}
	}
	return b, nil
}

// ReadStringAtMost is ReadAtMost for a reader whose size is known (a file's
// fstat size): it reads into one buffer of size+1 bytes (at most limit+1),
// grown only if r delivers more than size, and returns it as a string
// without a second copy. A 60 MB read through ReadAtMost grows its buffer
// by doubling, allocating twice what it reads, in blocks that fragment an
// address space capped at 1 GiB.
func ReadStringAtMost(r io.Reader, size, limit int64, what string) (string, error) {
	var sb strings.Builder
	sb.Grow(int(max(0, min(size, limit)) + 1))
	n, err := io.Copy(&sb, io.LimitReader(r, limit+1))
	if err != nil {
		return "", err
	}
	if n > limit {
		return "", &LimitError{What: what, Limit: limit, Value: -1}
	}
	return sb.String(), nil
}

// CheckTable reports whether a table of count records of size bytes each,
// starting at off, fits inside a file of total bytes.
func CheckTable(off int64, count, size uint64, total int64) bool {
	if off < 0 || off > total {
		return false
	}
	if count == 0 {
		return true
	}
	if size != 0 && count > uint64(total)/size+1 {
		return false
	}
	return count*size <= uint64(total-off)
}

// Memory is the in-flight budget of one scan: the bytes it holds in memory
// at once, shared by all its jobs, so that concurrent inflation does not
// multiply the bound. A job Acquires what it is about to inflate and
// Releases it when done; what is held while other jobs run on it (an
// inflated nested archive, while its entries are read) is Pinned and
// Unpinned. It is safe for concurrent use.
type Memory struct {
	mu     sync.Mutex
	cond   sync.Cond
	limit  int64
	pinned int64 // held until Unpin, by the walk, while jobs run
	held   int64 // held by running jobs, released when they finish
}

// NewMemory returns a budget of limit bytes.
func NewMemory(limit int64) *Memory {
	m := &Memory{limit: limit}
	m.cond.L = &m.mu
	return m
}

// Acquire takes n bytes, waiting while running jobs hold what n needs. When
// n can never fit (it exceeds the limit less what is pinned) it returns a
// *LimitError naming what at once, and takes nothing. A job must hold
// nothing else while it calls Acquire, so that waiting cannot deadlock.
func (m *Memory) Acquire(n int64, what string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pinned+n > m.limit {
		return m.err(n, what)
	}
	for m.pinned+m.held+n > m.limit {
		m.cond.Wait()
	}
	m.held += n
	return nil
}

// Release gives back n bytes taken by Acquire.
func (m *Memory) Release(n int64) {
	m.mu.Lock()
	m.held -= n
	m.mu.Unlock()
	m.cond.Broadcast()
}

// Pin takes n bytes until Unpin, without waiting: when they are not free
// now it returns a *LimitError naming what. Jobs that Acquire while bytes
// are pinned never wait for them.
func (m *Memory) Pin(n int64, what string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pinned+m.held+n > m.limit {
		return m.err(n, what)
	}
	m.pinned += n
	return nil
}

// Unpin gives back n bytes taken by Pin, once what held them is released.
func (m *Memory) Unpin(n int64) {
	m.mu.Lock()
	m.pinned -= n
	m.mu.Unlock()
	m.cond.Broadcast()
}

func (m *Memory) err(n int64, what string) error {
	return &LimitError{What: what + ": bytes held in memory at once by the scan (limit: InFlight)", Limit: m.limit, Value: m.pinned + n}
}
