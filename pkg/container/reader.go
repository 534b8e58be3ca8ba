package container

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// ErrFormat is matched by every *FormatError: the input is not a zip archive
// this package can read.
var ErrFormat = errors.New("container: not a valid zip archive")

// A FormatError reports malformed input at byte offset Off.
type FormatError struct {
	Off int64  // where in the archive the problem is
	Msg string // what is wrong
	Val any    // the offending value, or nil
}

// Error formats the error as "container: msg (val) at offset off".
func (e *FormatError) Error() string {
	if e.Val == nil {
		return fmt.Sprintf("container: %s at offset %#x", e.Msg, e.Off)
	}
	return fmt.Sprintf("container: %s (%v) at offset %#x", e.Msg, e.Val, e.Off)
}

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Compression methods Android knows.
const (
	Store   uint16 = 0 // no compression
	Deflate uint16 = 8 // DEFLATE
)

const (
	lfhSig       = 0x04034b50
	cdSig        = 0x02014b50
	eocdSig      = 0x06054b50
	eocd64Sig    = 0x06064b50
	eocd64LocSig = 0x07064b50
	lfhLen       = 30
	cdLen        = 46
	eocdLen      = 22
	eocd64Len    = 56
	eocd64LocLen = 20
	maxComment   = 0xffff
	zip64Extra   = 0x0001

	flagEncrypted  = 0x1
	flagDescriptor = 0x8

	maxWarnings = 200
)

// Entry is one file of an archive as the central directory describes it.
// Offsets are absolute positions in the archive's reader.
type Entry struct {
	// Name is the entry's path, bytes as stored (no code-page conversion).
	Name string
	// Method is the compression method of the central directory (Store, Deflate, or other).
	Method uint16
	// Flags is the general-purpose bit flag of the central directory.
	Flags uint16
	// CRC32 is the checksum the central directory declares.
	CRC32 uint32
	// CompressedSize and UncompressedSize are the central directory's sizes.
	CompressedSize, UncompressedSize uint64
	// Offset is where the entry's local header starts.
	Offset int64
	// Index is the entry's position in the central directory.
	Index int

	arc     *Archive
	dataOff int64 // start of the entry's data; -1 when the local header is unreadable
	lfhErr  error // why the local header could not be used
	lfhRead bool  // the local header was read (guarded by arc.lfhMu)
	dup     bool  // a later entry of a name seen before
}

// DataOffset returns where the entry's (compressed) data starts, or -1 when
// its local header could not be read.
func (e *Entry) DataOffset() int64 {
	if e.arc != nil {
		e.arc.localHeader(e)
	}
	return e.dataOff
}

// IsDir reports whether the entry names a directory.
func (e *Entry) IsDir() bool { return strings.HasSuffix(e.Name, "/") }

// budget is the per-artifact allowance of uncompressed bytes, shared by an
// archive and every archive nested in it.
type budget struct {
	used  atomic.Int64
	limit int64
}

func (b *budget) charge(n int64, what string) error {
	if n <= 0 {
		return nil
	}
	if u := b.used.Add(n); u > b.limit {
		b.used.Add(-n)
		return &limits.LimitError{What: "container: " + what + ": total uncompressed bytes read from the artifact", Limit: b.limit, Value: u}
	}
	return nil
}

// Archive is a zip archive opened by OpenArchive. Its methods may be called
// from several goroutines at once.
type Archive struct {
	r     io.ReaderAt
	mem   []byte // the archive's bytes when r is a Mem: headers are read in place
	size  int64
	lim   limits.Limits
	depth int
	total *budget

	entries []*Entry
	byName  map[string]*Entry
	cdStart int64 // absolute offset of the central directory
	base    int64 // added to every offset the archive declares
	prefix  int64 // bytes before the first local header
	comment string
	sigBlk  *SigningBlock

	lfhMu      sync.Mutex // guards reading local headers (Entry.lfhRead, dataOff, lfhErr)
	layoutOnce sync.Once

	mu       sync.Mutex
	warnings []string
	dropped  int
	warned   map[string]bool // per-entry warnings raised while reading, once each
}

// OpenArchive reads the central directory of the zip archive held in r, which
// is size bytes long. The caller owns r and must keep it open while the
// archive is used. Zero fields of lim take their defaults.
func OpenArchive(r io.ReaderAt, size int64, lim limits.Limits) (*Archive, error) {
	lim = lim.WithDefaults()
	a := &Archive{r: r, size: size, lim: lim, total: &budget{limit: lim.TotalSize}}
	a.setMem()
	if err := a.init(); err != nil {
		return nil, err
	}
	return a, nil
}

// Entries returns the entries in central directory order, duplicates included.
// The caller must not modify them.
func (a *Archive) Entries() []*Entry { return a.entries }

// Lookup returns the first entry called name, as Android does, or nil.
func (a *Archive) Lookup(name string) *Entry { return a.byName[name] }

// Size returns the archive's size in bytes.
func (a *Archive) Size() int64 { return a.size }

// Depth returns how deeply the archive is nested: 0 for an artifact, 1 for an
// archive inside it, and so on.
func (a *Archive) Depth() int { return a.depth }

// Limits returns the limits the archive enforces, defaults filled in.
func (a *Archive) Limits() limits.Limits { return a.lim }

// Comment returns the archive comment.
func (a *Archive) Comment() string { return a.comment }

// Prefix returns how many bytes precede the first entry (0 for a normal zip).
func (a *Archive) Prefix() int64 {
	a.CheckLayout()
	return a.prefix
}

// SigningBlock returns the APK Signing Block that precedes the central
// directory, or nil when there is none.
func (a *Archive) SigningBlock() *SigningBlock { return a.sigBlk }

// Warnings returns the anomalies found so far: those of the archive's layout,
// found by OpenArchive, and those found while reading entries (CRC
// mismatches, for example). They signal tampering or packing.
func (a *Archive) Warnings() []string {
	a.CheckLayout()
	a.mu.Lock()
	defer a.mu.Unlock()
	w := append([]string(nil), a.warnings...)
	if a.dropped > 0 {
		w = append(w, fmt.Sprintf("%d more warnings not shown", a.dropped))
	}
	return w
}

func (a *Archive) warnf(format string, args ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.warnings) >= maxWarnings {
		a.dropped++
		return
	}
	a.warnings = append(a.warnings, fmt.Sprintf(format, args...))
}

// warnOnce records a warning unless the same key was warned about before.
func (a *Archive) warnOnce(key, format string, args ...any) {
	a.mu.Lock()
	if a.warned == nil {
		a.warned = map[string]bool{}
	}
	seen := a.warned[key]
	a.warned[key] = true
	a.mu.Unlock()
	if !seen {
		a.warnf(format, args...)
	}
}

// readAt returns the n bytes at off. When the archive is in memory, the slice
// is the archive's own bytes: callers only read it and copy what they keep.
func (a *Archive) readAt(n int, off int64) ([]byte, error) {
	if off < 0 || n < 0 || int64(n) > a.size || off > a.size-int64(n) {
		return nil, &FormatError{Off: off, Msg: "read past end of archive", Val: n}
	}
	if a.mem != nil {
		return a.mem[off : off+int64(n) : off+int64(n)], nil
	}
	b := make([]byte, n)
	if _, err := a.r.ReadAt(b, off); err != nil && !(err == io.EOF) {
		return nil, fmt.Errorf("container: reading %d bytes at offset %#x: %w", n, off, err)
	}
	return b, nil
}

// directoryEnd is what the end-of-central-directory records declare.
type directoryEnd struct {
	off     int64  // where the EOCD record starts
	records uint64 // entries in the central directory
	cdSize  uint64
	cdOff   uint64
	comment string
	zip64   bool
}

// Mem is an io.ReaderAt over bytes already in memory, such as a memory-mapped
// file. An Archive opened on a Mem reads headers in place and inflates
// straight from its bytes, without copying them through buffers.
type Mem []byte

// ReadAt implements io.ReaderAt.
func (m Mem) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("container: negative offset")
	}
	if off >= int64(len(m)) {
		return 0, io.EOF
	}
	n := copy(p, m[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// setMem takes the in-memory view of a.r when it has one of a.size bytes.
func (a *Archive) setMem() {
	if m, ok := a.r.(Mem); ok && int64(len(m)) == a.size {
		a.mem = m
	}
}

func (a *Archive) init() error {
	if a.size < eocdLen {
		return &FormatError{Off: 0, Msg: "too small to be a zip archive", Val: a.size}
	}
	d, err := a.readDirectoryEnd()
	if err != nil {
		return err
	}
	a.comment = d.comment

	// The central directory must end where the EOCD (or zip64 EOCD) starts.
	if d.cdSize > uint64(a.size) || d.cdOff > uint64(a.size) {
		return &FormatError{Off: d.off, Msg: "central directory lies outside the file", Val: d.cdOff}
	}
	cdSize := int64(d.cdSize)
	cdOff := int64(d.cdOff)
	dirEnd := d.off // the zip64 end record when there is one
	if cdOff+cdSize > a.size {
		return &FormatError{Off: d.off, Msg: "central directory runs past end of file", Val: cdOff + cdSize}
	}
	if over := cdOff + cdSize - dirEnd; over > 0 {
		a.warnf("central directory runs %d bytes into its end record (Android refuses such an archive)", over)
	}
	// Android reads the directory at its declared offset. Go's archive/zip and
	// unzip also accept an archive with data prepended without adjusting the
	// offsets; do the same, with a warning.
	if d.records > 0 && cdSize >= 4 && !a.sigAt(cdOff, cdSig) {
		if alt := dirEnd - cdSize; alt > cdOff && a.sigAt(alt, cdSig) {
			a.base = alt - cdOff
			a.warnf("central directory is %d bytes after its declared offset: data was prepended without adjusting offsets (Android refuses such an archive)", a.base)
			cdOff = alt
		} else {
			return &FormatError{Off: cdOff, Msg: "no central directory at the declared offset"}
		}
	}
	a.cdStart = cdOff
	if gap := dirEnd - (cdOff + cdSize); gap > 0 {
		a.warnf("%d bytes between the central directory and its end record", gap)
	}

	cd, err := a.readAt(int(cdSize), cdOff)
	if err != nil {
		return err
	}
	if err := a.readCentralDirectory(cd, cdOff, d); err != nil {
		return err
	}
	a.readSigningBlock()
	return nil
}

// CheckLayout reads every local header and looks for what tools read
// differently: data before the first entry, overlapping entries, bytes that
// belong to no entry, headers that disagree with the central directory, JAR
// signature files that do not fit. Its findings are warnings. OpenArchive
// leaves this to the first call of CheckLayout, Warnings or Prefix, so a
// caller can run it beside other work: on a 3,841-entry APK it is one read
// per entry. It is safe to call from several goroutines, and entries can be
// read meanwhile; each local header is read once.
func (a *Archive) CheckLayout() {
	a.layoutOnce.Do(func() {
		a.checkLayout()
		a.checkV1Signatures()
	})
}

// localHeader reads e's local header once.
func (a *Archive) localHeader(e *Entry) {
	a.lfhMu.Lock()
	defer a.lfhMu.Unlock()
	if !e.lfhRead {
		e.lfhRead = true
		a.readLocalHeader(e)
	}
}

func (a *Archive) sigAt(off int64, sig uint32) bool {
	if off < 0 || off > a.size-4 {
		return false
	}
	var b [4]byte
	if _, err := a.r.ReadAt(b[:], off); err != nil {
		return false
	}
	return binary.LittleEndian.Uint32(b[:]) == sig
}

func (a *Archive) readDirectoryEnd() (directoryEnd, error) {
	var d directoryEnd
	n := int64(eocdLen + maxComment)
	if n > a.size {
		n = a.size
	}
	tail, err := a.readAt(int(n), a.size-n)
	if err != nil {
		return d, err
	}
	start := a.size - n
	// Search backwards for the EOCD signature; prefer a record whose comment
	// ends exactly at the end of the file, as archive/zip does, else the last
	// record whose comment fits.
	found, fit := -1, -1
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) != eocdSig {
			continue
		}
		cl := int(binary.LittleEndian.Uint16(tail[i+20:]))
		if i+eocdLen+cl == len(tail) {
			found = i
			break
		}
		if fit < 0 && i+eocdLen+cl <= len(tail) {
			fit = i
		}
	}
	if found < 0 {
		found = fit
		if found < 0 {
			return d, &FormatError{Off: a.size, Msg: "no end of central directory record"}
		}
		cl := int(binary.LittleEndian.Uint16(tail[found+20:]))
		a.warnf("%d bytes after the end of central directory record and its comment", len(tail)-found-eocdLen-cl)
	}
	b := tail[found:]
	d.off = start + int64(found)
	disk := binary.LittleEndian.Uint16(b[4:])
	cdDisk := binary.LittleEndian.Uint16(b[6:])
	onDisk := binary.LittleEndian.Uint16(b[8:])
	d.records = uint64(binary.LittleEndian.Uint16(b[10:]))
	d.cdSize = uint64(binary.LittleEndian.Uint32(b[12:]))
	d.cdOff = uint64(binary.LittleEndian.Uint32(b[16:]))
	cl := int(binary.LittleEndian.Uint16(b[20:]))
	d.comment = string(b[eocdLen : eocdLen+cl])
	if disk != 0 || cdDisk != 0 {
		a.warnf("end record claims a multi-disk archive (disk %d, directory on disk %d); read as one file", disk, cdDisk)
	}
	if uint64(onDisk) != d.records {
		a.warnf("end record counts %d entries on this disk but %d in total", onDisk, d.records)
	}

	// Zip64: the locator sits right before the EOCD record.
	if d.off >= eocd64LocLen {
		if loc, err := a.readAt(eocd64LocLen, d.off-eocd64LocLen); err == nil && binary.LittleEndian.Uint32(loc) == eocd64LocSig {
			off := int64(binary.LittleEndian.Uint64(loc[8:]))
			if err := a.readDirectory64End(off, &d); err != nil {
				// archive/zip and Android only need zip64 when the 32-bit fields
				// are saturated; otherwise the plain record is enough.
				if d.records == 0xffff || d.cdSize == 0xffffffff || d.cdOff == 0xffffffff {
					return d, err
				}
				a.warnf("ignored a broken zip64 end record: %v", err)
			}
		}
	}
	return d, nil
}

func (a *Archive) readDirectory64End(off int64, d *directoryEnd) error {
	if off < 0 || off > d.off-eocd64LocLen-eocd64Len {
		return &FormatError{Off: off, Msg: "zip64 end record outside the file"}
	}
	b, err := a.readAt(eocd64Len, off)
	if err != nil {
		return err
	}
	if binary.LittleEndian.Uint32(b) != eocd64Sig {
		return &FormatError{Off: off, Msg: "bad zip64 end record signature"}
	}
	d.records = binary.LittleEndian.Uint64(b[32:])
	d.cdSize = binary.LittleEndian.Uint64(b[40:])
	d.cdOff = binary.LittleEndian.Uint64(b[48:])
	d.off = off
	d.zip64 = true
	return nil
}

func (a *Archive) readCentralDirectory(cd []byte, cdOff int64, d directoryEnd) error {
	// Size the table from the bytes present, not from the declared count.
	n := d.records
	if m := uint64(len(cd) / cdLen); n > m {
		n = m
	}
	if n > uint64(a.lim.Entries) {
		n = uint64(a.lim.Entries)
	}
	a.entries = make([]*Entry, 0, n)
	a.byName = make(map[string]*Entry, n)
	// One allocation for the entries and one for their names (substrings of
	// a copy of the directory): 2 instead of 2 per entry.
	store := make([]Entry, n)
	text := string(cd)
	pos := 0
	for pos < len(cd) {
		if len(cd)-pos < cdLen || binary.LittleEndian.Uint32(cd[pos:]) != cdSig {
			if len(a.entries) == 0 {
				return &FormatError{Off: cdOff + int64(pos), Msg: "bad central directory header signature"}
			}
			a.warnf("%d bytes of the central directory after entry %d are not a directory header; ignored", len(cd)-pos, len(a.entries))
			break
		}
		if len(a.entries) >= a.lim.Entries {
			return &limits.LimitError{What: "container: entries in the archive", Limit: int64(a.lim.Entries), Value: -1}
		}
		b := cd[pos:]
		var e *Entry
		if i := len(a.entries); i < len(store) {
			e = &store[i]
		} else {
			e = new(Entry) // more records than the end record declared
		}
		*e = Entry{
			arc:              a,
			Flags:            binary.LittleEndian.Uint16(b[8:]),
			Method:           binary.LittleEndian.Uint16(b[10:]),
			CRC32:            binary.LittleEndian.Uint32(b[16:]),
			CompressedSize:   uint64(binary.LittleEndian.Uint32(b[20:])),
			UncompressedSize: uint64(binary.LittleEndian.Uint32(b[24:])),
			Index:            len(a.entries),
			dataOff:          -1,
		}
		nameLen := int(binary.LittleEndian.Uint16(b[28:]))
		extraLen := int(binary.LittleEndian.Uint16(b[30:]))
		commentLen := int(binary.LittleEndian.Uint16(b[32:]))
		off := uint64(binary.LittleEndian.Uint32(b[42:]))
		end := cdLen + nameLen + extraLen + commentLen
		if end > len(b) {
			return &FormatError{Off: cdOff + int64(pos), Msg: "central directory header runs past the directory", Val: end}
		}
		e.Name = text[pos+cdLen : pos+cdLen+nameLen]
		extra := b[cdLen+nameLen : cdLen+nameLen+extraLen]
		if err := readZip64Extra(extra, e, &off); err != nil {
			return &FormatError{Off: cdOff + int64(pos), Msg: err.Error(), Val: e.Name}
		}
		if off > uint64(a.size) {
			return &FormatError{Off: cdOff + int64(pos), Msg: "local header offset past end of file", Val: off}
		}
		e.Offset = int64(off) + a.base
		pos += end
		a.addEntry(e)
	}
	if uint64(len(a.entries)) != d.records && uint64(len(a.entries))&0xffff != d.records {
		a.warnf("end record declares %d entries but the central directory holds %d", d.records, len(a.entries))
	}
	return nil
}

// readZip64Extra fills the saturated 32-bit fields of e from a zip64 extra field.
func readZip64Extra(extra []byte, e *Entry, off *uint64) error {
	needU := e.UncompressedSize == 0xffffffff
	needC := e.CompressedSize == 0xffffffff
	needO := *off == 0xffffffff
	for len(extra) >= 4 {
		tag := binary.LittleEndian.Uint16(extra)
		sz := int(binary.LittleEndian.Uint16(extra[2:]))
		if sz > len(extra)-4 {
			break // Android ignores a malformed extra field
		}
		f := extra[4 : 4+sz]
		extra = extra[4+sz:]
		if tag != zip64Extra {
			continue
		}
		read := func(need bool, dst *uint64) error {
			if !need {
				return nil
			}
			if len(f) < 8 {
				return errors.New("zip64 extra field too short")
			}
			*dst = binary.LittleEndian.Uint64(f)
			f = f[8:]
			return nil
		}
		if err := read(needU, &e.UncompressedSize); err != nil {
			return err
		}
		if err := read(needC, &e.CompressedSize); err != nil {
			return err
		}
		if err := read(needO, off); err != nil {
			return err
		}
		return nil
	}
	return nil
}

func (a *Archive) addEntry(e *Entry) {
	a.entries = append(a.entries, e)
	if first, ok := a.byName[e.Name]; ok {
		e.dup = true
		a.warnf("duplicate entry name %q (entries %d and %d): the first is used, as by Android's PackageManager; other tools may read the second", e.Name, first.Index, e.Index)
	} else {
		a.byName[e.Name] = e
	}
	checkName(a, e)
	if e.Flags&flagEncrypted != 0 {
		a.warnf("entry %q has the encrypted flag set; Android ignores it and reads the entry as plain (anti-analysis trick)", e.Name)
	}
	switch e.Method {
	case Store:
		if e.CompressedSize != e.UncompressedSize {
			a.warnf("stored entry %q has compressed size %d but uncompressed size %d", e.Name, e.CompressedSize, e.UncompressedSize)
		}
	case Deflate:
	default:
		if e.CompressedSize == e.UncompressedSize {
			a.warnf("entry %q has unsupported compression method %d with equal sizes; read as stored, as Android does (anti-analysis trick)", e.Name, e.Method)
		} else {
			a.warnf("entry %q has unsupported compression method %d; read as deflate, as Android does", e.Name, e.Method)
		}
	}
}

func checkName(a *Archive, e *Entry) {
	n := e.Name
	switch {
	case n == "":
		a.warnf("entry %d has an empty name", e.Index)
	case strings.HasPrefix(n, "/") || strings.HasPrefix(n, `\`) || (len(n) > 1 && n[1] == ':'):
		a.warnf("entry %q has an absolute path", n)
	}
	if strings.IndexByte(n, 0) >= 0 {
		a.warnf("entry %q has a NUL byte in its name", n)
	}
	if !strings.Contains(n, "..") {
		return // the common case: no element can be ".."
	}
	for _, part := range strings.FieldsFunc(n, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			a.warnf("entry %q has a \"..\" path element (path traversal)", n)
			break
		}
	}
}

// readLocalHeader reads e's local header, sets its data offset and warns
// where it disagrees with the central directory.
func (a *Archive) readLocalHeader(e *Entry) {
	// One read for the header and, usually, its name.
	n := int64(lfhLen + len(e.Name))
	if e.Offset >= 0 && e.Offset <= a.size && a.size-e.Offset < n {
		n = a.size - e.Offset
	}
	b, err := a.readAt(int(n), e.Offset)
	if err != nil || len(b) < lfhLen {
		e.lfhErr = &FormatError{Off: e.Offset, Msg: "local header past end of file", Val: e.Name}
		return
	}
	if binary.LittleEndian.Uint32(b) != lfhSig {
		e.lfhErr = &FormatError{Off: e.Offset, Msg: "bad local header signature", Val: e.Name}
		return
	}
	flags := binary.LittleEndian.Uint16(b[6:])
	method := binary.LittleEndian.Uint16(b[8:])
	crc := binary.LittleEndian.Uint32(b[14:])
	csize := binary.LittleEndian.Uint32(b[18:])
	usize := binary.LittleEndian.Uint32(b[22:])
	nameLen := int64(binary.LittleEndian.Uint16(b[26:]))
	extraLen := int64(binary.LittleEndian.Uint16(b[28:]))
	dataOff := e.Offset + lfhLen + nameLen + extraLen
	if dataOff > a.size || uint64(a.size-dataOff) < e.CompressedSize {
		e.lfhErr = &FormatError{Off: e.Offset, Msg: "entry data runs past end of file", Val: e.Name}
		return
	}
	e.dataOff = dataOff
	name := b[lfhLen:]
	if nameLen != int64(len(name)) {
		name, _ = a.readAt(int(nameLen), e.Offset+lfhLen)
	}
	if string(name) != e.Name {
		a.warnf("local header of %q names it %q (Android uses the central directory's name)", e.Name, name)
	}
	if method != e.Method {
		a.warnf("local header of %q declares compression method %d, the central directory %d (the central directory's is used)", e.Name, method, e.Method)
	}
	if flags&flagDescriptor == 0 && e.Flags&flagDescriptor == 0 {
		mismatch := crc != e.CRC32 ||
			(csize != 0xffffffff && uint64(csize) != e.CompressedSize) ||
			(usize != 0xffffffff && uint64(usize) != e.UncompressedSize)
		if mismatch {
			a.warnf("local header of %q declares crc %#08x, sizes %d/%d; the central directory %#08x, %d/%d (the central directory's are used)",
				e.Name, crc, csize, usize, e.CRC32, e.CompressedSize, e.UncompressedSize)
		}
	}
	if (flags^e.Flags)&flagEncrypted != 0 {
		a.warnf("local header and central directory of %q disagree on the encrypted flag", e.Name)
	}
}

// checkLayout reads every local header, then looks for data before the first
// entry, overlapping entries and bytes that belong to no entry.
func (a *Archive) checkLayout() {
	for _, e := range a.entries {
		a.localHeader(e)
		if e.lfhErr != nil {
			a.warnf("entry %q is unreadable: %v", e.Name, e.lfhErr)
		}
	}
	order := make([]*Entry, 0, len(a.entries))
	for _, e := range a.entries {
		if e.dataOff >= 0 {
			order = append(order, e)
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return order[i].Offset < order[j].Offset })

	first := a.cdStart
	if a.sigBlk != nil {
		first = a.sigBlk.Offset
	}
	if len(order) > 0 {
		first = min(first, order[0].Offset)
	}
	if first > 0 {
		a.prefix = first
		head, _ := a.readAt(int(min(first, 8)), 0)
		what := ""
		switch {
		case bytes.HasPrefix(head, []byte("dex\n")):
			what = ", starts with DEX magic: Janus-style DEX+ZIP polyglot (CVE-2017-13156)"
		case bytes.HasPrefix(head, []byte("\x7fELF")):
			what = ", starts with ELF magic"
		case bytes.HasPrefix(head, []byte("MZ")):
			what = ", starts with an MZ executable header"
		case bytes.HasPrefix(head, []byte("#!")):
			what = ", starts with a shell script"
		}
		a.warnf("data before the first zip entry (%d bytes%s)", first, what)
	}

	overlaps, gaps := 0, int64(0)
	gapCount := 0
	for i, e := range order {
		end := e.dataOff + int64(e.CompressedSize)
		next := a.cdStart
		if a.sigBlk != nil {
			next = a.sigBlk.Offset
		}
		if i+1 < len(order) {
			next = order[i+1].Offset
		}
		if end > a.cdStart {
			a.warnf("data of %q runs into the central directory (Android refuses such an archive)", e.Name)
		}
		switch {
		case end > next:
			overlaps++
			if overlaps <= 3 {
				a.warnf("entry %q overlaps the next entry by %d bytes (overlapping entries: zip bomb or tampering)", e.Name, end-next)
			}
		case next > end:
			slack := int64(0)
			if e.Flags&flagDescriptor != 0 {
				slack = 24 // a data descriptor: 12 to 24 bytes
			}
			if g := next - end - slack; g > 0 && !a.allZero(end+slack, g) {
				gaps += g
				gapCount++
			}
		}
	}
	if overlaps > 3 {
		a.warnf("%d entries overlap the next entry in all", overlaps)
	}
	if gapCount > 0 {
		a.warnf("%d bytes in %d gaps between entries belong to no entry (hidden data?)", gaps, gapCount)
	}
}

// allZero reports whether the n bytes at off are zero padding (as signers
// write to align the APK Signing Block). Gaps over 16 MiB count as data.
func (a *Archive) allZero(off, n int64) bool {
	if n > 16<<20 {
		return false
	}
	buf := make([]byte, min(n, 32<<10))
	for n > 0 {
		b := buf[:min(n, int64(len(buf)))]
		if _, err := a.r.ReadAt(b, off); err != nil {
			return false
		}
		for _, c := range b {
			if c != 0 {
				return false
			}
		}
		off += int64(len(b))
		n -= int64(len(b))
	}
	return true
}
