package dex

import (
	"bytes"
	"encoding/binary"
)

// Accessors for the id tables the code walker and the static-values reader
// resolve names through. Parse has checked every table against the image,
// so reading record i < table size is in bounds; the indexes stored inside
// records are checked by the callers.

// idTables are the positions of one DEX's proto, field and method ids (the
// string, type and class tables are in dexInfo).
type idTables struct {
	protoOff, protoN   int
	fieldOff, fieldN   int
	methodOff, methodN int
}

func (f *File) idTables(k int) idTables {
	h := &f.Headers[k]
	return idTables{
		protoOff: int(h.ProtoIDs.Off), protoN: int(h.ProtoIDs.Size),
		fieldOff: int(h.FieldIDs.Off), fieldN: int(h.FieldIDs.Size),
		methodOff: int(h.MethodIDs.Off), methodN: int(h.MethodIDs.Size),
	}
}

// memberID is a method_id_item or field_id_item: the class, the proto (for a
// method) or type (for a field), and the name.
type memberID struct {
	class, protoOrType uint16
	name               uint32
}

func (f *File) member(off, i int) memberID {
	p := off + 8*i
	return memberID{
		class:       binary.LittleEndian.Uint16(f.data[p:]),
		protoOrType: binary.LittleEndian.Uint16(f.data[p+2:]),
		name:        binary.LittleEndian.Uint32(f.data[p+4:]),
	}
}

// lowerBoundMember returns the first of the n member ids at off that sorts
// at or after (class, name), the order the DEX format requires of
// method_ids and field_ids.
func (f *File) lowerBoundMember(off, n int, class uint16, name uint32) int {
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		m := f.member(off, mid)
		if m.class < class || m.class == class && m.name < name {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// lowerBoundString returns the index of the first string of d that sorts at
// or after the MUTF-8 key (the string table is sorted by UTF-16 code units).
func (f *File) lowerBoundString(d *dexInfo, key []byte) (int, error) {
	lo, hi := 0, d.strN
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		i, err := f.stringBody(d, d.strOff+stringIDSize*mid)
		if err != nil {
			return 0, err
		}
		if compareMUTF8(key, f.data[i:d.limit]) > 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// stringHasPrefix reports whether string idx of d begins with the MUTF-8
// bytes key (equal counts). idx must be in range.
func (f *File) stringHasPrefix(d *dexInfo, idx int, key []byte) (bool, error) {
	i, err := f.stringBody(d, d.strOff+stringIDSize*idx)
	if err != nil {
		return false, err
	}
	// key holds no NUL (MUTF-8 writes U+0000 as C0 80), so a match cannot
	// run past the string's terminator.
	rest := f.data[i:d.limit]
	return len(rest) >= len(key) && bytes.Equal(rest[:len(key)], key), nil
}

// findString returns the index of the string of d equal to key, or -1.
func (f *File) findString(d *dexInfo, key []byte) (int, error) {
	i, err := f.lowerBoundString(d, key)
	if err != nil || i >= d.strN {
		return -1, err
	}
	j, err := f.stringBody(d, d.strOff+stringIDSize*i)
	if err != nil {
		return -1, err
	}
	if compareMUTF8(key, f.data[j:d.limit]) != 0 {
		return -1, nil
	}
	return i, nil
}

// findType returns the type index of d whose descriptor is string sidx, or
// -1. type_ids are sorted by string index.
func (f *File) findType(d *dexInfo, sidx int) int {
	lo, hi := 0, d.typeN
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if int(binary.LittleEndian.Uint32(f.data[d.typeOff+typeIDSize*mid:])) < sidx {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < d.typeN && int(binary.LittleEndian.Uint32(f.data[d.typeOff+typeIDSize*lo:])) == sidx {
		return lo
	}
	return -1
}

// typeDescriptor returns the MUTF-8 descriptor of type tidx of d as a slice
// of the image.
func (f *File) typeDescriptor(d *dexInfo, tidx uint32, budget *int) ([]byte, error) {
	if uint64(tidx) >= uint64(d.typeN) {
		return nil, &FormatError{Off: int64(d.typeOff), Msg: "type index out of range", Val: tidx}
	}
	return f.stringData(d, binary.LittleEndian.Uint32(f.data[d.typeOff+typeIDSize*int(tidx):]), budget)
}

// appendProto appends the descriptor of proto pidx of d, "(params)return"
// in MUTF-8, to dst.
func (f *File) appendProto(dst []byte, d *dexInfo, ids *idTables, pidx int, budget *int) ([]byte, error) {
	if pidx >= ids.protoN {
		return dst, &FormatError{Off: int64(ids.protoOff), Msg: "proto index out of range", Val: pidx}
	}
	p := ids.protoOff + protoIDSize*pidx
	ret := binary.LittleEndian.Uint32(f.data[p+4:])
	params := int(binary.LittleEndian.Uint32(f.data[p+8:]))
	dst = append(dst, '(')
	if params != 0 {
		if params > d.limit-4 {
			return dst, &FormatError{Off: int64(p + 8), Msg: "parameters_off past the end of the file", Val: params}
		}
		n := int(binary.LittleEndian.Uint32(f.data[params:]))
		if !fitsTable(params+4, n, 2, d.limit) {
			return dst, &FormatError{Off: int64(params), Msg: "type_list runs past the end of the file", Val: n}
		}
		for i := range n {
			t := uint32(binary.LittleEndian.Uint16(f.data[params+4+2*i:]))
			s, err := f.typeDescriptor(d, t, budget)
			if err != nil {
				return dst, err
			}
			dst = append(dst, s...)
		}
	}
	dst = append(dst, ')')
	s, err := f.typeDescriptor(d, ret, budget)
	if err != nil {
		return dst, err
	}
	return append(dst, s...), nil
}

// fitsTable reports whether n records of size bytes starting at off end at
// or before limit. off and limit are within the image.
func fitsTable(off, n, size, limit int) bool {
	return off >= 0 && off <= limit && n >= 0 && uint64(n)*uint64(size) <= uint64(limit-off)
}

// Map item types the walker reads (DEX format, "Type codes").
const (
	typeCallSiteIDItem      = 0x0007
	typeMethodHandleItem    = 0x0008
	callSiteIDSize          = 4
	methodHandleItemSize    = 8
	mapItemSize             = 12
	methodHandleInstanceGet = 0x03
	methodHandleStaticGet   = 0x01
	methodHandleFirstInvoke = 0x04 // 0x04-0x08 invoke a method
	methodHandleLastInvoke  = 0x08
)

// mapSection returns the offset and record count of the section of type typ
// listed in d's map_list, or (0, 0) when the map lists none. The section is
// checked to fit the image.
func (f *File) mapSection(k int, typ uint16, size int) (off, n int, err error) {
	d := &f.dexes[k]
	mapOff := int(f.Headers[k].MapOff)
	if mapOff == 0 {
		return 0, 0, nil
	}
	if mapOff > d.limit-4 {
		return 0, 0, &FormatError{Off: int64(mapOff), Msg: "map_list runs past the end of the file", Val: mapOff}
	}
	items := int(binary.LittleEndian.Uint32(f.data[mapOff:]))
	if !fitsTable(mapOff+4, items, mapItemSize, d.limit) {
		return 0, 0, &FormatError{Off: int64(mapOff), Msg: "map_list runs past the end of the file", Val: items}
	}
	for i := range items {
		p := mapOff + 4 + mapItemSize*i
		if binary.LittleEndian.Uint16(f.data[p:]) != typ {
			continue
		}
		n := int(binary.LittleEndian.Uint32(f.data[p+4:]))
		off := int(binary.LittleEndian.Uint32(f.data[p+8:]))
		if !fitsTable(off, n, size, d.limit) {
			return 0, 0, &FormatError{Off: int64(p), Msg: "map_list section runs past the end of the file", Val: typ}
		}
		return off, n, nil
	}
	return 0, 0, nil
}
