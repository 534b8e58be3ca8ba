package dex

import (
	"bytes"
	"encoding/binary"
	"errors"
)

// errStop ends a walk early without reporting an error to the caller.
var errStop = errors.New("dex: stop")

// scanBudget bounds how many string bytes one walk over the image may
// scan. In a well-formed DEX every string is stored once, so a walk scans
// each byte of string data at most once and never comes near the budget; it
// only matters for a hostile DEX whose ids all point at the same long
// string, which would otherwise cost O(records × file size). Each string
// scanned costs at least one byte (its NUL), so the budget also bounds the
// number of records a walk visits. records must itself be bounded by the
// image size.
func (f *File) scanBudget(records int) int {
	return 2*len(f.data) + 64*records + 4096
}

// stringData returns the MUTF-8 bytes of string idx of d, without the
// terminating NUL, as a slice of the image. budget is decremented by the
// bytes scanned.
func (f *File) stringData(d *dexInfo, idx uint32, budget *int) ([]byte, error) {
	if uint64(idx) >= uint64(d.strN) {
		return nil, &FormatError{Off: int64(d.strOff), Msg: "string index out of range", Val: idx}
	}
	p := d.strOff + stringIDSize*int(idx)
	i, err := f.stringBody(d, p)
	if err != nil {
		return nil, err
	}
	rest := f.data[i:d.limit]
	exhausted := false
	if len(rest) > *budget {
		rest, exhausted = rest[:*budget], true
	}
	n := bytes.IndexByte(rest, 0)
	if n < 0 {
		if exhausted {
			return nil, &FormatError{Off: int64(i), Msg: "string data referenced too often (scan budget exhausted)", Val: idx}
		}
		return nil, &FormatError{Off: int64(i), Msg: "unterminated string data", Val: idx}
	}
	*budget -= n + 1
	return rest[:n:n], nil
}

// stringBody reads the string_id_item at p and returns where the string's
// MUTF-8 bytes begin, after the uleb128 utf16_size.
func (f *File) stringBody(d *dexInfo, p int) (int, error) {
	off := binary.LittleEndian.Uint32(f.data[p:])
	if uint64(off) >= uint64(d.limit) {
		return 0, &FormatError{Off: int64(p), Msg: "string_data_off past the end of the file", Val: off}
	}
	i := int(off)
	for n := 0; ; n++ {
		if i >= d.limit {
			return 0, &FormatError{Off: int64(off), Msg: "truncated string_data_item", Val: off}
		}
		c := f.data[i]
		i++
		if c < 0x80 {
			break
		}
		if n == 4 {
			return 0, &FormatError{Off: int64(off), Msg: "bad uleb128 string length", Val: off}
		}
	}
	return i, nil
}

// EachClassBytes calls fn with the descriptor of every class definition of
// every DEX in the image ("Lcom/a/B;"), in file order, and stops at the
// first error fn returns, which it returns. The descriptor is UTF-8 and,
// for the common all-ASCII descriptor, a slice of the image itself: it is
// valid only until fn returns and must not be modified. Copy it (or look it
// up with m[string(desc)], which does not allocate) to keep it. No
// allocation is made per class.
//
// A class_def that names a type or string outside its table, or a string
// that runs off the end of the file, stops the walk with a *FormatError;
// classes before it have already been passed to fn.
func (f *File) EachClassBytes(fn func(desc []byte) error) error {
	var scratch []byte
	data := f.data
	budget := f.scanBudget(f.NumClasses()) // NumClasses <= len(data)/32, checked by Parse
	for k := range f.dexes {
		d := &f.dexes[k]
		for i := 0; i < d.classN; i++ {
			p := d.classOff + classDefSize*i
			cidx := binary.LittleEndian.Uint32(data[p:])
			if uint64(cidx) >= uint64(d.typeN) {
				return &FormatError{Off: int64(p), Msg: "class_idx out of range", Val: cidx}
			}
			sidx := binary.LittleEndian.Uint32(data[d.typeOff+typeIDSize*int(cidx):])
			s, err := f.stringData(d, sidx, &budget)
			if err != nil {
				return err
			}
			if scratch, err = emitString(s, scratch, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// emitString passes s to fn, decoding MUTF-8 into scratch first when s is not
// plain ASCII; it returns scratch for reuse.
func emitString(s, scratch []byte, fn func([]byte) error) ([]byte, error) {
	if !isASCII(s) && needsDecode(s) {
		scratch = appendMUTF8(scratch[:0], s)
		s = scratch
	}
	return scratch, fn(s)
}

// EachClass calls fn with the descriptor of every class definition, like
// EachClassBytes, but as a string fn may keep. It allocates one string per
// class; package aggregation should prefer EachClassBytes.
func (f *File) EachClass(fn func(descriptor string) error) error {
	return f.EachClassBytes(func(desc []byte) error { return fn(string(desc)) })
}

// ClassDescriptors returns the descriptor of every class definition of every
// DEX in the image, in file order.
func (f *File) ClassDescriptors() ([]string, error) {
	// NumClasses was checked against the image size by Parse, so this
	// allocation is bounded by the bytes present.
	out := make([]string, 0, f.NumClasses())
	err := f.EachClassBytes(func(desc []byte) error {
		out = append(out, string(desc))
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
