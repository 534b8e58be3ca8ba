// Package inflate decodes a whole DEFLATE stream (RFC 1951) held in one
// byte slice into another: the way an APK's DEX entries are read, whose
// compressed bytes are memory-mapped and whose uncompressed size the zip
// directory declares. Writing straight into the final buffer, instead of
// into a 32 KiB window that a Read then copies out, and decoding with a
// 64-bit bit buffer refilled a word at a time and lookup tables that take
// a literal or a length in one probe, it inflates a DEX about twice as fast
// as compress/flate (see BenchmarkDecode).
//
// It accepts exactly the streams compress/flate accepts and produces the
// same bytes (FuzzDecode checks both against compress/flate), including
// the Huffman codes zlib tolerates: an empty distance code and a code of
// one symbol of length 1.
package inflate

import (
	"encoding/binary"
	"errors"
	"io"
	"math/bits"
	"strconv"
	"sync"
)

// CorruptInputError is the offset in the compressed bytes near which the
// stream was found malformed.
type CorruptInputError int64

func (e CorruptInputError) Error() string {
	return "inflate: corrupt input before offset " + strconv.FormatInt(int64(e), 10)
}

// ErrOverflow is returned when the stream holds more bytes than dst: dst is
// then full, as far as the stream got.
var ErrOverflow = errors.New("inflate: stream inflates past the end of the buffer")

// Decode inflates the DEFLATE stream in src into dst and returns the number
// of bytes written. Bytes after the stream's final block are ignored. It
// returns io.ErrUnexpectedEOF when src ends inside the stream, a
// CorruptInputError when the stream is malformed and ErrOverflow when it
// inflates past len(dst); in each case dst[:n] holds what was decoded
// before, as compress/flate would have delivered it.
func Decode(dst, src []byte) (n int, err error) {
	d := pool.Get().(*decoder)
	n, err = d.decode(dst, src)
	pool.Put(d)
	return n, err
}

var pool = sync.Pool{New: func() any { return new(decoder) }}

// Table entries are uint32: bits 0-3 the bits the code takes in this table,
// 4-7 the extra bits after it (or a link's subtable bits), 8-10 the kind,
// 16-31 the value: a literal byte, a length or distance base, or a link's
// subtable offset.
const (
	kindLiteral = iota << 8
	kindBase    // a length or distance base with extra bits
	kindEnd     // end of block
	kindLink    // the code continues in a subtable
	kindInvalid // no code of the alphabet starts with these bits
	kindMask    = 7 << 8
)

const (
	litRootBits  = 11
	distRootBits = 8
	maxCodeLen   = 15
	// A subtable holds 2^(maxCodeLen-root) entries; at most one per root
	// slot of the alphabet's long codes.
	litTableSize  = 1<<litRootBits + 288<<(maxCodeLen-litRootBits)
	distTableSize = 1<<distRootBits + 32<<(maxCodeLen-distRootBits)
)

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// codeOrder is the order of the code length code lengths (RFC 1951 3.2.7).
	codeOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

func litEntry(sym int) uint32 {
	switch {
	case sym < 256:
		return kindLiteral | uint32(sym)<<16
	case sym == 256:
		return kindEnd
	case sym < 286:
		i := sym - 257
		return kindBase | uint32(lengthExtra[i])<<4 | uint32(lengthBase[i])<<16
	}
	return kindInvalid // 286 and 287 have codes in the fixed code but no meaning
}

func distEntry(sym int) uint32 {
	if sym < 30 {
		return kindBase | uint32(distExtra[sym])<<4 | uint32(distBase[sym])<<16
	}
	return kindInvalid
}

func codeLenEntry(sym int) uint32 { return kindLiteral | uint32(sym)<<16 }

// table is a Huffman decoding table: a root of 2^bits entries indexed by the
// next input bits, and subtables after it.
type table struct {
	e    []uint32
	mask uint64 // 2^bits - 1
	// minRead is the fewest bits compress/flate reads before it looks a
	// symbol up: the shortest code's length, and for a literal/length code
	// at least the end-of-block code's. Near the end of the input it
	// decides which symbols still decode.
	minRead uint
}

// build fills t for the code lengths of an alphabet, as compress/flate's
// huffmanDecoder.init accepts them: a complete code, no code at all, or a
// single code of length 1; anything else is false.
func (t *table) build(storage []uint32, lengths []uint8, rootBits int, entry func(int) uint32) bool {
	var count [maxCodeLen + 1]int
	maxLen, minLen := 0, 0
	for _, n := range lengths {
		count[n]++
		if int(n) > maxLen {
			maxLen = int(n)
		}
		if n != 0 && (minLen == 0 || int(n) < minLen) {
			minLen = int(n)
		}
	}
	count[0] = 0
	t.minRead = uint(minLen)
	rb := min(rootBits, max(maxLen, 1))
	t.mask = 1<<rb - 1
	root := storage[:1<<rb]
	code := 0
	var next [maxCodeLen + 2]int
	for l := 1; l <= maxCodeLen; l++ {
		code <<= 1
		next[l] = code
		code += count[l]
	}
	// code is now the number of 15-bit sequences the codes cover.
	complete := code == 1<<maxCodeLen
	if !complete && maxLen != 0 && !(maxLen == 1 && count[1] == 1) {
		return false
	}
	if !complete || maxLen > rb {
		// Slots no code fills stay invalid; slots of long codes must not
		// keep a link from the table's last use.
		for i := range root {
			root[i] = kindInvalid
		}
	}
	used := len(root)
	for sym, n := range lengths {
		if n == 0 {
			continue
		}
		l := int(n)
		c := next[l]
		next[l]++
		rev := reverse(c, l)
		e := entry(sym)
		if l <= rb {
			for j := rev; j < len(root); j += 1 << l {
				root[j] = e | uint32(l)
			}
			continue
		}
		slot := rev & (1<<rb - 1)
		subBits := maxLen - rb
		link := root[slot]
		if link&kindMask != kindLink {
			// The slot's first long code: it gets the next subtable.
			if used+1<<subBits > len(storage) {
				return false
			}
			link = kindLink | uint32(rb) | uint32(subBits)<<4 | uint32(used)<<16
			root[slot] = link
			used += 1 << subBits
		}
		sub := storage[link>>16 : int(link>>16)+1<<subBits]
		for j := rev >> rb; j < len(sub); j += 1 << (l - rb) {
			sub[j] = e | uint32(l-rb)
		}
	}
	t.e = storage[:used]
	return true
}

// reverse returns the l low bits of c in reverse order: DEFLATE sends
// Huffman codes most significant bit first into a stream read from the
// least significant bit.
func reverse(c, l int) int { return int(bits.Reverse16(uint16(c)) >> (16 - l)) }

var (
	fixedOnce      sync.Once
	fixedLit       table
	fixedDist      table
	fixedLitStore  [litTableSize]uint32
	fixedDistStore [distTableSize]uint32
)

func fixedTables() {
	var l [288]uint8
	for i := range l {
		switch {
		case i < 144:
			l[i] = 8
		case i < 256:
			l[i] = 9
		case i < 280:
			l[i] = 7
		default:
			l[i] = 8
		}
	}
	fixedLit.build(fixedLitStore[:], l[:], litRootBits, litEntry)
	// All 32 distance symbols have 5-bit codes; 30 and 31 decode as invalid.
	var d [32]uint8
	for i := range d {
		d[i] = 5
	}
	fixedDist.build(fixedDistStore[:], d[:], distRootBits, distEntry)
}

// decoder holds one stream's state and its dynamic tables.
type decoder struct {
	src       []byte
	in        int    // next byte of src to load into bb
	bb        uint64 // bit buffer: the next nb bits of the stream, low first
	nb        uint   // valid bits in bb (bits above may repeat the next byte)
	overrun   int    // zero bytes loaded past the end of src
	lit       table
	dist      table
	clen      table
	litStore  [litTableSize]uint32
	distStore [distTableSize]uint32
	clenStore [1 << 7]uint32
	lengths   [286 + 30]uint8
}

// refill tops bb up to at least 56 bits: a word at a time while 8 bytes of
// src remain, then a byte at a time, then with zero bytes it counts as
// overrun (using any of them is an unexpected end of the input).
func (d *decoder) refill() {
	if d.in+8 <= len(d.src) {
		d.bb |= binary.LittleEndian.Uint64(d.src[d.in:]) << d.nb
		d.in += 7 - int(d.nb>>3)
		d.nb |= 56
		return
	}
	for d.nb <= 56 {
		if d.in < len(d.src) {
			d.bb |= uint64(d.src[d.in]) << d.nb
			d.in++
		} else {
			d.overrun++
		}
		d.nb += 8
	}
}

// short reports whether the bits consumed so far run past the end of src.
func (d *decoder) short() bool { return d.overrun > 0 && int(d.nb) < 8*d.overrun }

// offset is the byte offset in src of the next unconsumed bit.
func (d *decoder) offset() int64 { return int64(d.in + d.overrun - int(d.nb>>3)) }

func (d *decoder) bits(n uint) uint32 {
	v := uint32(d.bb & (1<<n - 1))
	d.bb >>= n
	d.nb -= n
	return v
}

func (d *decoder) corrupt() error {
	if d.short() {
		return io.ErrUnexpectedEOF
	}
	return CorruptInputError(d.offset())
}

// lacks reports whether a symbol that took bits nb0-nb of the buffer, from
// a table whose lookups read minRead bits, ran past the end of src. It is
// only asked once the buffer holds zero bytes past the end (overrun).
func (d *decoder) lacks(nb0, nb, minRead uint) bool {
	real := int(nb0) - 8*d.overrun
	return real < int(nb0-nb) || real < int(minRead)
}

func (d *decoder) decode(dst, src []byte) (int, error) {
	d.src, d.in, d.bb, d.nb, d.overrun = src, 0, 0, 0, 0
	defer func() { d.src = nil }()
	o := 0
	for {
		d.refill()
		final := d.bits(1)
		typ := d.bits(2)
		if d.short() {
			return o, io.ErrUnexpectedEOF
		}
		var err error
		switch typ {
		case 0:
			o, err = d.stored(dst, o)
		case 1:
			fixedOnce.Do(fixedTables)
			o, err = d.huffman(dst, o, &fixedLit, &fixedDist)
		case 2:
			if err = d.readTables(); err == nil {
				o, err = d.huffman(dst, o, &d.lit, &d.dist)
			}
		default:
			return o, CorruptInputError(d.offset())
		}
		if err != nil {
			return o, err
		}
		if final == 1 {
			return o, nil
		}
	}
}

// stored copies a stored block: the bit buffer is given back to src (the
// block starts at a byte boundary), LEN and NLEN are read, then the bytes.
func (d *decoder) stored(dst []byte, o int) (int, error) {
	d.nb &^= 7
	pos := d.in + d.overrun - int(d.nb>>3)
	d.bb, d.nb, d.overrun = 0, 0, 0
	if pos+4 > len(d.src) {
		d.in = len(d.src)
		return o, io.ErrUnexpectedEOF
	}
	n := int(binary.LittleEndian.Uint16(d.src[pos:]))
	if nn := binary.LittleEndian.Uint16(d.src[pos+2:]); uint16(n) != ^nn {
		d.in = pos
		return o, CorruptInputError(pos)
	}
	pos += 4
	k := min(n, len(d.src)-pos, len(dst)-o)
	copy(dst[o:], d.src[pos:pos+k])
	o, pos = o+k, pos+k
	d.in = pos
	if k < n {
		if pos < len(d.src) {
			return o, ErrOverflow // output full, input left
		}
		return o, io.ErrUnexpectedEOF
	}
	return o, nil
}

// readTables reads a dynamic block's header and builds its tables.
func (d *decoder) readTables() error {
	d.refill()
	nlit := int(d.bits(5)) + 257
	ndist := int(d.bits(5)) + 1
	nclen := int(d.bits(4)) + 4
	if d.short() {
		return io.ErrUnexpectedEOF
	}
	if nlit > 286 || ndist > 30 {
		return CorruptInputError(d.offset())
	}
	var cl [19]uint8
	for i := range nclen {
		if d.nb < 3 {
			d.refill()
		}
		cl[codeOrder[i]] = uint8(d.bits(3))
	}
	if d.short() {
		return io.ErrUnexpectedEOF
	}
	if !d.clen.build(d.clenStore[:], cl[:], 7, codeLenEntry) {
		return CorruptInputError(d.offset())
	}
	lengths := d.lengths[:nlit+ndist]
	for i := 0; i < len(lengths); {
		if d.nb < 16 {
			d.refill()
		}
		e := d.clen.e[d.bb&d.clen.mask]
		if e&kindMask != kindLiteral {
			return d.corrupt()
		}
		d.bits(uint(e & 15))
		if d.short() {
			return io.ErrUnexpectedEOF
		}
		sym := e >> 16
		if sym < 16 {
			lengths[i] = uint8(sym)
			i++
			continue
		}
		var rep int
		var val uint8
		switch sym {
		case 16:
			if i == 0 {
				return CorruptInputError(d.offset())
			}
			rep, val = 3+int(d.bits(2)), lengths[i-1]
		case 17:
			rep = 3 + int(d.bits(3))
		default:
			rep = 11 + int(d.bits(7))
		}
		if d.short() {
			return io.ErrUnexpectedEOF
		}
		if i+rep > len(lengths) {
			return CorruptInputError(d.offset())
		}
		for range rep {
			lengths[i] = val
			i++
		}
	}
	if !d.lit.build(d.litStore[:], lengths[:nlit], litRootBits, litEntry) ||
		!d.dist.build(d.distStore[:], lengths[nlit:], distRootBits, distEntry) {
		return CorruptInputError(d.offset())
	}
	d.lit.minRead = max(d.lit.minRead, uint(lengths[256]))
	return nil
}

// huffman decodes one Huffman-coded block into dst from o. Each turn of
// the loop refills once: 56 bits hold the longest length code with its
// extra bits and the longest distance code with its (15+5+15+13). The bit
// buffer lives in locals, written back to d when the block ends.
func (d *decoder) huffman(dst []byte, o int, lit, dist *table) (int, error) {
	lt, lmask, lmin := lit.e, lit.mask, lit.minRead
	dt, dmask, dmin := dist.e, dist.mask, dist.minRead
	if len(dt) == 0 {
		dt, dmask = invalidTable[:], 0
	}
	src := d.src
	in, bb, nb := d.in, d.bb, d.nb
	var err error
	for {
		if in+8 <= len(src) {
			bb |= binary.LittleEndian.Uint64(src[in:]) << nb
			in += 7 - int(nb>>3)
			nb |= 56
		} else {
			d.in, d.bb, d.nb = in, bb, nb
			d.refill()
			in, bb, nb = d.in, d.bb, d.nb
		}
		nb0 := nb
		e := lt[bb&lmask]
		if e&kindMask == kindLink {
			bb >>= e & 15
			nb -= uint(e & 15)
			e = lt[int(e>>16)+int(bb&(1<<(e>>4&15)-1))]
		}
		bb >>= e & 15
		nb -= uint(e & 15)
		if e&kindMask == kindLiteral {
			if d.overrun > 0 && d.lacks(nb0, nb, lmin) {
				err = io.ErrUnexpectedEOF
				break
			}
			if o >= len(dst) {
				err = ErrOverflow
				break
			}
			dst[o] = byte(e >> 16)
			o++
			continue
		}
		if e&kindMask != kindBase {
			switch {
			case d.overrun > 0 && d.lacks(nb0, nb, lmin):
				err = io.ErrUnexpectedEOF
			case e&kindMask != kindEnd:
				d.in, d.bb, d.nb = in, bb, nb
				err = CorruptInputError(d.offset())
			}
			break
		}
		// A length, then its distance.
		x := uint(e >> 4 & 15)
		length := int(e>>16) + int(bb&(1<<x-1))
		bb >>= x
		nb -= x
		if d.overrun > 0 && d.lacks(nb0, nb, lmin) {
			err = io.ErrUnexpectedEOF
			break
		}
		nb0 = nb
		e = dt[bb&dmask]
		if e&kindMask == kindLink {
			bb >>= e & 15
			nb -= uint(e & 15)
			e = dt[int(e>>16)+int(bb&(1<<(e>>4&15)-1))]
		}
		bb >>= e & 15
		nb -= uint(e & 15)
		if e&kindMask != kindBase {
			if d.overrun > 0 && d.lacks(nb0, nb, dmin) {
				err = io.ErrUnexpectedEOF
			} else {
				d.in, d.bb, d.nb = in, bb, nb
				err = CorruptInputError(d.offset())
			}
			break
		}
		x = uint(e >> 4 & 15)
		distance := int(e>>16) + int(bb&(1<<x-1))
		bb >>= x
		nb -= x
		if d.overrun > 0 && d.lacks(nb0, nb, dmin) {
			err = io.ErrUnexpectedEOF
			break
		}
		if distance > o {
			d.in, d.bb, d.nb = in, bb, nb
			err = CorruptInputError(d.offset())
			break
		}
		end := o + length
		if end > len(dst) {
			// Fill dst as far as it goes, as a reader would have delivered it.
			for ; o < len(dst); o++ {
				dst[o] = dst[o-distance]
			}
			err = ErrOverflow
			break
		}
		switch {
		case distance >= 8 && end+8 <= len(dst):
			// Eight bytes at a time, each read from bytes already written;
			// the last word may write past end, into bytes written later.
			s := o - distance
			for o < end {
				binary.LittleEndian.PutUint64(dst[o:], binary.LittleEndian.Uint64(dst[s:]))
				o += 8
				s += 8
			}
		case distance >= length:
			copy(dst[o:end], dst[o-distance:])
		case distance == 1:
			b := dst[o-1]
			for i := o; i < end; i++ {
				dst[i] = b
			}
		default:
			for i := o; i < end; i++ {
				dst[i] = dst[i-distance]
			}
		}
		o = end
	}
	d.in, d.bb, d.nb = in, bb, nb
	return o, err
}

// invalidTable decodes every distance as invalid: the table of a block
// whose distance code is empty, legal until a match needs it.
var invalidTable = [1]uint32{kindInvalid}
