package manifest

import (
	"encoding/binary"
	"unicode/utf16"
	"unicode/utf8"
)

// Chunk types of the Android binary resource formats (ResourceTypes.h).
const (
	chunkNull          = 0x0000
	chunkStringPool    = 0x0001
	chunkTable         = 0x0002
	chunkXML           = 0x0003
	chunkXMLStartNS    = 0x0100
	chunkXMLEndNS      = 0x0101
	chunkXMLStartElem  = 0x0102
	chunkXMLEndElem    = 0x0103
	chunkXMLCData      = 0x0104
	chunkXMLResMap     = 0x0180
	chunkTablePackage  = 0x0200
	chunkTableType     = 0x0201
	chunkTableTypeSpec = 0x0202
	chunkTableLibrary  = 0x0203
)

const (
	poolFlagUTF8 = 1 << 8
	noIndex      = 0xffffffff
)

// chunk is one validated ResChunk_header view: data[off:off+size] is the
// whole chunk and hdr is its header size. Both fit inside data.
type chunk struct {
	off  int
	typ  uint16
	hdr  int
	size int
}

// readChunk validates the chunk header at off against data and returns it.
func readChunk(data []byte, off int) (chunk, error) {
	if off < 0 || len(data)-off < 8 {
		return chunk{}, formatErr(off, "truncated chunk header", nil)
	}
	typ := binary.LittleEndian.Uint16(data[off:])
	hdr := int(binary.LittleEndian.Uint16(data[off+2:]))
	size := uint64(binary.LittleEndian.Uint32(data[off+4:]))
	if hdr < 8 || uint64(hdr) > size {
		return chunk{}, formatErr(off, "bad chunk header size", hdr)
	}
	if size > uint64(len(data)-off) {
		return chunk{}, formatErr(off, "chunk runs past end of data", size)
	}
	return chunk{off: off, typ: typ, hdr: hdr, size: int(size)}, nil
}

// stringPool is a lazily decoded ResStringPool. Only the header and the
// offset table are checked up front; strings are decoded on demand and
// cached, so a 32 MB resources.arsc costs nothing until a string is asked for.
type stringPool struct {
	data    []byte // the whole chunk
	count   int
	utf8    bool
	offsets []byte // count*4 bytes
	strings []byte // from stringsStart to the end of the chunk (or stylesStart)
	cache   map[uint32]string
}

// parseStringPool validates the string pool chunk c in data. Counts and
// offsets are checked against the chunk's real size before anything is sized
// from them.
func parseStringPool(data []byte, c chunk) (*stringPool, error) {
	if c.hdr < 28 {
		return nil, formatErr(c.off, "string pool header too short", c.hdr)
	}
	b := data[c.off : c.off+c.size]
	count := uint64(binary.LittleEndian.Uint32(b[8:]))
	styles := uint64(binary.LittleEndian.Uint32(b[12:]))
	flags := binary.LittleEndian.Uint32(b[16:])
	strStart := uint64(binary.LittleEndian.Uint32(b[20:]))
	styleStart := uint64(binary.LittleEndian.Uint32(b[24:]))
	avail := uint64(len(b) - c.hdr)
	if count > avail/4 || styles > avail/4 || (count+styles)*4 > avail {
		return nil, formatErr(c.off, "string pool count larger than its chunk", count)
	}
	p := &stringPool{data: b, count: int(count), utf8: flags&poolFlagUTF8 != 0}
	p.offsets = b[c.hdr : c.hdr+int(count)*4]
	if count > 0 {
		if strStart < uint64(c.hdr)+(count+styles)*4 || strStart > uint64(len(b)) {
			return nil, formatErr(c.off, "string data offset outside its chunk", strStart)
		}
		end := uint64(len(b))
		if styles > 0 && styleStart > strStart && styleStart <= end {
			end = styleStart
		}
		p.strings = b[strStart:end]
	}
	return p, nil
}

// get returns string i, or false when i is out of range or the string's
// bytes are malformed.
func (p *stringPool) get(i uint32) (string, bool) {
	if p == nil || uint64(i) >= uint64(p.count) {
		return "", false
	}
	if s, ok := p.cache[i]; ok {
		return s, true
	}
	off := uint64(binary.LittleEndian.Uint32(p.offsets[i*4:]))
	if off >= uint64(len(p.strings)) {
		return "", false
	}
	var s string
	var ok bool
	if p.utf8 {
		s, ok = decodeUTF8(p.strings[off:])
	} else {
		s, ok = decodeUTF16(p.strings[off:])
	}
	if !ok {
		return "", false
	}
	if p.cache == nil {
		p.cache = make(map[uint32]string)
	}
	p.cache[i] = s
	return s, true
}

func decodeUTF8(b []byte) (string, bool) {
	// The UTF-16 length comes first, then the UTF-8 byte length; each is one
	// byte, or two when the high bit of the first is set.
	_, n, ok := len8(b)
	if !ok {
		return "", false
	}
	b = b[n:]
	blen, n, ok := len8(b)
	if !ok {
		return "", false
	}
	b = b[n:]
	if blen > len(b) {
		return "", false
	}
	s := b[:blen]
	if utf8.Valid(s) {
		return string(s), true
	}
	// Android tolerates modified UTF-8 (CESU-8 surrogates); replace what Go
	// cannot read rather than failing the whole string.
	return string([]rune(string(s))), true
}

func len8(b []byte) (int, int, bool) {
	if len(b) < 1 {
		return 0, 0, false
	}
	if b[0]&0x80 == 0 {
		return int(b[0]), 1, true
	}
	if len(b) < 2 {
		return 0, 0, false
	}
	return int(b[0]&0x7f)<<8 | int(b[1]), 2, true
}

func decodeUTF16(b []byte) (string, bool) {
	if len(b) < 2 {
		return "", false
	}
	n := int(binary.LittleEndian.Uint16(b))
	b = b[2:]
	if n&0x8000 != 0 {
		if len(b) < 2 {
			return "", false
		}
		n = (n&0x7fff)<<16 | int(binary.LittleEndian.Uint16(b))
		b = b[2:]
	}
	if n > len(b)/2 {
		return "", false
	}
	u := make([]uint16, n)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u)), true
}
