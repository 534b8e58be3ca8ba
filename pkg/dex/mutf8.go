package dex

import (
	"encoding/binary"
	"unicode/utf8"
)

// DEX strings are Modified UTF-8 (MUTF-8): each UTF-16 code unit is encoded
// on its own in one to three bytes, U+0000 is written as the two bytes
// 0xC0 0x80, and a supplementary character is written as its two surrogate
// code units, three bytes each (0xED …). Everything else is byte-identical to
// UTF-8, so only strings holding 0xC0 or 0xED need converting.

// isASCII reports whether every byte of s is below 0x80.
func isASCII(s []byte) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if binary.LittleEndian.Uint64(s[i:])&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// needsDecode reports whether the MUTF-8 bytes s differ from their UTF-8
// form: they hold an encoded NUL, a surrogate or a four-byte UTF-8 sequence
// (which MUTF-8 does not have), or are not valid UTF-8.
func needsDecode(s []byte) bool {
	for _, c := range s {
		if c == 0xC0 || c == 0xED || c >= 0xF0 {
			return true
		}
	}
	return !utf8.Valid(s)
}

// nextUnit decodes the UTF-16 code unit that starts s[i:] and returns it
// with the number of bytes it used. A malformed byte decodes as U+FFFD and
// uses one byte. Overlong two- and three-byte forms are accepted, as Java's
// DataInputStream.readUTF accepts them.
func nextUnit(s []byte, i int) (uint16, int) {
	c := s[i]
	switch {
	case c < 0x80:
		return uint16(c), 1
	case c&0xE0 == 0xC0:
		if i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			return uint16(c&0x1F)<<6 | uint16(s[i+1]&0x3F), 2
		}
	case c&0xF0 == 0xE0:
		if i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			return uint16(c&0x0F)<<12 | uint16(s[i+1]&0x3F)<<6 | uint16(s[i+2]&0x3F), 3
		}
	}
	return utf8.RuneError, 1
}

// appendMUTF8 appends the UTF-8 form of the MUTF-8 bytes s to dst: surrogate
// pairs become one four-byte character, 0xC0 0x80 becomes NUL, and unpaired
// surrogates or malformed bytes become U+FFFD.
func appendMUTF8(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if c := s[i]; c < 0x80 {
			dst = append(dst, c)
			i++
			continue
		}
		u, n := nextUnit(s, i)
		i += n
		r := rune(u)
		switch {
		case u >= 0xD800 && u < 0xDC00:
			r = utf8.RuneError
			if i < len(s) {
				if lo, m := nextUnit(s, i); lo >= 0xDC00 && lo < 0xE000 {
					r = 0x10000 + (rune(u)-0xD800)<<10 + (rune(lo) - 0xDC00)
					i += m
				}
			}
		case u >= 0xDC00 && u < 0xE000:
			r = utf8.RuneError
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// DecodeMUTF8 returns the UTF-8 string for the Modified UTF-8 bytes s, as
// stored in a DEX string_data_item. Malformed input never fails: bad bytes
// and unpaired surrogates become U+FFFD.
func DecodeMUTF8(s []byte) string {
	if isASCII(s) || !needsDecode(s) {
		return string(s)
	}
	return string(appendMUTF8(make([]byte, 0, len(s)), s))
}

// EncodeMUTF8 appends the Modified UTF-8 form of the UTF-8 string s to dst,
// as a DEX would store it. Invalid UTF-8 bytes are encoded as U+FFFD.
func EncodeMUTF8(dst []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == 0:
			dst = append(dst, 0xC0, 0x80)
		case r < 0x80:
			dst = append(dst, byte(r))
		case r < 0x800:
			dst = append(dst, 0xC0|byte(r>>6), 0x80|byte(r&0x3F))
		case r < 0x10000:
			dst = append(dst, 0xE0|byte(r>>12), 0x80|byte(r>>6&0x3F), 0x80|byte(r&0x3F))
		default:
			r -= 0x10000
			hi, lo := 0xD800+(r>>10), 0xDC00+(r&0x3FF)
			dst = append(dst, 0xE0|byte(hi>>12), 0x80|byte(hi>>6&0x3F), 0x80|byte(hi&0x3F))
			dst = append(dst, 0xE0|byte(lo>>12), 0x80|byte(lo>>6&0x3F), 0x80|byte(lo&0x3F))
		}
	}
	return dst
}

// compareMUTF8 compares two MUTF-8 strings by their UTF-16 code units, the
// order of a DEX string table. b is read only as far as the comparison
// needs; a NUL byte in b ends it (b may be the rest of the image).
func compareMUTF8(a, b []byte) int {
	i, j := 0, 0
	for {
		aEnd := i >= len(a)
		bEnd := j >= len(b) || b[j] == 0
		switch {
		case aEnd && bEnd:
			return 0
		case aEnd:
			return -1
		case bEnd:
			return 1
		}
		ua, n := nextUnit(a, i)
		ub, m := nextUnit(b, j)
		if ua != ub {
			if ua < ub {
				return -1
			}
			return 1
		}
		i, j = i+n, j+m
	}
}
