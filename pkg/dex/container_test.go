package dex

import (
	"crypto/sha1"
	"encoding/binary"
	"hash/adler32"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// No tool installed here writes DEX 041 (smali 2.5 stops at 039, and ART
// 11's dexdump cannot read it), so the container tests build DEX 041 images
// in test code from real DEX 039 images made by smali. This is a hostile
// header no toolchain writes: each DEX keeps its body byte for byte behind a
// 0x78-byte v41 header, and every offset this reader follows (the header's
// table offsets, the string_ids entries) plus the class_def, proto_id and
// map_list offsets are moved to be relative to the container start, as DEX
// 041 requires. Offsets deeper in the data section (class_data_item code
// offsets, annotation directories) are left as they were: this package
// never reads them.

// toV41 converts one DEX 035–040 image into a DEX 041 sub-file that will
// sit at byte base of its container.
func toV41(t testing.TB, orig []byte, base int) []byte {
	t.Helper()
	require.GreaterOrEqual(t, len(orig), headerSize)
	require.Equal(t, uint32(headerSize), le32(orig, 0x24), "source must have a 0x70 header")
	const grow = headerSizeV41 - headerSize
	shift := uint32(base + grow)
	n := make([]byte, 0, len(orig)+grow)
	n = append(n, orig[:headerSize]...)
	n = append(n, make([]byte, grow)...)
	n = append(n, orig[headerSize:]...)
	put := func(off int, v uint32) { binary.LittleEndian.PutUint32(n[off:], v) }
	get := func(off int) uint32 { return binary.LittleEndian.Uint32(n[off:]) }
	bump := func(off int) {
		if v := get(off); v != 0 {
			put(off, v+shift)
		}
	}
	copy(n[4:7], "041")
	put(0x20, uint32(len(n)))
	put(0x24, headerSizeV41)
	put(0x74, uint32(base))

	// Tables, read before their header fields are moved (orig offset x is
	// at x+grow in n).
	strN, strOff := get(0x38), get(0x3c)
	protoN, protoOff := get(0x48), get(0x4c)
	classN, classOff := get(0x60), get(0x64)
	mapOff := get(0x34)
	for i := range strN {
		bump(int(strOff) + grow + 4*int(i))
	}
	for i := range protoN {
		bump(int(protoOff) + grow + 12*int(i) + 8) // parameters_off
	}
	for i := range classN {
		p := int(classOff) + grow + 32*int(i)
		for _, field := range []int{12, 20, 24, 28} { // interfaces, annotations, class_data, static_values
			bump(p + field)
		}
	}
	if mapOff != 0 {
		m := int(mapOff) + grow
		for i := range get(m) {
			item := m + 4 + 12*int(i)
			if binary.LittleEndian.Uint16(n[item:]) == 0 { // header_item
				put(item+8, uint32(base))
			} else {
				bump(item + 8)
			}
		}
	}
	for _, field := range []int{0x30, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c} {
		bump(field)
	}
	return n
}

// buildContainer lays the given real DEX images end to end as one DEX 041
// container, with correct checksums and signatures.
func buildContainer(t testing.TB, dexes ...[]byte) []byte {
	t.Helper()
	var out []byte
	var starts []int
	for _, d := range dexes {
		starts = append(starts, len(out))
		out = append(out, toV41(t, d, len(out))...)
	}
	for _, s := range starts {
		binary.LittleEndian.PutUint32(out[s+0x70:], uint32(len(out)))
	}
	for _, s := range starts {
		resign(out, s, int(binary.LittleEndian.Uint32(out[s+0x20:])))
	}
	return out
}

// resign recomputes the signature and checksum of the DEX of size bytes at
// off in b, as dx and d8 do.
func resign(b []byte, off, size int) {
	sum := sha1.Sum(b[off+32 : off+size])
	copy(b[off+12:], sum[:])
	binary.LittleEndian.PutUint32(b[off+8:], adler32.Checksum(b[off+12:off+size]))
}

func TestContainer(t *testing.T) {
	main39, second39 := fixture(t, "classes039.dex"), fixture(t, "second039.dex")
	wantMain := descriptorsOf(t, main39)
	wantSecond := descriptorsOf(t, second39)

	t.Run("two DEX files", func(t *testing.T) {
		img := buildContainer(t, main39, second39)
		f, err := Parse(img)
		require.NoError(t, err)
		assert.Empty(t, f.Warnings)
		require.Len(t, f.Headers, 2)
		assert.Equal(t, "041", f.Version())
		assert.Equal(t, int64(0), f.Headers[0].Offset)
		assert.Equal(t, int64(len(main39)+8), f.Headers[1].Offset)
		for _, h := range f.Headers {
			assert.Equal(t, "041", h.Version)
			assert.Equal(t, uint32(headerSizeV41), h.HeaderSize)
			assert.Equal(t, uint32(len(img)), h.ContainerSize)
		}
		assert.Equal(t, len(wantMain)+len(wantSecond), f.NumClasses())
		got, err := f.ClassDescriptors()
		require.NoError(t, err)
		assert.Equal(t, append(slices.Clone(wantMain), wantSecond...), got)
		assert.True(t, f.ChecksumOK())
		assert.True(t, f.SignatureOK())

		found, err := f.FindStrings([]string{"UMENG_APPKEY", "Lcn/jpush/android/api/JPushInterface;", "smile 😀", "absent"})
		require.NoError(t, err)
		assert.Equal(t, map[string]int{"UMENG_APPKEY": 2, "Lcn/jpush/android/api/JPushInterface;": 1, "smile 😀": 1}, found)
		assert.Equal(t, numStrings(t, main39)+numStrings(t, second39), f.NumStrings())
	})

	t.Run("one DEX", func(t *testing.T) {
		f, err := Parse(buildContainer(t, second39))
		require.NoError(t, err)
		require.Len(t, f.Headers, 1)
		got, err := f.ClassDescriptors()
		require.NoError(t, err)
		assert.Equal(t, wantSecond, got)
	})

	t.Run("checksum of the second DEX wrong", func(t *testing.T) {
		img := buildContainer(t, main39, second39)
		img[len(img)-1] ^= 0xff // inside the second DEX's map list
		f, err := Parse(img)
		require.NoError(t, err)
		assert.False(t, f.ChecksumOK())
		assert.False(t, f.SignatureOK())
	})

	second := len(main39) + 8 // where the second header starts
	hostile := []struct {
		name  string
		patch func(b []byte) []byte
		msg   string
	}{
		{"container_size past EOF", func(b []byte) []byte {
			return b[:len(b)-1]
		}, "container_size larger than the file"},
		{"second header_offset wrong", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[second+0x74:], 0)
			return b
		}, "header_offset does not match"},
		{"first header_offset wrong", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[0x74:], 8)
			return b
		}, "header_offset does not match"},
		{"second DEX version 039", func(b []byte) []byte {
			copy(b[second+4:], "039")
			return b
		}, "below 041"},
		{"first file_size past the container", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[0x20:], uint32(len(b)+1))
			return b
		}, "file_size runs past the end of the container"},
		{"first file_size smaller than its header", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[0x20:], 0x10)
			return b
		}, "file_size smaller than header_size"},
		{"container_size differs between headers", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[second+0x70:], uint32(len(b)-4))
			return b
		}, "container_size differs"},
		{"container ends in half a header", func(b []byte) []byte {
			b = append(b, make([]byte, 0x40)...)
			binary.LittleEndian.PutUint32(b[0x70:], uint32(len(b)))
			binary.LittleEndian.PutUint32(b[second+0x70:], uint32(len(b)))
			return b
		}, "truncated DEX header in container"},
		{"header_size 0x70 in DEX 041", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[0x24:], headerSize)
			return b
		}, "header_size too small"},
		{"class_defs of two DEX files overlap", func(b []byte) []byte {
			// Each table fits, but together they claim more classes than
			// the container can hold: K such headers would make
			// NumClasses grow as K × size.
			binary.LittleEndian.PutUint32(b[second+0x60:], uint32(len(b)/classDefSize))
			binary.LittleEndian.PutUint32(b[second+0x64:], 0)
			return b
		}, "class_defs of the container's DEX files add up to more"},
		{"second string_ids past the container", func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[second+0x3c:], uint32(len(b)-4))
			return b
		}, "string_ids table runs past"},
	}
	for _, tc := range hostile {
		t.Run(tc.name, func(t *testing.T) {
			img := tc.patch(buildContainer(t, main39, second39))
			_, err := Parse(img)
			require.ErrorIs(t, err, ErrFormat)
			assert.ErrorContains(t, err, tc.msg)
		})
	}

	t.Run("trailing bytes after the container", func(t *testing.T) {
		img := append(buildContainer(t, main39, second39), 1, 2, 3)
		f, err := Parse(img)
		require.NoError(t, err)
		require.Len(t, f.Warnings, 1)
		assert.Contains(t, f.Warnings[0], "3 bytes after the declared container_size")
		assert.Equal(t, len(wantMain)+len(wantSecond), f.NumClasses())
	})
}

func descriptorsOf(t testing.TB, b []byte) []string {
	t.Helper()
	f, err := Parse(b)
	require.NoError(t, err)
	d, err := f.ClassDescriptors()
	require.NoError(t, err)
	return d
}

func numStrings(t testing.TB, b []byte) int {
	t.Helper()
	f, err := Parse(b)
	require.NoError(t, err)
	return f.NumStrings()
}
