package manifest

import (
	"encoding/binary"
	"sort"
)

// Resources is a resource table opened for lookups: an APK's resources.arsc
// (LoadResources) or an App Bundle module's resources.pb (LoadProtoResources).
// LoadResources only walks the chunk headers; entries and strings are decoded
// on demand, so opening a 32 MB framework table is cheap. A Resources is not
// safe for concurrent use (it caches decoded strings).
type Resources struct {
	strings *stringPool
	pkgs    map[uint32]*resPackage
	pb      map[uint32]pbValue // the values of a resources.pb, by resource ID
}

type resPackage struct {
	id    uint32
	types map[uint8][]typeChunk
}

// typeChunk is one ResTable_type: the entries of one type in one configuration.
type typeChunk struct {
	b            []byte // the whole chunk
	hdr          int
	flags        uint8
	count        int
	entriesStart int
	config       []byte // ResTable_config, size field included
}

const (
	typeFlagSparse   = 0x01
	typeFlagOffset16 = 0x02
	entryFlagComplex = 0x0001
	entryFlagCompact = 0x0008
)

// LoadResources opens the resources.arsc held in data. data is retained and
// must not be modified afterwards. Malformed tables yield an error matching
// ErrFormat, never a panic.
func LoadResources(data []byte) (*Resources, error) {
	top, err := readChunk(data, 0)
	if err != nil {
		return nil, err
	}
	if top.typ != chunkTable || top.hdr < 12 {
		return nil, formatErr(0, "not a resource table", top.typ)
	}
	data = data[:top.size]
	r := &Resources{pkgs: map[uint32]*resPackage{}}
	for off := top.hdr; off < len(data); {
		c, err := readChunk(data, off)
		if err != nil {
			return nil, err
		}
		off += c.size
		switch c.typ {
		case chunkStringPool:
			if r.strings == nil {
				if r.strings, err = parseStringPool(data, c); err != nil {
					return nil, err
				}
			}
		case chunkTablePackage:
			if err := r.loadPackage(data, c); err != nil {
				return nil, err
			}
		}
	}
	if r.strings == nil {
		return nil, formatErr(top.hdr, "resource table without a string pool", nil)
	}
	return r, nil
}

func (r *Resources) loadPackage(data []byte, c chunk) error {
	if c.hdr < 12 {
		return formatErr(c.off, "package header too short", c.hdr)
	}
	id := binary.LittleEndian.Uint32(data[c.off+8:])
	p := r.pkgs[id]
	if p == nil {
		p = &resPackage{id: id, types: map[uint8][]typeChunk{}}
		r.pkgs[id] = p
	}
	end := c.off + c.size
	for off := c.off + c.hdr; off < end; {
		tc, err := readChunk(data[:end], off)
		if err != nil {
			return err
		}
		off += tc.size
		if tc.typ != chunkTableType {
			continue
		}
		t, err := parseTypeChunk(data, tc)
		if err != nil {
			return err
		}
		tid := data[tc.off+8]
		p.types[tid] = append(p.types[tid], t)
	}
	return nil
}

func parseTypeChunk(data []byte, c chunk) (typeChunk, error) {
	b := data[c.off : c.off+c.size]
	if c.hdr < 24 {
		return typeChunk{}, formatErr(c.off, "type chunk header too short", c.hdr)
	}
	le := binary.LittleEndian
	t := typeChunk{b: b, hdr: c.hdr, flags: b[9]}
	count := uint64(le.Uint32(b[12:]))
	start := uint64(le.Uint32(b[16:]))
	csize := uint64(le.Uint32(b[20:]))
	if csize < 4 || csize > uint64(c.hdr-20) {
		csize = uint64(c.hdr - 20)
	}
	t.config = b[20 : 20+csize]
	w := uint64(4)
	if t.flags&typeFlagOffset16 != 0 && t.flags&typeFlagSparse == 0 {
		w = 2
	}
	avail := uint64(len(b) - c.hdr)
	if count > avail/w || start > uint64(len(b)) {
		return typeChunk{}, formatErr(c.off, "type chunk entries run past its end", count)
	}
	t.count, t.entriesStart = int(count), int(start)
	return t, nil
}

// entry returns the offset of entry e inside t's entry data.
func (t *typeChunk) entry(e uint32) (int, bool) {
	le := binary.LittleEndian
	idx := t.b[t.hdr:]
	switch {
	case t.flags&typeFlagSparse != 0:
		// count pairs {u16 index, u16 offset/4}, sorted by index.
		i := sort.Search(t.count, func(i int) bool { return uint32(le.Uint16(idx[i*4:])) >= e })
		if i < t.count && uint32(le.Uint16(idx[i*4:])) == e {
			return int(le.Uint16(idx[i*4+2:])) * 4, true
		}
		return 0, false
	case uint64(e) >= uint64(t.count):
		return 0, false
	case t.flags&typeFlagOffset16 != 0:
		o := le.Uint16(idx[e*2:])
		if o == 0xffff {
			return 0, false
		}
		return int(o) * 4, true
	default:
		o := le.Uint32(idx[e*4:])
		if o == noIndex {
			return 0, false
		}
		return int(o), true
	}
}

// value reads the simple value of entry off in t.
func (t *typeChunk) value(off int) (uint8, uint32, bool) {
	le := binary.LittleEndian
	p := uint64(t.entriesStart) + uint64(off)
	if p+8 > uint64(len(t.b)) {
		return 0, 0, false
	}
	e := t.b[p:]
	size, flags := le.Uint16(e), le.Uint16(e[2:])
	if flags&entryFlagCompact != 0 {
		return uint8(flags >> 8), le.Uint32(e[4:]), true
	}
	if flags&entryFlagComplex != 0 {
		return 0, 0, false
	}
	v := p + uint64(size)
	if size < 8 || v+8 > uint64(len(t.b)) {
		return 0, 0, false
	}
	return t.b[v+3], le.Uint32(t.b[v+4:]), true
}

// configRank orders configurations for a lookup with no device settings:
// the default configuration first, then the one with the fewest qualifiers,
// configurations naming a locale or a mobile network last.
func configRank(c []byte) int {
	rank := 0
	for i := 4; i < len(c); i++ {
		if c[i] != 0 {
			rank++
		}
	}
	if len(c) >= 12 {
		for _, x := range c[4:12] { // mcc, mnc, language, country
			if x != 0 {
				rank += 1000
				break
			}
		}
	}
	return rank
}

// value looks id up in the default configuration and returns its data type,
// data and, for strings, the string.
func (r *Resources) value(id uint32) (typ uint8, data uint32, s string, ok bool) {
	if r == nil {
		return 0, 0, "", false
	}
	if r.pb != nil {
		return r.pbLookup(id)
	}
	p := r.pkgs[id>>24]
	if p == nil && len(r.pkgs) == 1 && (id>>24 == 0x7f || id>>24 == 0) {
		// A shared library (package 0) or a dynamic reference to it.
		for _, only := range r.pkgs {
			if only.id == 0 || only.id == 0x7f {
				p = only
			}
		}
	}
	if p == nil {
		return 0, 0, "", false
	}
	tid := uint8(id >> 16)
	e := id & 0xffff
	best, bestRank := -1, 0
	var bestTyp uint8
	var bestData uint32
	for i := range p.types[tid] {
		t := &p.types[tid][i]
		off, found := t.entry(e)
		if !found {
			continue
		}
		vt, vd, good := t.value(off)
		if !good {
			continue
		}
		if rk := configRank(t.config); best < 0 || rk < bestRank {
			best, bestRank, bestTyp, bestData = i, rk, vt, vd
		}
	}
	if best < 0 {
		return 0, 0, "", false
	}
	if bestTyp == typeString {
		s, ok = r.strings.get(bestData)
		if !ok {
			return 0, 0, "", false
		}
	}
	return bestTyp, bestData, s, true
}

// String returns the string resource id in the default configuration,
// following references. It reports false when id does not resolve to a
// string.
func (r *Resources) String(id uint32) (string, bool) {
	for range 8 {
		typ, data, s, ok := r.value(id)
		switch {
		case !ok:
			return "", false
		case typ == typeString:
			return s, true
		case typ == typeReference || typ == typeDynamicReference:
			id = data
		default:
			return "", false
		}
	}
	return "", false
}
