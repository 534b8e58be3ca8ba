package native

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFixture(t *testing.T) {
	f, err := Open(fixture(t), limits.Limits{})
	require.NoError(t, err)
	assert.Equal(t, "libapkaudit-jni.so", f.Soname)
	assert.Equal(t, []string{"libm.so.6"}, f.Needed)
	assert.Equal(t, 64, f.Bits)
	assert.NotEmpty(t, f.ABI)
	var got []JNIMethod
	for _, m := range f.JNI {
		got = append(got, JNIMethod{Class: m.Class, Method: m.Method, Args: m.Args})
	}
	assert.ElementsMatch(t, []JNIMethod{
		{Class: "cn.example.sdk.Push", Method: "init"},
		{Class: "com.example.my_sdk.Util", Method: "get_id"},
		{Class: "com.example.Codec", Method: "decode", Args: "Ljava/lang/String;I"},
		{Class: "com.example.Codec", Method: "decode", Args: "[[B"},
		{Class: "com.example.Outer$Inner", Method: "run"},
		{Class: "com.example.Café", Method: "ping"},
	}, got, "Java_com_example_Bad_4x and Java_helper are not JNI names")
	assert.Equal(t, []string{"cn.example.sdk.service.PushProtocol", "com.example.Outer$Inner"}, f.ClassStrings,
		"platform classes, two-segment names and prose are not kept")
	assert.Equal(t, []string{"cn.example.sdk.Push", "cn.example.sdk.service.PushProtocol", "com.example.Café",
		"com.example.Codec", "com.example.Outer$Inner", "com.example.my_sdk.Util"}, f.Classes())
	assert.Empty(t, f.Warnings)
}

// TestOracle checks every library of the dev set and the fixture against
// binutils: readelf -h (class, machine), readelf -A (ARM CPU architecture),
// readelf -d (SONAME, NEEDED), nm -D --defined-only (Java_* exports) and
// readelf -p (the strings of the .rodata sections).
func TestOracle(t *testing.T) {
	for _, tool := range []string{"readelf", "nm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s (binutils) is the oracle of this test: install binutils (make deps)", tool)
		}
	}
	files := append([]string{fixture(t)}, devSet(t)...)
	if len(files) == 1 {
		t.Log("testdata/external/sdk-binaries is absent (make corpus): only the fixture is checked")
	}
	for _, path := range files {
		t.Run(strings.TrimPrefix(path, "../../testdata/external/sdk-binaries/"), func(t *testing.T) {
			f, err := Open(path, limits.Limits{})
			require.NoError(t, err)
			assert.Empty(t, f.Warnings, "a real library reads whole")
			hdr := run(t, "readelf", "-h", path)
			want := oracleABI(t, hdr, run(t, "readelf", "-A", path))
			assert.Equal(t, want, f.ABI, "ABI")
			dyn := run(t, "readelf", "-d", "-W", path)
			assert.Equal(t, bracketed(dyn, "(SONAME)"), optional(f.Soname), "SONAME")
			assert.Equal(t, bracketed(dyn, "(NEEDED)"), f.Needed, "NEEDED")

			var exports []string
			for _, line := range lines(run(t, "nm", "-D", "--defined-only", path)) {
				fields := strings.Fields(line)
				if len(fields) == 3 && strings.HasPrefix(fields[2], "Java_") && strings.ContainsAny(fields[1], "Tt") {
					exports = append(exports, fields[2])
				}
			}
			var decoded []string
			for _, m := range f.JNI {
				decoded = append(decoded, m.Symbol)
			}
			for _, s := range exports {
				if _, ok := DecodeJNI(s); !ok {
					continue // the fixture's deliberate non-JNI names
				}
				assert.Contains(t, decoded, s)
			}
			assert.Subset(t, exports, decoded)

			assert.Equal(t, oracleClassStrings(t, path), f.ClassStrings, "class strings")
		})
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	require.NoError(t, err, "%s %v", name, args)
	return string(out)
}

func lines(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") }

func optional(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// bracketed returns the [values] of readelf -d lines tagged tag.
func bracketed(out, tag string) []string {
	var v []string
	for _, line := range lines(out) {
		if strings.Contains(line, tag) {
			if i, j := strings.Index(line, "["), strings.LastIndex(line, "]"); i >= 0 && j > i {
				v = append(v, line[i+1:j])
			}
		}
	}
	return v
}

// oracleABI maps readelf's Class and Machine (and for ARM its Tag_CPU_arch) to an Android ABI.
func oracleABI(t *testing.T, hdr, attrs string) string {
	field := func(name string) string {
		for _, line := range lines(hdr) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == name {
				return strings.TrimSpace(v)
			}
		}
		t.Fatalf("readelf -h printed no %s", name)
		return ""
	}
	class, machine := field("Class"), field("Machine")
	switch {
	case machine == "AArch64":
		return "arm64-v8a"
	case machine == "ARM":
		if m := regexp.MustCompile(`Tag_CPU_arch: v(\d+)`).FindStringSubmatch(attrs); m != nil && m[1] < "7" && len(m[1]) == 1 {
			return "armeabi"
		}
		return "armeabi-v7a"
	case machine == "Intel 80386":
		return "x86"
	case machine == "Advanced Micro Devices X86-64":
		return "x86_64"
	case strings.HasPrefix(machine, "MIPS") && class == "ELF32":
		return "mips"
	case strings.HasPrefix(machine, "MIPS"):
		return "mips64"
	}
	t.Fatalf("no Android ABI for %s %s", class, machine)
	return ""
}

// classShape is a JVM internal class name of three segments or more.
var classShape = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(/[A-Za-z_$][A-Za-z0-9_$]*){2,}$`)

// oracleClassStrings lists, from readelf -p of every .rodata* section, the
// class-shaped strings outside the platform packages, dotted, sorted, unique.
func oracleClassStrings(t *testing.T, path string) []string {
	ef, err := elf.Open(path)
	require.NoError(t, err)
	defer ef.Close()
	seen := map[string]bool{}
	var out []string
	for _, s := range ef.Sections {
		if s.Type != elf.SHT_PROGBITS || !strings.HasPrefix(s.Name, ".rodata") {
			continue
		}
		dump := run(t, "readelf", "-W", "-p", s.Name, path)
		sc := bufio.NewScanner(strings.NewReader(dump))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			i := strings.Index(line, "]  ")
			if !strings.HasPrefix(strings.TrimSpace(line), "[") || i < 0 {
				continue
			}
			str := line[i+3:]
			first, _, _ := strings.Cut(str, "/")
			if !classShape.MatchString(str) || len(str) > maxClassName || platformPackages[first] {
				continue
			}
			c := strings.ReplaceAll(str, "/", ".")
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	sort.Strings(out)
	return out
}

// section64 is the byte offset of field off of section i's header in an ELF64 little-endian image.
func section64(t *testing.T, b []byte, name string, off int) int {
	t.Helper()
	ef, err := elf.NewFile(bytes.NewReader(b))
	require.NoError(t, err)
	require.Equal(t, elf.ELFCLASS64, ef.Class)
	shoff := binary.LittleEndian.Uint64(b[0x28:])
	shentsize := binary.LittleEndian.Uint16(b[0x3a:])
	for i, s := range ef.Sections {
		if s.Name == name {
			return int(shoff) + i*int(shentsize) + off
		}
	}
	t.Fatalf("no section %s", name)
	return 0
}

// ELF64 section header field offsets.
const (
	shFlags  = 8
	shOffset = 24
	shSize   = 32
	shLink   = 40
)

// TestHostile feeds libraries broken on purpose, each generated from the
// fixture: an input that is no ELF shared library is one typed error; a
// library with an unreadable part is read with a warning for each part it
// spoils (.dynstr serves two); never a panic.
func TestHostile(t *testing.T) {
	good, err := os.ReadFile(fixture(t))
	require.NoError(t, err)
	patch := func(name string, field int, width int, v uint64) []byte {
		b := bytes.Clone(good)
		at := section64(t, b, name, field)
		if width == 4 {
			binary.LittleEndian.PutUint32(b[at:], uint32(v))
		} else {
			binary.LittleEndian.PutUint64(b[at:], v)
		}
		return b
	}
	flags := func(name string, add elf.SectionFlag) []byte {
		b := bytes.Clone(good)
		at := section64(t, b, name, shFlags)
		binary.LittleEndian.PutUint64(b[at:], binary.LittleEndian.Uint64(b[at:])|uint64(add))
		return b
	}
	exe := func() []byte {
		path := t.TempDir() + "/exe"
		cmd := exec.Command("cc", "-no-pie", "-x", "c", "-o", path, "-")
		cmd.Stdin = strings.NewReader("int main(void) { return 0; }\n")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "cc -no-pie: %s", out)
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return b
	}
	tests := []struct {
		name string
		in   []byte
		err  error  // the error wanted, or nil
		warn string // with no error: the warning wanted
	}{
		{"empty", nil, ErrFormat, ""},
		{"text", []byte(strings.Repeat("not an ELF file\n", 8)), ErrFormat, ""},
		{"truncated-10", good[:len(good)/10], ErrFormat, ""},
		{"truncated-50", good[:len(good)/2], ErrFormat, ""},
		{"truncated-headers", good[:len(good)-8], ErrFormat, ""},
		{"executable", exe(), ErrFormat, ""},
		{"dynsym-past-end", patch(".dynsym", shSize, 8, 1<<40), nil, "dynamic symbols (JNI exports) not read"},
		{"dynstr-offset-past-end", patch(".dynstr", shOffset, 8, uint64(len(good))+1), nil, "not read: native: section \".dynstr\""},
		{"rodata-past-end", patch(".rodata", shSize, 8, uint64(len(good))), nil, "section .rodata not scanned"},
		{"dynamic-link-out-of-range", patch(".dynamic", shLink, 4, 9999), nil, "dynamic section (soname, needed libraries) not read"},
		{"dynsym-link-out-of-range", patch(".dynsym", shLink, 4, 9999), nil, "dynamic symbols (JNI exports) not read"},
		{"rodata-compressed", flags(".rodata", elf.SHF_COMPRESSED), nil, "is compressed"},
		{"dynstr-compressed", flags(".dynstr", elf.SHF_COMPRESSED), nil, "is compressed"},
		{"versym-past-end", patch(".gnu.version", shSize, 8, 1<<40), nil, "dynamic symbols (JNI exports) not read"},
		{"unread-section-garbage", patch(".comment", shOffset, 8, 1<<50), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewFile(bytes.NewReader(tt.in), int64(len(tt.in)), limits.Limits{})
			if tt.err != nil {
				require.Error(t, err)
				assert.True(t, errors.Is(err, tt.err), "%v is not %v", err, tt.err)
				assert.True(t, strings.HasPrefix(err.Error(), "native: "), err.Error())
				return
			}
			require.NoError(t, err)
			if tt.warn == "" {
				assert.Empty(t, f.Warnings, "a garbage header of a section nobody reads costs nothing")
				assert.Equal(t, "libapkaudit-jni.so", f.Soname)
				return
			}
			require.NotEmpty(t, f.Warnings)
			assert.Contains(t, strings.Join(f.Warnings, "\n"), tt.warn)
		})
	}
}

func TestSizeLimit(t *testing.T) {
	good, err := os.ReadFile(fixture(t))
	require.NoError(t, err)
	_, err = NewFile(bytes.NewReader(good), int64(len(good)), limits.Limits{EntrySize: int64(len(good)) - 1})
	assert.ErrorIs(t, err, limits.ErrLimit)
	_, err = NewFile(bytes.NewReader(good), int64(len(good)), limits.Limits{EntrySize: int64(len(good))})
	assert.NoError(t, err)
}

// TestScanWindows checks that a class name split across two read windows is still found.
func TestScanWindows(t *testing.T) {
	name := "cn/example/sdk/Split"
	b := append(bytes.Repeat([]byte{0}, window-7), []byte(name)...)
	b = append(b, 0)
	b = append(b, []byte(strings.Repeat("x", maxClassName+10)+"/a/b")...)
	b = append(b, 0)
	var got []string
	require.NoError(t, scanStrings(bytes.NewReader(b), func(s []byte) bool {
		if c, ok := className(s); ok {
			got = append(got, c)
		}
		return true
	}))
	assert.Equal(t, []string{"cn.example.sdk.Split"}, got, "the over-long run is no name")
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.ReaderAt
	n int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n += int64(n)
	return n, err
}

// TestDuplicateRodataHeaders: section headers that all describe the whole file
// as .rodata must not make the class-string scan read the file once per header.
func TestDuplicateRodataHeaders(t *testing.T) {
	good, err := os.ReadFile(fixture(t))
	require.NoError(t, err)
	want, err := NewFile(bytes.NewReader(good), int64(len(good)), limits.Limits{})
	require.NoError(t, err)

	b := bytes.Clone(good)
	ef, err := elf.NewFile(bytes.NewReader(good))
	require.NoError(t, err)
	rodataName := binary.LittleEndian.Uint32(b[section64(t, b, ".rodata", 0):])
	patched := 0
	for _, s := range ef.Sections {
		if !strings.HasPrefix(s.Name, ".note") && !strings.HasPrefix(s.Name, ".comment") &&
			!strings.HasPrefix(s.Name, ".eh_frame") && !strings.HasPrefix(s.Name, ".init_array") &&
			!strings.HasPrefix(s.Name, ".fini_array") && s.Name != ".symtab" && s.Name != ".strtab" {
			continue
		}
		at := section64(t, b, s.Name, 0)
		binary.LittleEndian.PutUint32(b[at:], rodataName)
		binary.LittleEndian.PutUint32(b[at+4:], uint32(elf.SHT_PROGBITS))
		binary.LittleEndian.PutUint64(b[at+shFlags:], uint64(elf.SHF_ALLOC))
		binary.LittleEndian.PutUint64(b[at+shOffset:], 0)
		binary.LittleEndian.PutUint64(b[at+shSize:], uint64(len(b)))
		patched++
	}
	require.GreaterOrEqual(t, patched, 4, "the fixture has sections to patch")

	cr := &countingReader{r: bytes.NewReader(b)}
	got, err := NewFile(cr, int64(len(b)), limits.Limits{})
	require.NoError(t, err)
	assert.Subset(t, got.ClassStrings, want.ClassStrings, "the real .rodata is still scanned")
	assert.Less(t, cr.n, int64(4*len(b)), "%d section headers over the whole file: %d bytes read from %d", patched, cr.n, len(b))
}
