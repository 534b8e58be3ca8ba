package dex

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// Layout constants from the DEX format.
const (
	headerSize    = 0x70 // header_item, DEX 035–040
	headerSizeV41 = 0x78 // header_item with container_size and header_offset, DEX 041+

	stringIDSize = 4  // string_id_item
	typeIDSize   = 4  // type_id_item
	protoIDSize  = 12 // proto_id_item
	fieldIDSize  = 8  // field_id_item
	methodIDSize = 8  // method_id_item
	classDefSize = 32 // class_def_item

	endianConstant        = 0x12345678
	reverseEndianConstant = 0x78563412

	// containerVersion is the first DEX version whose header has
	// container_size and header_offset (Android 15).
	containerVersion = 41
	minVersion       = 35
	maxVersion       = 41

	// maxImage is the largest image accepted: every DEX offset and size is a
	// uint32, so nothing past 4 GiB can be addressed.
	maxImage = 1<<32 - 1
)

// ErrFormat is matched (errors.Is) by every *FormatError.
var ErrFormat = errors.New("dex: not a valid DEX file")

// A FormatError reports malformed input at byte offset Off of the image.
// Val, when not nil, is the offending value.
type FormatError struct {
	Off int64
	Msg string
	Val any
}

// Error renders the error as "dex: MSG (VAL) at offset 0xOFF".
func (e *FormatError) Error() string {
	msg := "dex: " + e.Msg
	if e.Val != nil {
		msg += fmt.Sprintf(" (%v)", e.Val)
	}
	return msg + fmt.Sprintf(" at offset %#x", e.Off)
}

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Section is one table the header declares: Size records starting at byte
// Off. Offsets are relative to the start of the image (for DEX 041, the
// start of the container).
type Section struct {
	Size uint32
	Off  uint32
}

// Header is one DEX header_item. A DEX 035–040 image has exactly one; a DEX
// 041 container has one per DEX it holds.
type Header struct {
	// Offset is where this header starts in the image (header_offset for DEX 041, else 0).
	Offset int64
	// Version is the three-digit version from the magic: "035" … "041".
	Version   string
	Checksum  uint32   // declared Adler-32 of the DEX after this field
	Signature [20]byte // declared SHA-1 of the DEX after this field
	// FileSize is the size of this DEX; for DEX 041 the distance from this
	// header to the next header or to the end of the container.
	FileSize   uint32
	HeaderSize uint32
	EndianTag  uint32
	LinkSize   uint32
	LinkOff    uint32
	MapOff     uint32
	StringIDs  Section
	TypeIDs    Section
	ProtoIDs   Section
	FieldIDs   Section
	MethodIDs  Section
	ClassDefs  Section
	DataSize   uint32
	DataOff    uint32
	// ContainerSize is the size of the whole container (DEX 041+), else equal to FileSize.
	ContainerSize uint32
}

// dexInfo caches, for one header, the table positions the accessors use.
// Every field has been bounds-checked against limit, and limit <= len(data).
type dexInfo struct {
	hdr      int // offset of the header
	size     int // file_size
	limit    int // end of the region offsets may point into
	strOff   int
	strN     int
	typeOff  int
	typeN    int
	classOff int
	classN   int
}

// File is a parsed DEX image: one DEX, or for DEX 041 a container of
// several. A File is safe for concurrent use by several goroutines.
//
// A File made by Parse reads the caller's slice in place and keeps no copy:
// the slice must stay unmodified until the File is no longer used. A caller
// that inflates zip entries into a reused buffer must finish with the File
// (and with every []byte an accessor handed out) before refilling the
// buffer. Strings returned by EachClass, ClassDescriptors and FindStrings are
// copies and stay valid after that.
type File struct {
	// Headers has one entry per DEX in the image, in file order.
	Headers []Header
	// Warnings lists oddities that did not stop the parse (trailing bytes
	// after the declared size, for example).
	Warnings []string

	data     []byte
	dexes    []dexInfo
	maxFiles int // bound on the DEX files of a 041 container
}

// Parse parses the DEX image held in data. It checks the headers and the
// bounds of every table but decodes no string; that is left to the
// accessors. The File reads data in place (see File for the lifetime rule).
func Parse(data []byte) (*File, error) { return ParseMax(data, 0) }

// ParseMax is Parse with the DEX files of a 041 container bounded by
// maxFiles (0: limits.Default().DexFiles) while the headers are walked.
// Past the bound it stops and returns the File of the first maxFiles DEX
// files together with a *limits.LimitError: the caller analyses what was
// read and reports the rest unanalysed.
func ParseMax(data []byte, maxFiles int) (*File, error) {
	if int64(len(data)) > maxImage {
		return nil, &FormatError{Off: 0, Msg: "image larger than 4 GiB", Val: len(data)}
	}
	if maxFiles <= 0 {
		maxFiles = limits.Default().DexFiles
	}
	f := &File{data: data, maxFiles: maxFiles}
	if err := f.parseHeaders(); err != nil {
		var le *limits.LimitError
		if errors.As(err, &le) {
			return f, err
		}
		return nil, err
	}
	return f, nil
}

// NewFile reads the DEX image held in r, which is size bytes long, into
// memory and parses it. The caller owns r and closes it; the File keeps no
// reference to it, and Close on the result only drops the in-memory copy.
func NewFile(r io.ReaderAt, size int64) (*File, error) {
	if size < 0 || size > maxImage {
		return nil, &FormatError{Off: 0, Msg: "image size out of range", Val: size}
	}
	data, err := readAllAt(r, size)
	if err != nil {
		return nil, err
	}
	return Parse(data)
}

// Open reads and parses the named DEX file. The file is closed before Open
// returns, whether or not parsing succeeds; Close on the result only drops
// the File's reference to the image.
func Open(name string) (*File, error) {
	fh, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	f, err := NewFile(fh, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return f, nil
}

// Close releases the File's reference to its image so that it can be
// garbage-collected. It never fails. The File must not be used afterwards.
func (f *File) Close() error {
	f.data, f.dexes = nil, nil
	return nil
}

// readAllAt reads size bytes from r in chunks, so that a reader that
// delivers fewer bytes than claimed makes the read fail before the whole
// claimed size is allocated.
func readAllAt(r io.ReaderAt, size int64) ([]byte, error) {
	const chunk = 16 << 20
	if size <= chunk {
		buf := make([]byte, size)
		n, err := r.ReadAt(buf, 0)
		if int64(n) == size {
			return buf, nil
		}
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	var buf []byte
	for off := int64(0); off < size; {
		n := min(chunk, size-off)
		buf = append(buf, make([]byte, n)...)
		m, err := r.ReadAt(buf[off:off+n], off)
		if int64(m) != n {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		off += n
	}
	return buf, nil
}

func le32(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }

// parseVersion checks the 8-byte magic "dex\n0NN\0" at off and returns NN.
func parseVersion(data []byte, off int) (int, error) {
	m := data[off : off+8]
	if !bytes.Equal(m[:4], []byte("dex\n")) || m[7] != 0 {
		return 0, &FormatError{Off: int64(off), Msg: "bad magic", Val: fmt.Sprintf("%q", m)}
	}
	v := 0
	for _, c := range m[4:7] {
		if c < '0' || c > '9' {
			return 0, &FormatError{Off: int64(off + 4), Msg: "bad version in magic", Val: fmt.Sprintf("%q", m[4:7])}
		}
		v = v*10 + int(c-'0')
	}
	if v < minVersion || v > maxVersion {
		return 0, &FormatError{Off: int64(off + 4), Msg: "unsupported DEX version", Val: string(m[4:7])}
	}
	return v, nil
}

// parseHeaders reads the first header and, for a DEX 041 container, every
// header after it.
func (f *File) parseHeaders() error {
	data := f.data
	if len(data) < headerSize {
		return &FormatError{Off: 0, Msg: "file shorter than a DEX header", Val: len(data)}
	}
	v, err := parseVersion(data, 0)
	if err != nil {
		return err
	}
	if v < containerVersion {
		h, d, err := f.parseHeader(0, v, len(data))
		if err != nil {
			return err
		}
		if int(h.FileSize) < len(data) {
			f.Warnings = append(f.Warnings, fmt.Sprintf("dex: %d bytes after the declared file_size %d", len(data)-int(h.FileSize), h.FileSize))
		}
		f.Headers, f.dexes = []Header{h}, []dexInfo{d}
		return nil
	}

	// DEX 041: a container of DEX files laid end to end.
	if len(data) < headerSizeV41 {
		return &FormatError{Off: 0, Msg: "file shorter than a DEX 041 header", Val: len(data)}
	}
	csize := int64(le32(data, 0x70))
	if csize > int64(len(data)) {
		return &FormatError{Off: 0x70, Msg: "container_size larger than the file (truncated?)", Val: csize}
	}
	if csize < int64(len(data)) {
		f.Warnings = append(f.Warnings, fmt.Sprintf("dex: %d bytes after the declared container_size %d", int64(len(data))-csize, csize))
	}
	limit := int(csize)
	var classBytes uint64
	for pos := 0; pos < limit; {
		if limit-pos < headerSizeV41 {
			return &FormatError{Off: int64(pos), Msg: "truncated DEX header in container", Val: limit - pos}
		}
		if len(f.Headers) >= f.maxFiles {
			return &limits.LimitError{What: "dex: DEX files in the 041 container (the rest is not read)", Limit: int64(f.maxFiles), Value: -1}
		}
		hv, err := parseVersion(data, pos)
		if err != nil {
			return err
		}
		if hv < containerVersion {
			return &FormatError{Off: int64(pos + 4), Msg: "DEX version in container below 041", Val: hv}
		}
		h, d, err := f.parseHeader(pos, hv, limit)
		if err != nil {
			return err
		}
		if int64(h.ContainerSize) != csize {
			return &FormatError{Off: int64(pos + 0x70), Msg: "container_size differs from the first header's", Val: h.ContainerSize}
		}
		// Each DEX of a container defines its own classes, so the class_defs
		// tables cannot overlap: their sum bounds NumClasses by the size,
		// which bounds ClassDescriptors' allocation and EachClass's work.
		classBytes += uint64(h.ClassDefs.Size) * classDefSize
		if classBytes > uint64(limit) {
			return &FormatError{Off: int64(pos + 0x60), Msg: "class_defs of the container's DEX files add up to more than the container", Val: h.ClassDefs.Size}
		}
		f.Headers = append(f.Headers, h)
		f.dexes = append(f.dexes, d)
		pos += int(h.FileSize) // FileSize >= headerSizeV41 > 0, so the loop advances
	}
	if len(f.Headers) == 0 {
		return &FormatError{Off: 0x70, Msg: "empty DEX container", Val: csize}
	}
	return nil
}

// parseHeader decodes and checks the header at pos. limit is the end of the
// region this DEX may point into: the file for DEX 035–040, the container
// for DEX 041.
func (f *File) parseHeader(pos, version, limit int) (Header, dexInfo, error) {
	data := f.data
	h := Header{
		Offset:     int64(pos),
		Version:    string(data[pos+4 : pos+7]),
		Checksum:   le32(data, pos+0x08),
		FileSize:   le32(data, pos+0x20),
		HeaderSize: le32(data, pos+0x24),
		EndianTag:  le32(data, pos+0x28),
		LinkSize:   le32(data, pos+0x2c),
		LinkOff:    le32(data, pos+0x30),
		MapOff:     le32(data, pos+0x34),
		StringIDs:  Section{le32(data, pos+0x38), le32(data, pos+0x3c)},
		TypeIDs:    Section{le32(data, pos+0x40), le32(data, pos+0x44)},
		ProtoIDs:   Section{le32(data, pos+0x48), le32(data, pos+0x4c)},
		FieldIDs:   Section{le32(data, pos+0x50), le32(data, pos+0x54)},
		MethodIDs:  Section{le32(data, pos+0x58), le32(data, pos+0x5c)},
		ClassDefs:  Section{le32(data, pos+0x60), le32(data, pos+0x64)},
		DataSize:   le32(data, pos+0x68),
		DataOff:    le32(data, pos+0x6c),
	}
	copy(h.Signature[:], data[pos+0x0c:pos+0x20])
	at := func(field int) int64 { return int64(pos + field) }

	switch h.EndianTag {
	case endianConstant:
	case reverseEndianConstant:
		return h, dexInfo{}, &FormatError{Off: at(0x28), Msg: "big-endian DEX is not supported", Val: fmt.Sprintf("%#x", h.EndianTag)}
	default:
		return h, dexInfo{}, &FormatError{Off: at(0x28), Msg: "bad endian_tag", Val: fmt.Sprintf("%#x", h.EndianTag)}
	}

	minHeader := uint32(headerSize)
	if version >= containerVersion {
		minHeader = headerSizeV41
		h.ContainerSize = le32(data, pos+0x70)
		if off := le32(data, pos+0x74); int64(off) != h.Offset {
			return h, dexInfo{}, &FormatError{Off: at(0x74), Msg: "header_offset does not match the header's position", Val: off}
		}
	} else {
		h.ContainerSize = h.FileSize
	}
	if h.HeaderSize < minHeader {
		return h, dexInfo{}, &FormatError{Off: at(0x24), Msg: "header_size too small", Val: h.HeaderSize}
	}
	if h.FileSize < h.HeaderSize {
		return h, dexInfo{}, &FormatError{Off: at(0x20), Msg: "file_size smaller than header_size", Val: h.FileSize}
	}
	if int64(pos)+int64(h.FileSize) > int64(limit) {
		msg := "file_size larger than the file (truncated?)"
		if version >= containerVersion {
			msg = "file_size runs past the end of the container"
		}
		return h, dexInfo{}, &FormatError{Off: at(0x20), Msg: msg, Val: h.FileSize}
	}
	if version < containerVersion {
		limit = int(h.FileSize) // offsets may only point inside the declared DEX
	}

	tables := []struct {
		name  string
		field int
		s     Section
		size  uint64
	}{
		{"string_ids", 0x38, h.StringIDs, stringIDSize},
		{"type_ids", 0x40, h.TypeIDs, typeIDSize},
		{"proto_ids", 0x48, h.ProtoIDs, protoIDSize},
		{"field_ids", 0x50, h.FieldIDs, fieldIDSize},
		{"method_ids", 0x58, h.MethodIDs, methodIDSize},
		{"class_defs", 0x60, h.ClassDefs, classDefSize},
	}
	for _, t := range tables {
		if t.s.Size == 0 {
			continue
		}
		if !limits.CheckTable(int64(t.s.Off), uint64(t.s.Size), t.size, int64(limit)) {
			return h, dexInfo{}, &FormatError{Off: at(t.field), Msg: t.name + " table runs past the end of the file", Val: fmt.Sprintf("%d records at %#x", t.s.Size, t.s.Off)}
		}
	}
	if h.MapOff != 0 && int64(h.MapOff) >= int64(limit) {
		return h, dexInfo{}, &FormatError{Off: at(0x34), Msg: "map_off past the end of the file", Val: h.MapOff}
	}

	d := dexInfo{
		hdr:      pos,
		size:     int(h.FileSize),
		limit:    limit,
		strOff:   int(h.StringIDs.Off),
		strN:     int(h.StringIDs.Size),
		typeOff:  int(h.TypeIDs.Off),
		typeN:    int(h.TypeIDs.Size),
		classOff: int(h.ClassDefs.Off),
		classN:   int(h.ClassDefs.Size),
	}
	return h, d, nil
}

// Version returns the DEX version of the first (usually only) DEX in the
// image: "035", "037", "038", "039", "040" or "041".
func (f *File) Version() string {
	if len(f.Headers) == 0 {
		return ""
	}
	return f.Headers[0].Version
}

// NumClasses returns the number of class definitions over every DEX in the
// image (the sum of class_defs_size, as dexdump reports it).
func (f *File) NumClasses() int {
	n := 0
	for i := range f.dexes {
		n += f.dexes[i].classN
	}
	return n
}

// ChecksumOK computes the Adler-32 checksum of every DEX in the image and
// reports whether each matches its header. It reads the whole image on each
// call. A mismatch is not a parse error: the tables were already checked
// against the real size, so a caller may warn and keep using the File.
func (f *File) ChecksumOK() bool {
	for _, d := range f.dexes {
		if checksum(f.data[d.hdr+12:d.hdr+d.size]) != le32(f.data, d.hdr+8) {
			return false
		}
	}
	return true
}

// SignatureOK computes the SHA-1 signature of every DEX in the image and
// reports whether each matches its header. Like ChecksumOK it reads the
// whole image on each call, and a mismatch is not a parse error.
func (f *File) SignatureOK() bool {
	for i, d := range f.dexes {
		sum := sha1.Sum(f.data[d.hdr+32 : d.hdr+d.size])
		if sum != f.Headers[i].Signature {
			return false
		}
	}
	return true
}
