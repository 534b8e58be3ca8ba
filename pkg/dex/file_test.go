package dex

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// smaliClasses returns the class descriptors declared by the .class lines
// of the smali sources under dir: what smali was asked to assemble.
func smaliClasses(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	eachSmaliLine(t, dir, func(_, line string) {
		if f := strings.Fields(line); len(f) > 1 && f[0] == ".class" {
			out = append(out, f[len(f)-1])
		}
	})
	slices.Sort(out)
	return out
}

// TestFixtures reads the DEX files smali built from testdata/smali (see
// testdata/gen.sh) and checks them against the sources.
func TestFixtures(t *testing.T) {
	wantMain := smaliClasses(t, "testdata/smali/main")
	wantSecond := smaliClasses(t, "testdata/smali/second")
	require.Contains(t, wantMain, "Lcom/例子/Über;")
	tests := []struct {
		file    string
		version string
		classes []string
	}{
		{"classes035.dex", "035", wantMain},
		{"classes037.dex", "037", wantMain},
		{"classes038.dex", "038", wantMain},
		{"classes039.dex", "039", wantMain},
		{"second039.dex", "039", wantSecond},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			f, err := Open(filepath.Join("testdata", tc.file))
			require.NoError(t, err)
			defer f.Close()
			assert.Equal(t, tc.version, f.Version())
			require.Len(t, f.Headers, 1)
			assert.Empty(t, f.Warnings)
			assert.True(t, f.ChecksumOK(), "smali writes a correct checksum")
			assert.True(t, f.SignatureOK(), "smali writes a correct signature")
			assert.Equal(t, len(tc.classes), f.NumClasses())

			got, err := f.ClassDescriptors()
			require.NoError(t, err)
			slices.Sort(got)
			assert.Equal(t, tc.classes, got)

			var streamed []string
			require.NoError(t, f.EachClass(func(d string) error {
				streamed = append(streamed, d)
				return nil
			}))
			slices.Sort(streamed)
			assert.Equal(t, tc.classes, streamed)
		})
	}
}

func TestNewFileMatchesParse(t *testing.T) {
	b := fixture(t, "classes039.dex")
	f1, err := NewFile(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	require.NoError(t, f1.Close()) // a no-op for NewFile; f2 stays usable
	f2, err := Parse(b)
	require.NoError(t, err)
	assert.Equal(t, f2.Headers, f1.Headers)

	// A reader shorter than the size it is said to have.
	_, err = NewFile(bytes.NewReader(b[:100]), int64(len(b)))
	require.Error(t, err)
	_, err = NewFile(bytes.NewReader(b), -1)
	require.ErrorIs(t, err, ErrFormat)
	_, err = NewFile(bytes.NewReader(b), 1<<40)
	require.ErrorIs(t, err, ErrFormat)

	_, err = Open(filepath.Join("testdata", "missing.dex"))
	require.ErrorIs(t, err, fs.ErrNotExist)
	_, err = Open(filepath.Join("testdata", "gen.sh"))
	require.ErrorIs(t, err, ErrFormat)
	assert.Contains(t, err.Error(), "gen.sh")
}

func TestEachClassBytesStops(t *testing.T) {
	f, err := Parse(fixture(t, "classes039.dex"))
	require.NoError(t, err)
	stop := errors.New("enough")
	n := 0
	err = f.EachClassBytes(func([]byte) error { n++; return stop })
	assert.Equal(t, stop, err)
	assert.Equal(t, 1, n)
}

func TestEachClassBytesAllocs(t *testing.T) {
	f, err := Parse(fixture(t, "classes039.dex"))
	require.NoError(t, err)
	umeng := 0
	pkgs := map[string]*int{"com/umeng/analytics": &umeng}
	allocs := testing.AllocsPerRun(100, func() {
		_ = f.EachClassBytes(func(desc []byte) error {
			if p, ok := DescriptorPackageBytes(desc); ok {
				if c := pkgs[string(p)]; c != nil {
					*c++
				}
			}
			return nil
		})
	})
	// One scratch buffer for the non-ASCII descriptor, nothing per class.
	assert.LessOrEqual(t, allocs, 1.0)
	assert.Positive(t, umeng)
}

func TestFindStrings(t *testing.T) {
	f, err := Parse(fixture(t, "classes039.dex"))
	require.NoError(t, err)

	got, err := f.FindStrings(nil)
	require.NoError(t, err)
	assert.Nil(t, got)
	assert.Zero(t, testing.AllocsPerRun(10, func() { _, _ = f.FindStrings(nil) }))

	got, err = f.FindStrings([]string{
		"UMENG_APPKEY", "UMENG_APPKEY", // duplicates count once
		"nul\x00inside", // stored as 0xC0 0x80
		"smile 😀",       // stored as a surrogate pair
		"Lcom/例子/Über;", // two- and three-byte characters
		"<init>", "",    // smallest entries of the table
		"umeng_appkey", "UMENG", "UMENG_APPKEYS", "zzz", "nul", // absent
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{
		"UMENG_APPKEY": 1, "nul\x00inside": 1, "smile 😀": 1, "Lcom/例子/Über;": 1, "<init>": 1,
	}, got)

	// Every entry of the table is found by binary search: the table is
	// sorted the way compareMUTF8 orders strings.
	var all []string
	require.NoError(t, f.EachString(func(s []byte) error {
		all = append(all, string(s))
		return nil
	}))
	require.Len(t, all, f.NumStrings())
	got, err = f.FindStrings(all)
	require.NoError(t, err)
	assert.Len(t, got, len(all))
	assert.Contains(t, all, "smile 😀")
}

func TestDescriptorToClass(t *testing.T) {
	tests := []struct {
		desc, pkg, class string
		ok               bool
	}{
		{"Lcom/umeng/analytics/MobclickAgent;", "com/umeng/analytics", "com.umeng.analytics.MobclickAgent", true},
		{"Lcom/a/B$C;", "com/a", "com.a.B$C", true},
		{"LDefault;", "", "Default", true},
		{"Lcom/例子/Über;", "com/例子", "com.例子.Über", true},
		{"[Lcom/a/B;", "", "", false},
		{"I", "", "", false},
		{"L;", "", "", false},
		{"Lcom/a/B", "", "", false},
		{"", "", "", false},
	}
	for _, tc := range tests {
		pkg, class, ok := DescriptorToClass(tc.desc)
		assert.Equal(t, tc.ok, ok, tc.desc)
		assert.Equal(t, tc.pkg, pkg, tc.desc)
		assert.Equal(t, tc.class, class, tc.desc)
		bp, bok := DescriptorPackageBytes([]byte(tc.desc))
		assert.Equal(t, tc.ok, bok, tc.desc)
		assert.Equal(t, tc.pkg, string(bp), tc.desc)
	}
}

func TestMUTF8(t *testing.T) {
	tests := []struct {
		name  string
		mutf8 []byte
		utf8  string
	}{
		{"ascii", []byte("Lcom/a/B;"), "Lcom/a/B;"},
		{"encoded NUL", []byte{'a', 0xC0, 0x80, 'b'}, "a\x00b"},
		{"two-byte", []byte("Über"), "Über"},
		{"three-byte", []byte("例子"), "例子"},
		{"surrogate pair", []byte{0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}, "😀"},
		{"unpaired high surrogate", []byte{0xED, 0xA0, 0xBD, 'x'}, "\uFFFDx"},
		{"unpaired low surrogate", []byte{0xED, 0xB8, 0x80}, "\uFFFD"},
		{"high surrogate at end", []byte{'x', 0xED, 0xA0, 0xBD}, "x\uFFFD"},
		{"stray continuation", []byte{0x80, 'a'}, "\uFFFDa"},
		{"truncated two-byte", []byte{'a', 0xC3}, "a\uFFFD"},
		{"four-byte UTF-8 is not MUTF-8", []byte("😀"), "\uFFFD\uFFFD\uFFFD\uFFFD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.utf8, DecodeMUTF8(tc.mutf8))
		})
	}
	for _, s := range []string{"", "Lcom/a/B;", "a\x00b", "Über 例子 😀 \U0010FFFF"} {
		enc := EncodeMUTF8(nil, s)
		assert.Equal(t, s, DecodeMUTF8(enc), "round trip %q", s)
		assert.NotContains(t, enc, byte(0), "MUTF-8 never holds a NUL byte")
	}
	// UTF-16 order, not UTF-8 byte order: U+FFFD (EF BF BD) sorts after
	// U+1F600 (a surrogate pair, ED A0 BD …) in UTF-16 and before it in UTF-8.
	assert.Negative(t, compareMUTF8(EncodeMUTF8(nil, "😀"), EncodeMUTF8(nil, "\uFFFD")))
	assert.Negative(t, compareMUTF8([]byte("ab"), []byte("abc\x00zzz")))
	assert.Zero(t, compareMUTF8([]byte("abc"), []byte("abc\x00zzz")))
	assert.Positive(t, compareMUTF8([]byte("abd"), []byte("abc")))
}

// malformed cases, built from a real DEX by patching it in test code.
func TestMalformed(t *testing.T) {
	orig := fixture(t, "classes039.dex")
	u32 := func(b []byte, off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	set := func(off int, v uint32) func([]byte) []byte {
		return func(b []byte) []byte { binary.LittleEndian.PutUint32(b[off:], v); return b }
	}
	classOff := int(u32(orig, 0x64))
	typeOff := int(u32(orig, 0x44))
	strOff := int(u32(orig, 0x3c))
	firstTypeStr := int(u32(orig, typeOff+4*int(u32(orig, classOff)))) // descriptor_idx of class 0

	parseErrors := []struct {
		name  string
		patch func([]byte) []byte
		msg   string
	}{
		{"empty", func([]byte) []byte { return nil }, "shorter than a DEX header"},
		{"bad magic", func(b []byte) []byte { copy(b, "dey\n"); return b }, "bad magic"},
		{"magic without NUL", func(b []byte) []byte { b[7] = 'x'; return b }, "bad magic"},
		{"version not digits", func(b []byte) []byte { copy(b[4:], "03x"); return b }, "bad version"},
		{"version 034", func(b []byte) []byte { copy(b[4:], "034"); return b }, "unsupported DEX version"},
		{"version 099", func(b []byte) []byte { copy(b[4:], "099"); return b }, "unsupported DEX version"},
		{"big-endian", set(0x28, reverseEndianConstant), "big-endian"},
		{"bad endian tag", set(0x28, 0), "bad endian_tag"},
		{"header_size small", set(0x24, 0x20), "header_size too small"},
		{"file_size below header_size", set(0x20, 0x40), "file_size smaller than header_size"},
		{"file_size past EOF", set(0x20, uint32(len(orig)+1)), "file_size larger than the file"},
		{"string_ids_size huge", set(0x38, 0x7fffffff), "string_ids table runs past"},
		{"string_ids_size max", set(0x38, 0xffffffff), "string_ids table runs past"},
		{"string_ids_off past EOF", set(0x3c, uint32(len(orig))), "string_ids table runs past"},
		{"type_ids_size huge", set(0x40, 0x7fffffff), "type_ids table runs past"},
		{"proto_ids_off past EOF", set(0x4c, 0xfffffff0), "proto_ids table runs past"},
		{"field_ids_size huge", set(0x50, 0x10000000), "field_ids table runs past"},
		{"method_ids_size huge", set(0x58, 0x10000000), "method_ids table runs past"},
		{"class_defs_off past EOF", set(0x64, uint32(len(orig))), "class_defs table runs past"},
		{"class_defs_off near 4 GiB", set(0x64, 0xffffffe0), "class_defs table runs past"},
		{"class_defs_size huge", set(0x60, 0x7fffffff), "class_defs table runs past"},
		{"map_off past EOF", set(0x34, uint32(len(orig))), "map_off past the end"},
		{"version 041 without container fields", func(b []byte) []byte { copy(b[4:], "041"); return b }, "header_offset does not match"},
	}
	for _, tc := range parseErrors {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.patch(slices.Clone(orig))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			f, err := Parse(b)
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, ErrFormat)
			assert.Nil(t, f)
			assert.ErrorContains(t, err, tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "dex: "), err.Error())
			var fe *FormatError
			require.ErrorAs(t, err, &fe)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<10), "a lying header must not cause a big allocation")
		})
	}

	t.Run("truncated", func(t *testing.T) {
		for _, cut := range []int{0, 1, 8, 0x6f, 0x70, 0x71, len(orig) / 3, len(orig) / 2, len(orig) - 1} {
			_, err := Parse(orig[:cut])
			require.ErrorIs(t, err, ErrFormat, "cut at %d", cut)
		}
	})

	// Errors found while walking the tables: Parse succeeds (it reads only
	// the header), the walk fails with a FormatError instead of panicking.
	walkErrors := []struct {
		name  string
		patch func([]byte) []byte
		msg   string
	}{
		{"class_idx out of range", set(classOff, 0xffff), "class_idx out of range"},
		{"class_idx max", set(classOff, 0xffffffff), "class_idx out of range"},
		{"descriptor_idx out of range", set(typeOff+4*int(u32(orig, classOff)), 0x7fffffff), "string index out of range"},
		{"string_data_off past EOF", set(strOff+4*firstTypeStr, uint32(len(orig))), "string_data_off past the end"},
		{"string_data_off at last byte", set(strOff+4*firstTypeStr, uint32(len(orig)-1)), ""},
		{"bad uleb128", func(b []byte) []byte {
			p := int(u32(b, strOff+4*firstTypeStr))
			copy(b[p:], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			return b
		}, "bad uleb128"},
		{"unterminated string", func(b []byte) []byte {
			// Point the first class's name at bytes appended after the
			// map list that hold no NUL, and grow file_size over them.
			p := len(b)
			b = append(b, 5, 'L', 'a', 'b', 'c', ';')
			binary.LittleEndian.PutUint32(b[0x20:], uint32(len(b)))
			binary.LittleEndian.PutUint32(b[strOff+4*firstTypeStr:], uint32(p))
			return b
		}, "unterminated string data"},
	}
	for _, tc := range walkErrors {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.patch(slices.Clone(orig)))
			require.NoError(t, err)
			_, err = f.ClassDescriptors()
			require.ErrorIs(t, err, ErrFormat)
			assert.ErrorContains(t, err, tc.msg)
		})
	}

	t.Run("wrong checksum", func(t *testing.T) {
		b := slices.Clone(orig)
		b[8] ^= 1
		f, err := Parse(b)
		require.NoError(t, err, "a bad checksum is not fatal")
		assert.False(t, f.ChecksumOK())
		assert.True(t, f.SignatureOK(), "the signature does not cover the checksum")
		got, err := f.ClassDescriptors()
		require.NoError(t, err)
		assert.Len(t, got, f.NumClasses())
	})

	t.Run("corrupt body", func(t *testing.T) {
		b := slices.Clone(orig)
		b[len(b)-2] ^= 1
		f, err := Parse(b)
		require.NoError(t, err)
		assert.False(t, f.ChecksumOK())
		assert.False(t, f.SignatureOK())
	})

	t.Run("trailing bytes", func(t *testing.T) {
		f, err := Parse(append(slices.Clone(orig), 0, 0, 0, 0))
		require.NoError(t, err)
		require.Len(t, f.Warnings, 1)
		assert.Contains(t, f.Warnings[0], "4 bytes after the declared file_size")
		assert.True(t, f.ChecksumOK(), "the checksum covers file_size bytes")
	})
}

// TestRepeatedStringBudget is a hostile DEX no toolchain writes: 30,000
// class_defs all naming one 500 KB string. Walking it naively scans 15 GB;
// the scan budget turns that into a FormatError after about 2 MB.
func TestRepeatedStringBudget(t *testing.T) {
	const classes, strLen = 30000, 500 << 10
	b := make([]byte, headerSize)
	copy(b, "dex\n039\x00")
	put := func(off int, v uint32) { binary.LittleEndian.PutUint32(b[off:], v) }
	put(0x24, headerSize)
	put(0x28, endianConstant)
	put(0x38, 1) // one string
	put(0x3c, headerSize)
	put(0x40, 1) // one type
	put(0x44, headerSize+4)
	put(0x60, classes)
	put(0x64, headerSize+8)
	b = binary.LittleEndian.AppendUint32(b, uint32(headerSize+8+classDefSize*classes)) // string_data_off
	b = binary.LittleEndian.AppendUint32(b, 0)                                         // type 0 → string 0
	b = append(b, make([]byte, classDefSize*classes)...)                               // class_idx 0 each
	b = append(b, 0x80, 0x80, 0x20)                                                    // uleb128 utf16_size
	b = append(b, 'L')
	b = append(b, bytes.Repeat([]byte{'a'}, strLen)...)
	b = append(b, ';', 0)
	put(0x20, uint32(len(b)))

	f, err := Parse(b)
	require.NoError(t, err)
	start := time.Now()
	n := 0
	err = f.EachClassBytes(func([]byte) error { n++; return nil })
	require.ErrorIs(t, err, ErrFormat)
	assert.ErrorContains(t, err, "scan budget exhausted")
	assert.Less(t, n, 20)
	assert.Less(t, time.Since(start), 2*time.Second)

	// The same string named once is fine.
	put(0x60, 1)
	f, err = Parse(b)
	require.NoError(t, err)
	got, err := f.ClassDescriptors()
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Len(t, got[0], strLen+2)
}

func TestFormatError(t *testing.T) {
	err := error(&FormatError{Off: 0x38, Msg: "string_ids table runs past the end of the file", Val: 7})
	assert.Equal(t, "dex: string_ids table runs past the end of the file (7) at offset 0x38", err.Error())
	assert.ErrorIs(t, err, ErrFormat)
	assert.NotErrorIs(t, err, fs.ErrNotExist)
	assert.Equal(t, "dex: bad magic at offset 0x0", (&FormatError{Msg: "bad magic"}).Error())
}
