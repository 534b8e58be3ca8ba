package dex

// uleb128 decodes the unsigned LEB128 value that starts at data[p], reading
// no byte at or past end, and returns it with the offset just after it. ok
// is false when the value runs past end or is longer than the five bytes a
// 32-bit value may take. Bits beyond 32 in the fifth byte are ignored, as
// ART's DecodeUnsignedLeb128 ignores them.
func uleb128(data []byte, p, end int) (v uint32, next int, ok bool) {
	for shift := 0; shift < 35; shift += 7 {
		if p >= end {
			return 0, p, false
		}
		c := data[p]
		p++
		v |= uint32(c&0x7f) << shift
		if c < 0x80 {
			return v, p, true
		}
	}
	return 0, p, false
}
