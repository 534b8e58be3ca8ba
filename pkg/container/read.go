package container

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"sync"

	"github.com/klauspost/compress/flate"

	"github.com/apkaudit/apkaudit/pkg/inflate"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// ratioFloor is the uncompressed size below which the compression ratio is
// not checked: small runs of zeros compress beyond any sane ratio.
const ratioFloor = 1 << 20

var (
	bufioPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}
	flatePool sync.Pool // io.ReadCloser that implement flate.Resetter
)

func getInflater(r flate.Reader) io.ReadCloser {
	if f, ok := flatePool.Get().(io.ReadCloser); ok {
		if err := f.(flate.Resetter).Reset(r, nil); err == nil {
			return f
		}
	}
	return flate.NewReader(r)
}

// source is an entry's decompressed byte stream before bounding.
type source struct {
	r       io.Reader
	br      *bufio.Reader
	fr      io.ReadCloser
	deflate bool
}

// noInput is what a pooled inflater reads until it is reset for an entry:
// without it the pool would keep the last entry's input, and with it a
// whole inflated nested archive, alive.
var noInput = bytes.NewReader(nil)

func (s *source) release() {
	if s.fr != nil {
		_ = s.fr.(flate.Resetter).Reset(noInput, nil)
		flatePool.Put(s.fr)
		s.fr = nil
	}
	if s.br != nil {
		s.br.Reset(nil)
		bufioPool.Put(s.br)
		s.br = nil
	}
}

// stored reports whether e's data is read as is: method Store, or an unknown
// method with equal sizes, as Android does.
func stored(e *Entry) bool {
	return e.Method == Store || (e.Method != Deflate && e.CompressedSize == e.UncompressedSize)
}

// check validates e against the limits and charges its declared size to the
// artifact's budget.
func (a *Archive) check(e *Entry) error {
	if e == nil || e.Index < 0 || e.Index >= len(a.entries) || a.entries[e.Index] != e {
		return errors.New("container: entry does not belong to this archive")
	}
	a.localHeader(e)
	if e.lfhErr != nil {
		return e.lfhErr
	}
	what := "entry " + quote(e.Name)
	if e.UncompressedSize > uint64(a.lim.EntrySize) {
		return &limits.LimitError{What: "container: " + what + ": uncompressed size", Limit: a.lim.EntrySize, Value: clampInt64(e.UncompressedSize)}
	}
	if !stored(e) && e.UncompressedSize > ratioFloor {
		c := max(e.CompressedSize, 1)
		if r := e.UncompressedSize / c; r > uint64(a.lim.Ratio) {
			return &limits.LimitError{What: "container: " + what + ": compression ratio", Limit: a.lim.Ratio, Value: int64(r)}
		}
	}
	return a.total.charge(int64(e.UncompressedSize), what)
}

func (a *Archive) source(e *Entry) *source {
	if stored(e) {
		n := min(int64(e.UncompressedSize), a.size-e.dataOff)
		if a.mem != nil {
			return &source{r: bytes.NewReader(a.mem[e.dataOff : e.dataOff+n])}
		}
		return &source{r: io.NewSectionReader(a.r, e.dataOff, n)}
	}
	if a.mem != nil {
		// The inflater reads the mapped bytes directly (flate's *bytes.Reader path).
		fr := getInflater(bytes.NewReader(a.mem[e.dataOff : e.dataOff+int64(e.CompressedSize)]))
		return &source{r: fr, fr: fr, deflate: true}
	}
	br := bufioPool.Get().(*bufio.Reader)
	br.Reset(io.NewSectionReader(a.r, e.dataOff, int64(e.CompressedSize)))
	fr := getInflater(br)
	return &source{r: fr, br: br, fr: fr, deflate: true}
}

// Open returns a reader of e's uncompressed bytes. The reader delivers at
// most e.UncompressedSize bytes; an entry whose data inflates past that size
// ends in a *limits.LimitError, one whose data ends early in a *FormatError.
// Entries larger than Limits.EntrySize, more compressed than Limits.Ratio, or
// beyond the artifact's Limits.TotalSize are refused with a
// *limits.LimitError before anything is read. A CRC mismatch is recorded as a
// warning and the data kept. The caller must close the reader.
func (a *Archive) Open(e *Entry) (io.ReadCloser, error) {
	if err := a.check(e); err != nil {
		return nil, err
	}
	return &entryReader{a: a, e: e, src: a.source(e), max: int64(e.UncompressedSize)}, nil
}

type entryReader struct {
	a   *Archive
	e   *Entry
	src *source
	n   int64
	max int64
	crc uint32
	err error
}

// Read delivers the entry's bytes, never more than its declared size.
func (r *entryReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if r.n >= r.max {
		r.err = r.a.finish(r.e, r.src, r.crc)
		return 0, r.err
	}
	if int64(len(p)) > r.max-r.n {
		p = p[:r.max-r.n]
	}
	k, err := r.src.r.Read(p)
	r.crc = crc32.Update(r.crc, crc32.IEEETable, p[:k])
	r.n += int64(k)
	switch {
	case err == nil:
	case r.n >= r.max:
		r.err = r.a.finish(r.e, r.src, r.crc) // whatever the reader said of the rest
	case err == io.EOF:
		r.err = r.a.short(r.e, r.n)
	default:
		r.err = r.a.corrupt(r.e, err)
	}
	if k > 0 && r.err == io.EOF {
		return k, nil
	}
	if k > 0 && r.err != nil {
		return k, nil // the error comes with the next call
	}
	return k, r.err
}

// Close releases the decompressor; further reads fail.
func (r *entryReader) Close() error {
	if r.src != nil {
		r.src.release()
		r.src = nil
	}
	if r.err == nil {
		r.err = errors.New("container: read after close")
	}
	return nil
}

// finish runs once all declared bytes were delivered, whatever the
// decompressor said of the rest of the stream with them: data beyond them
// is a LimitError, a bad checksum a warning; a malformed or cut rest is
// not judged (inflateAll decides the same).
func (a *Archive) finish(e *Entry, s *source, crc uint32) error {
	if s.deflate {
		var one [1]byte
		if k, _ := io.ReadFull(s.r, one[:]); k > 0 {
			return a.excess(e)
		}
	}
	a.checkCRC(e, crc)
	return io.EOF
}

// excess warns that e inflates past its declared size and returns the
// error that cuts it there.
func (a *Archive) excess(e *Entry) error {
	a.warnOnce("excess:"+e.Name, "entry %q inflates past its declared size of %d bytes; cut (zip bomb or tampering)", e.Name, e.UncompressedSize)
	return &limits.LimitError{What: "container: entry " + quote(e.Name) + ": inflated size (limit: the declared size)", Limit: int64(e.UncompressedSize), Value: -1}
}

// checkCRC warns when crc, the CRC-32 of e's delivered bytes, is not the
// central directory's.
func (a *Archive) checkCRC(e *Entry, crc uint32) {
	if crc != e.CRC32 {
		a.warnOnce("crc:"+e.Name, "entry %q has CRC %#08x but the central directory declares %#08x; data kept", e.Name, crc, e.CRC32)
	}
}

func (a *Archive) short(e *Entry, n int64) error {
	return &FormatError{Off: e.dataOff, Msg: fmt.Sprintf("data of %s ends after %d of %d bytes", quote(e.Name), n, e.UncompressedSize), Val: nil}
}

func (a *Archive) corrupt(e *Entry, err error) error {
	if err == io.ErrUnexpectedEOF {
		return &FormatError{Off: e.dataOff, Msg: "compressed data of " + quote(e.Name) + " ends early"}
	}
	var ce flate.CorruptInputError
	if errors.As(err, &ce) {
		return &FormatError{Off: e.dataOff + int64(ce), Msg: "corrupt deflate data in " + quote(e.Name)}
	}
	var ie inflate.CorruptInputError
	if errors.As(err, &ie) {
		return &FormatError{Off: e.dataOff + int64(ie), Msg: "corrupt deflate data in " + quote(e.Name)}
	}
	return fmt.Errorf("container: reading %s: %w", quote(e.Name), err)
}

// ReadAll inflates e into buf, which is reused when large enough and grown
// otherwise, and returns the filled slice. It enforces what Open enforces.
// When e's data inflates past its declared size, or ends early, ReadAll
// returns what it read together with the error.
func (a *Archive) ReadAll(e *Entry, buf []byte) ([]byte, error) {
	if err := a.check(e); err != nil {
		return buf[:0], err
	}
	want := int(e.UncompressedSize)
	if !stored(e) && a.mem != nil && cap(buf) >= want {
		return a.inflateAll(e, buf[:want])
	}
	s := a.source(e)
	defer s.release()
	if cap(buf) >= want {
		buf = buf[:want]
	} else {
		// Size the first allocation from the bytes present: stored data is in
		// the file; deflate data rarely inflates by more than 8 times.
		n := want
		if s.deflate {
			n = int(min(uint64(want), max(e.CompressedSize*8, 64<<10)))
		}
		buf = make([]byte, n)
	}
	n := 0
	for n < want {
		if n == len(buf) {
			grown := make([]byte, min(want, 2*len(buf)))
			copy(grown, buf[:n])
			buf = grown
		}
		k, err := s.r.Read(buf[n:])
		n += k
		switch {
		case err == nil, n == want: // every declared byte out: finish judges the rest
		case err == io.EOF:
			return buf[:n], a.short(e, int64(n))
		default:
			return buf[:n], a.corrupt(e, err)
		}
	}
	buf = buf[:n]
	if err := a.finish(e, s, checksumIEEE(buf)); err != io.EOF {
		return buf, err
	}
	return buf, nil
}

// inflateAll is ReadAll of a deflated entry whose compressed bytes are
// mapped, into buf of its declared size: pkg/inflate decodes them straight
// into buf, with the outcomes the reader path has. Once every declared
// byte is out, what is left of the stream matters only if it would inflate
// to more; a malformed or cut rest is not read, as a reader stopping at
// the declared size does not read it.
func (a *Archive) inflateAll(e *Entry, buf []byte) ([]byte, error) {
	n, err := inflate.Decode(buf, a.mem[e.dataOff:e.dataOff+int64(e.CompressedSize)])
	switch {
	case err == inflate.ErrOverflow:
		return buf, a.excess(e)
	case n == len(buf):
	case err == nil:
		return buf[:n], a.short(e, int64(n))
	default:
		return buf[:n], a.corrupt(e, err)
	}
	a.checkCRC(e, checksumIEEE(buf))
	return buf, nil
}

// NestedInPlace reports whether Nested reads e in place; otherwise it
// inflates e into memory (e.UncompressedSize bytes, held while the nested
// archive is used).
func (a *Archive) NestedInPlace(e *Entry) bool {
	return stored(e) && e.CompressedSize == e.UncompressedSize
}

// Nested opens the zip archive stored in entry e (an APK inside an APK or a
// bundle). A stored entry is read in place, without a copy; a compressed one
// is inflated into memory under the entry limits. Archives nested more than
// Limits.Depth deep are refused with a *limits.LimitError. The nested archive
// shares the artifact's TotalSize budget and keeps its own warnings.
func (a *Archive) Nested(e *Entry) (*Archive, error) {
	if a.depth+1 > a.lim.Depth {
		return nil, &limits.LimitError{What: "container: nesting depth at " + quote(e.Name), Limit: int64(a.lim.Depth), Value: int64(a.depth + 1)}
	}
	if err := a.check(e); err != nil {
		return nil, err
	}
	var r io.ReaderAt
	var size int64
	if a.NestedInPlace(e) {
		r, size = io.NewSectionReader(a.r, e.dataOff, int64(e.UncompressedSize)), int64(e.UncompressedSize)
		if a.mem != nil {
			r = Mem(a.mem[e.dataOff : e.dataOff+size])
		}
	} else {
		a.total.used.Add(-int64(e.UncompressedSize)) // ReadAll charges it again
		// One allocation of the declared size (within EntrySize, checked
		// above), not a buffer grown by copies: the nested archive is held
		// whole while it is read, and growing it would need half as much again.
		b, err := a.ReadAll(e, make([]byte, 0, e.UncompressedSize))
		if err != nil {
			return nil, err
		}
		r, size = Mem(b), int64(len(b))
	}
	n := &Archive{r: r, size: size, lim: a.lim, depth: a.depth + 1, total: a.total}
	n.setMem()
	if err := n.init(); err != nil {
		return nil, fmt.Errorf("container: nested archive %s: %w", quote(e.Name), err)
	}
	return n, nil
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func clampInt64(v uint64) int64 {
	if v > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(v)
}

// checksumIEEE is crc32.ChecksumIEEE of b in calls of at most hashWrite
// bytes: the assembly cannot be preempted, and a garbage collection's
// stop-the-world phase would wait for a whole DEX's checksum while every
// other goroutine stood still.
func checksumIEEE(b []byte) uint32 {
	var crc uint32
	for len(b) > 0 {
		n := min(len(b), hashWrite)
		crc = crc32.Update(crc, crc32.IEEETable, b[:n])
		b = b[n:]
	}
	return crc
}
