package manifest

import (
	"encoding/binary"
)

// ParseAXML decodes a binary AndroidManifest.xml as packaged in an APK.
// res, when not nil, resolves references such as the application label;
// unresolvable references are kept raw ("@0x7f0b0001") with a warning.
//
// The decoder follows Android's ResXMLTree: every chunk header, count and
// offset is checked against the real size of data before use, android
// attributes are identified by their resource IDs (so obfuscated attribute
// names do not matter), and unknown chunks are skipped with a warning.
// Malformed input yields an error matching ErrFormat, never a panic: the
// walker is the only production decoder of binary manifests, and it is
// fuzzed (FuzzParseAXML, against androidbinary where that library is safe).
func ParseAXML(data []byte, res *Resources) (*Manifest, error) {
	top, err := readChunk(data, 0)
	if err != nil {
		return nil, err
	}
	b := newBuilder(res)
	if top.typ != chunkXML {
		// Android's ResXMLTree does not check the type of the file chunk,
		// and packers alter it to break tools; accept it, but say so.
		b.warn("file chunk type is %#04x, not %#04x (tampered header)", top.typ, chunkXML)
	}
	data = data[:top.size]
	var (
		pool   *stringPool
		resMap []byte
		attrs  []attr
	)
	for off := top.hdr; off < len(data); {
		c, err := readChunk(data, off)
		if err != nil {
			if b.root && len(b.stack) == 0 {
				// Garbage after the closed root element: Android stops
				// there too. Keep what was read.
				b.warn("trailing bytes after the root element at offset %#x", off)
				break
			}
			return nil, err
		}
		off += c.size
		switch c.typ {
		case chunkStringPool:
			if pool != nil {
				b.warn("extra string pool at offset %#x ignored", c.off)
				continue
			}
			if pool, err = parseStringPool(data, c); err != nil {
				return nil, err
			}
		case chunkXMLResMap:
			if resMap == nil {
				resMap = data[c.off+c.hdr : c.off+c.size]
			}
		case chunkXMLStartElem:
			if pool == nil {
				return nil, formatErr(c.off, "element before the string pool", nil)
			}
			tag, as, err := readElement(data, c, pool, resMap, attrs[:0], b)
			if err != nil {
				return nil, err
			}
			attrs = as
			b.start(tag, attrs)
		case chunkXMLEndElem:
			b.end()
		case chunkXMLStartNS, chunkXMLEndNS, chunkXMLCData, chunkNull:
		default:
			b.warn("unknown chunk type %#04x at offset %#x skipped", c.typ, c.off)
		}
	}
	return b.finish()
}

// readElement decodes the start-element chunk c, appending its attributes to
// attrs.
func readElement(data []byte, c chunk, pool *stringPool, resMap []byte, attrs []attr, b *builder) (string, []attr, error) {
	if c.hdr < 16 || c.size-c.hdr < 20 {
		return "", nil, formatErr(c.off, "start element chunk too short", c.size)
	}
	ext := data[c.off+c.hdr : c.off+c.size]
	le := binary.LittleEndian
	tag, ok := pool.get(le.Uint32(ext[4:]))
	if !ok {
		return "", nil, formatErr(c.off, "element name is not in the string pool", le.Uint32(ext[4:]))
	}
	start := int(le.Uint16(ext[8:]))
	size := int(le.Uint16(ext[10:]))
	count := int(le.Uint16(ext[12:]))
	if count > 0 && (size < 20 || start > len(ext) || count > (len(ext)-start)/size) {
		return "", nil, formatErr(c.off, "attributes run past their element chunk", count)
	}
	nres := uint32(len(resMap) / 4)
	for i := range count {
		p := ext[start+i*size:]
		nsIdx, nameIdx, rawIdx := le.Uint32(p), le.Uint32(p[4:]), le.Uint32(p[8:])
		a := attr{typ: p[15], data: le.Uint32(p[16:]), typed: true}
		a.ns, _ = pool.get(nsIdx)
		a.name, _ = pool.get(nameIdx)
		if nameIdx < nres {
			a.id = le.Uint32(resMap[nameIdx*4:])
		} else if nres == 0 && a.ns == androidNS {
			a.id = attrIDs[a.name]
		}
		if want, known := attrNames[a.id]; known && a.name != want {
			b.warn("obfuscated attribute names: android:%s (0x%08x) is named %q in the string pool", want, a.id, a.name)
		}
		switch {
		case a.typ == typeString:
			if a.str, a.hasStr = pool.get(a.data); !a.hasStr {
				a.str, a.hasStr = pool.get(rawIdx)
			}
			if !a.hasStr {
				b.warn("attribute %q of <%s> has a bad string reference %#x", a.name, tag, a.data)
			}
			a.typed = false
		case rawIdx != noIndex && a.typ == typeNull:
			a.str, a.hasStr = pool.get(rawIdx)
		}
		attrs = append(attrs, a)
	}
	return tag, attrs, nil
}
