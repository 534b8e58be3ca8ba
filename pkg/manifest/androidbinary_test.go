package manifest

// androidbinary (github.com/shogo82148/androidbinary v1.0.5), the AXML
// decoder DESIGN.md names, is not a production decoder: the resource-ID
// walker (ParseAXML) is the only one. It stays as an independent oracle
// beside aapt and dexdump: on every corpus manifest it can be trusted with
// (abCheck), and in FuzzParseAXML, the walker must read what it reads. The
// glue below renders its text XML back into a Manifest.

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/shogo82148/androidbinary"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusAXML reads AndroidManifest.xml and resources.arsc of the APK at path.
func corpusAXML(t *testing.T, path string) ([]byte, *Resources) {
	t.Helper()
	axml, err := zipEntry(path, "AndroidManifest.xml")
	if err != nil || axml == nil {
		return nil, nil
	}
	var res *Resources
	if arsc, err := zipEntry(path, "resources.arsc"); err == nil && arsc != nil {
		res, err = LoadResources(arsc)
		require.NoError(t, err, "resources.arsc")
	}
	return axml, res
}

// TestAXMLAgainstAndroidbinary: on every corpus manifest androidbinary can be
// trusted with, the walker gives the identical Manifest. (aapt remains the
// correctness oracle, in TestAXMLAgainstAapt.)
func TestAXMLAgainstAndroidbinary(t *testing.T) {
	n := 0
	for _, path := range corpusAPKs(t) {
		axml, res := corpusAXML(t, path)
		if axml == nil || !abTrusted(axml) {
			continue
		}
		if testing.Short() && strings.Contains(path, "framework-res") {
			continue
		}
		ab, err := abDecode(axml, res)
		if err != nil {
			continue
		}
		w, err := ParseAXML(axml, res)
		require.NoError(t, err, path)
		assert.Equal(t, w, ab, path)
		n++
	}
	t.Logf("%d manifests decoded identically by the walker and androidbinary", n)
	assert.Positive(t, n, "androidbinary decodes the ordinary corpus manifests")
}

// abDecode runs androidbinary on data, which abCheck accepted, and builds the
// Manifest from its text rendering. A panic inside androidbinary (a
// third-party parser) becomes an error; abCheck is meant to make them
// impossible.
func abDecode(data []byte, res *Resources) (m *Manifest, err error) {
	var f *androidbinary.XMLFile
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic: %v", r)
			}
		}()
		f, err = androidbinary.NewXMLFile(bytes.NewReader(data))
	}()
	if err != nil {
		return nil, err
	}
	return buildFromABText(f.Reader(), res)
}

// abTrusted reports whether androidbinary can be run on data and its result
// compared with the walker's: abCheck finds nothing unsafe or lossy.
func abTrusted(data []byte) bool {
	unsafe, lossy, err := abCheck(data)
	return err == nil && unsafe == "" && lossy == ""
}

// buildFromABText builds a Manifest from androidbinary's text XML, turning
// the values it formatted from typed data back into typed attributes.
func buildFromABText(r io.Reader, res *Resources) (*Manifest, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	b := newBuilder(res)
	var attrs []attr
	uris := map[string]bool{}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("its text XML does not parse: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attrs = attrs[:0]
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" {
					uris[a.Value] = true
					continue
				}
				if a.Name.Space != "" && !uris[a.Name.Space] {
					return nil, fmt.Errorf("namespace prefix %q used outside its declaration", a.Name.Space)
				}
				x := abValue(a.Value)
				x.ns, x.name = a.Name.Space, a.Name.Local
				if x.ns == androidNS {
					x.id = attrIDs[x.name]
				}
				attrs = append(attrs, x)
			}
			b.start(t.Name.Local, attrs)
		case xml.EndElement:
			b.end()
		}
	}
	return b.finish()
}

// abValue parses an attribute value as androidbinary v1.0.5 writes it
// (readStartElement): "@0x%08X" for references, "%d" and "0x%08X" for
// integers, "true"/"false" for booleans, the raw string otherwise. Only the
// exact forms it writes are read back as typed values.
func abValue(s string) attr {
	switch {
	case s == "true":
		return attr{typ: typeIntBool, data: 0xffffffff, typed: true}
	case s == "false":
		return attr{typ: typeIntBool, typed: true}
	case len(s) == 11 && strings.HasPrefix(s, "@0x") && isUpperHex(s[3:]):
		n, _ := strconv.ParseUint(s[3:], 16, 32)
		return attr{typ: typeReference, data: uint32(n), typed: true}
	case len(s) == 10 && strings.HasPrefix(s, "0x") && isUpperHex(s[2:]):
		n, _ := strconv.ParseUint(s[2:], 16, 32)
		return attr{typ: typeIntHex, data: uint32(n), typed: true}
	}
	if n, err := strconv.ParseUint(s, 10, 32); err == nil && strconv.FormatUint(n, 10) == s {
		return attr{typ: typeIntDec, data: uint32(n), typed: true}
	}
	return attr{str: s, hasStr: true}
}

func isUpperHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// abFormat is the text androidbinary v1.0.5 writes for an attribute with raw
// value index raw (already looked up as rawStr, rawOK) and typed value typ/data.
func abFormat(raw uint32, rawStr string, typ uint8, data uint32) string {
	if raw != noIndex {
		return rawStr
	}
	switch typ {
	case typeNull:
		return ""
	case typeIntDec:
		return strconv.FormatUint(uint64(data), 10)
	case typeIntHex:
		return fmt.Sprintf("0x%08X", data)
	case typeIntBool:
		return strconv.FormatBool(data != 0)
	}
	return fmt.Sprintf("@0x%08X", data)
}

// sameAttr reports whether the builder reads a and b identically.
func sameAttr(a, b attr) bool {
	if a.hasStr != b.hasStr || a.typed != b.typed || a.str != b.str {
		return false
	}
	if !a.typed {
		return true
	}
	if a.typ == typeDynamicReference {
		a.typ = typeReference
	}
	if a.typ != b.typ {
		return false
	}
	if a.typ == typeIntBool {
		return (a.data != 0) == (b.data != 0)
	}
	if a.typ == typeNull {
		return true
	}
	return a.data == b.data
}

// knownID is id when the builder reads that attribute, 0 otherwise.
func knownID(id uint32) uint32 {
	if _, ok := attrNames[id]; ok {
		return id
	}
	return 0
}

// xmlName reports whether s can be written unescaped as an XML name without
// a colon (androidbinary writes names and prefixes as they are).
func xmlName(s string) bool {
	if s == "" || strings.EqualFold(s, "xmlns") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case '0' <= c && c <= '9', c == '-', c == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// xmlText reports whether s survives xml.Escape and the decoder unchanged.
func xmlText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF) {
			return false
		}
	}
	return true
}

// abCheck validates data for androidbinary v1.0.5 before it sees the bytes.
// err is a format error the walker reports too. unsafe, when not empty, says
// why androidbinary must not be run on data: its string pool reader sizes
// buffers from lengths it reads without bounds, and reads offsets at fixed
// positions, so every pool and every string must be checked first. lossy,
// when not empty, says why its text rendering would not give what the walker
// reads (obfuscated or namespace-less attribute names, tampered headers,
// values it formats ambiguously); androidbinary is safe to run then, but
// its result is not used.
//
// The checks are those of the walker (readChunk, parseStringPool,
// readElement) plus androidbinary's own assumptions: every string of the
// pool decodes inside the pool, the pool header is 28 bytes, there is one
// pool, node chunks hold their 16-byte header and extension.
func abCheck(data []byte) (unsafe, lossy string, err error) {
	top, err := readChunk(data, 0)
	if err != nil {
		return "", "", err
	}
	note := func(format string, args ...any) {
		if lossy == "" {
			lossy = fmt.Sprintf(format, args...)
		}
	}
	if top.typ != chunkXML {
		note("file chunk type is %#04x (tampered header)", top.typ)
	}
	data = data[:top.size]
	var (
		pool   *stringPool
		resMap []byte
		attrs  []attr
	)
	scratch := newBuilder(nil)
	prefixes := map[string]string{} // prefix -> URI
	for off := top.hdr; off < len(data); {
		c, err := readChunk(data, off)
		if err != nil {
			return "", "", err
		}
		off += c.size
		switch c.typ {
		case chunkStringPool:
			if pool != nil {
				return "more than one string pool", "", nil
			}
			if pool, err = parseStringPool(data, c); err != nil {
				return "", "", err
			}
			if c.hdr != 28 {
				return fmt.Sprintf("string pool header is %d bytes, not 28", c.hdr), "", nil
			}
			// androidbinary decodes every string up front: each must sit
			// inside the pool, so no length it reads can size a huge buffer.
			for i := range uint32(pool.count) {
				if _, ok := pool.get(i); !ok {
					return fmt.Sprintf("string %d of the pool is malformed", i), "", nil
				}
			}
			pool.cache = nil
		case chunkXMLResMap:
			if resMap == nil {
				resMap = data[c.off+c.hdr : c.off+c.size]
			}
		case chunkXMLStartNS, chunkXMLEndNS, chunkXMLEndElem:
			if pool == nil {
				return "", "", formatErr(c.off, "element before the string pool", nil)
			}
			if c.hdr < 16 || c.size-c.hdr < 8 {
				note("node chunk at offset %#x too short", c.off)
				continue
			}
			if c.typ == chunkXMLStartNS {
				ext := data[c.off+c.hdr:]
				prefix, ok1 := pool.get(binary.LittleEndian.Uint32(ext))
				uri, ok2 := pool.get(binary.LittleEndian.Uint32(ext[4:]))
				if !ok1 || !ok2 || !xmlName(prefix) || !xmlText(uri) {
					note("namespace declaration at offset %#x not representable", c.off)
				} else if u, seen := prefixes[prefix]; seen && u != uri {
					note("namespace prefix %q bound to two URIs", prefix)
				}
				prefixes[prefix] = uri
			}
		case chunkXMLStartElem:
			if pool == nil {
				return "", "", formatErr(c.off, "element before the string pool", nil)
			}
			tag, as, err := readElement(data, c, pool, resMap, attrs[:0], scratch)
			if err != nil {
				return "", "", err
			}
			attrs = as
			if len(scratch.m.Warnings) > 0 {
				note("%s", scratch.m.Warnings[0])
			}
			if !xmlName(tag) {
				note("element name %q is not an XML name", tag)
			}
			ext := data[c.off+c.hdr:]
			if int(binary.LittleEndian.Uint16(ext[8:]))+c.hdr > 0xffff {
				note("attribute offset at %#x overflows", c.off)
			}
			if r := abAttrsCheck(ext, pool, attrs, tag); r != "" {
				note("%s", r)
			}
		case chunkXMLCData, chunkNull:
		default:
			note("unknown chunk type %#04x at offset %#x", c.typ, c.off)
		}
	}
	return "", lossy, nil
}

// abAttrsCheck checks that androidbinary's rendering of each attribute of the
// element extension ext reads back (abValue) as the walker's attrs, for the
// attributes the builder reads; the others only have to be well-formed XML.
func abAttrsCheck(ext []byte, pool *stringPool, attrs []attr, tag string) string {
	le := binary.LittleEndian
	start, size := int(le.Uint16(ext[8:])), int(le.Uint16(ext[10:]))
	for i, w := range attrs {
		p := ext[start+i*size:]
		if nsIdx := le.Uint32(p); nsIdx != noIndex {
			if _, ok := pool.get(nsIdx); !ok {
				return fmt.Sprintf("attribute namespace of <%s> not in the string pool", tag)
			}
		}
		if !xmlName(w.name) {
			return fmt.Sprintf("attribute name %q of <%s> is not an XML name", w.name, tag)
		}
		raw := le.Uint32(p[8:])
		rawStr, ok := pool.get(raw)
		if raw != noIndex && !ok {
			return fmt.Sprintf("attribute %q of <%s> has a bad raw value reference", w.name, tag)
		}
		s := abFormat(raw, rawStr, p[15], le.Uint32(p[16:]))
		if !xmlText(s) {
			return fmt.Sprintf("attribute %q of <%s> is not valid XML text", w.name, tag)
		}
		back := abValue(s)
		back.ns, back.name = w.ns, w.name
		if w.ns == androidNS {
			back.id = attrIDs[w.name]
		}
		if knownID(back.id) != knownID(w.id) {
			return fmt.Sprintf("attribute %q of <%s> has resource ID %#08x", w.name, tag, w.id)
		}
		read := knownID(w.id) != 0 || w.ns == "" && w.name == "package"
		if read && !sameAttr(w, back) {
			return fmt.Sprintf("attribute %q of <%s> is written as %q, which loses its type", w.name, tag, s)
		}
	}
	return ""
}
