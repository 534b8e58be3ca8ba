package manifest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// realAXML returns the binary manifest and resource table of a small real
// APK (the one androidbinary cannot resolve).
func realAXML(t *testing.T) (axml, arsc []byte) {
	t.Helper()
	apk := filepath.Join(corpusDir(t), "apk", "fdroidserver", "org.sajeg.fallingblocks_3.apk")
	axml, err := zipEntry(apk, "AndroidManifest.xml")
	require.NoError(t, err)
	arsc, err = zipEntry(apk, "resources.arsc")
	require.NoError(t, err)
	require.NotNil(t, axml)
	require.NotNil(t, arsc)
	return axml, arsc
}

// chunkAt returns the offset of the first chunk of type typ after the file
// header of a real, well-formed file.
func chunkAt(t *testing.T, b []byte, typ uint16) int {
	t.Helper()
	for off := int(binary.LittleEndian.Uint16(b[2:])); off+8 <= len(b); {
		if binary.LittleEndian.Uint16(b[off:]) == typ {
			return off
		}
		off += int(binary.LittleEndian.Uint32(b[off+4:]))
	}
	t.Fatalf("no chunk of type %#x", typ)
	return 0
}

func patched(b []byte, f func(b []byte)) []byte {
	c := bytes.Clone(b)
	f(c)
	return c
}

func put32(b []byte, off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
func put16(b []byte, off int, v uint16) { binary.LittleEndian.PutUint16(b[off:], v) }

// checkRejected runs decode on in and requires an ErrFormat error, quickly
// and without a large allocation.
func checkRejected(t *testing.T, decode func([]byte) error, in []byte) {
	t.Helper()
	var err error
	start := time.Now()
	alloc := testenv.Allocated(func() { err = decode(in) })
	elapsed := time.Since(start)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrFormat), "error %v should match ErrFormat", err)
	assert.Regexp(t, `^manifest: `, err.Error())
	assert.Less(t, elapsed, time.Second)
	assert.Less(t, alloc, uint64(8<<20), "allocated more than 8 MiB")
}

func TestParseAXMLMalformed(t *testing.T) {
	axml, _ := realAXML(t)
	pool := chunkAt(t, axml, chunkStringPool)
	elem := chunkAt(t, axml, chunkXMLStartElem)
	elemHdr := int(binary.LittleEndian.Uint16(axml[elem+2:]))
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 4096)
	rng.Read(random)

	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"four bytes", []byte{3, 0, 8, 0}},
		{"random bytes", random},
		{"random bytes with AXML magic", append([]byte{3, 0, 8, 0, 0, 16, 0, 0}, random...)},
		{"text instead of AXML", []byte(`<manifest package="x"/>`)},
		{"string pool claims 0x7fffffff strings", patched(axml, func(b []byte) { put32(b, pool+8, 0x7fffffff) })},
		{"string pool claims 0xffffffff styles", patched(axml, func(b []byte) { put32(b, pool+12, 0xffffffff) })},
		{"string data offset past the pool", patched(axml, func(b []byte) { put32(b, pool+20, 0x7ffffff0) })},
		{"string pool size past end", patched(axml, func(b []byte) { put32(b, pool+4, 0x7fffffff) })},
		{"string pool header size larger than chunk", patched(axml, func(b []byte) { put16(b, pool+2, 0xffff) })},
		{"file size past end", patched(axml, func(b []byte) { put32(b, 4, uint32(len(axml)+1)) })},
		{"file header size zero", patched(axml, func(b []byte) { put16(b, 2, 0) })},
		{"element chunk size zero", patched(axml, func(b []byte) { put32(b, elem+4, 0) })},
		{"element claims 0xffff attributes", patched(axml, func(b []byte) { put16(b, elem+elemHdr+12, 0xffff) })},
		{"element attribute size 1", patched(axml, func(b []byte) { put16(b, elem+elemHdr+10, 1) })},
		{"element name index out of range", patched(axml, func(b []byte) { put32(b, elem+elemHdr+4, 0x7fffffff) })},
		{"truncated in the file header", axml[:6]},
		{"truncated after the file header", axml[:8]},
		{"truncated in the string pool", axml[:pool+40]},
		{"truncated at the first element", axml[:elem+10]},
		{"truncated in the middle", axml[:len(axml)/2]},
		{"truncated by one byte", axml[:len(axml)-1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRejected(t, func(b []byte) error { _, err := ParseAXML(b, nil); return err }, tt.in)
		})
	}
}

// TestParseAXMLTamperedFileType changes the file chunk type, which Android
// does not check: the manifest must still decode, with a warning.
func TestParseAXMLTamperedFileType(t *testing.T) {
	axml, _ := realAXML(t)
	want, err := ParseAXML(axml, nil)
	require.NoError(t, err)
	bad := patched(axml, func(b []byte) { put16(b, 0, 0x0001) })
	assert.Equal(t, KindAXML, Detect(bad))
	got, err := ParseAXML(bad, nil)
	require.NoError(t, err)
	assert.Equal(t, want.Permissions, got.Permissions)
	assert.Contains(t, got.Warnings, "file chunk type is 0x0001, not 0x0003 (tampered header)")
}

// TestParseAXMLObfuscatedNames renames the "name" attribute in the string
// pool, as obfuscators do: resource IDs still identify it.
func TestParseAXMLObfuscatedNames(t *testing.T) {
	axml, arsc := realAXML(t)
	res, err := LoadResources(arsc)
	require.NoError(t, err)
	want, err := ParseAXML(axml, res)
	require.NoError(t, err)
	require.NotEmpty(t, want.Permissions)

	// "name" as a UTF-16 pool entry: length 4, four code units, terminator.
	utf16Name := []byte{4, 0, 'n', 0, 'a', 0, 'm', 0, 'e', 0, 0, 0}
	i := bytes.Index(axml, utf16Name)
	require.GreaterOrEqual(t, i, 0, "the pool is UTF-16 and holds \"name\"")
	obf := patched(axml, func(b []byte) { copy(b[i+2:], []byte{'x', 0, 'q', 0, 'z', 0, 'w', 0}) })
	got, err := ParseAXML(obf, res)
	require.NoError(t, err)
	assert.Equal(t, want.Permissions, got.Permissions)
	assert.Equal(t, want.Activities, got.Activities)
	assert.Contains(t, got.Warnings, `obfuscated attribute names: android:name (0x01010003) is named "xqzw" in the string pool`)
}

func TestLoadResourcesMalformed(t *testing.T) {
	_, arsc := realAXML(t)
	pool := chunkAt(t, arsc, chunkStringPool)
	pkg := chunkAt(t, arsc, chunkTablePackage)
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"AXML instead of a table", []byte{3, 0, 8, 0, 8, 0, 0, 0}},
		{"pool claims 0x7fffffff strings", patched(arsc, func(b []byte) { put32(b, pool+8, 0x7fffffff) })},
		{"pool size past end", patched(arsc, func(b []byte) { put32(b, pool+4, 0xfffffff0) })},
		{"package size past end", patched(arsc, func(b []byte) { put32(b, pkg+4, 0xfffffff0) })},
		{"package header size too small", patched(arsc, func(b []byte) { put16(b, pkg+2, 8) })},
		{"truncated", arsc[:len(arsc)/2]},
		{"truncated header", arsc[:10]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRejected(t, func(b []byte) error { _, err := LoadResources(b); return err }, tt.in)
		})
	}
}

func TestParseProtoMalformed(t *testing.T) {
	data, err := zipEntry(filepath.Join(corpusDir(t), "apk", "bundletool", "install-time-permanent-modules.aab"), "base/manifest/AndroidManifest.xml")
	require.NoError(t, err)
	// 1000 nested elements: XmlNode{element{child{element{...}}}}.
	deep := []byte{}
	for range 1000 {
		el := append([]byte{0x2a}, appendVarint(nil, uint64(len(deep)))...) // child = 5
		el = append(el, deep...)
		node := append([]byte{0x0a}, appendVarint(nil, uint64(len(el)))...) // element = 1
		deep = append(node, el...)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"truncated", data[:len(data)/2]},
		{"truncated by one byte", data[:len(data)-1]},
		{"length past end", []byte{0x0a, 0xff, 0xff, 0xff, 0x7f, 0x1a}},
		{"bad tag", []byte{0x0f}},
		{"nested too deep", deep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkRejected(t, func(b []byte) error { _, err := ParseProto(b, nil); return err }, tt.in)
		})
	}
}

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func TestParseXMLMalformed(t *testing.T) {
	for _, in := range []string{"", "<manifest", "<a></b>", "not xml", `<manifest package="x"><application></manifest>`} {
		t.Run(in, func(t *testing.T) {
			checkRejected(t, func(b []byte) error { _, err := ParseXML(b); return err }, []byte(in))
		})
	}
}

func TestDetect(t *testing.T) {
	axml, _ := realAXML(t)
	proto, err := zipEntry(filepath.Join(corpusDir(t), "apk", "bundletool", "install-time-permanent-modules.aab"), "base/manifest/AndroidManifest.xml")
	require.NoError(t, err)
	tests := []struct {
		in   []byte
		want Kind
	}{
		{axml, KindAXML},
		{proto, KindProto},
		{[]byte("\xef\xbb\xbf\n  <?xml version=\"1.0\"?><manifest/>"), KindXML},
		{[]byte("<manifest/>"), KindXML},
		{nil, KindUnknown},
		{[]byte("PK\x03\x04"), KindUnknown},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Detect(tt.in), "%q", tt.in[:min(len(tt.in), 8)])
	}
	assert.Equal(t, "axml", KindAXML.String())
	assert.Equal(t, "unknown", Kind(42).String())
	for _, in := range [][]byte{axml, proto} {
		m, err := Parse(in, nil)
		require.NoError(t, err)
		assert.NotEmpty(t, m.Package)
	}
}
