package container

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// zipFile is one entry of a zip built by buildZip.
type zipFile struct {
	name   string
	data   []byte
	method uint16
}

// buildZip writes files with archive/zip.
func buildZip(t testing.TB, files ...zipFile) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, f := range files {
		fw, err := w.CreateHeader(&zip.FileHeader{Name: f.name, Method: f.method})
		require.NoError(t, err)
		_, err = fw.Write(f.data)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func openBytes(t testing.TB, b []byte, lim limits.Limits) (*Archive, error) {
	t.Helper()
	return OpenArchive(bytes.NewReader(b), int64(len(b)), lim)
}

func mustOpenBytes(t testing.TB, b []byte) *Archive {
	t.Helper()
	a, err := openBytes(t, b, limits.Limits{})
	require.NoError(t, err)
	return a
}

// cdHeader returns the offset of the i-th central directory header of b.
func cdHeader(t testing.TB, b []byte, i int) int {
	t.Helper()
	off := 0
	for n := 0; ; n++ {
		j := bytes.Index(b[off:], []byte("PK\x01\x02"))
		require.GreaterOrEqual(t, j, 0, "central directory header %d", i)
		if n == i {
			return off + j
		}
		off += j + 4
	}
}

func hasWarning(a *Archive, sub string) bool {
	for _, w := range a.Warnings() {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func TestJanusPolyglot(t *testing.T) {
	p := fdroid(t, "janus.apk")
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	a := openFile(t, p)
	// The zip starts where the first local header is; the DEX is before it.
	first := bytes.Index(raw, []byte("PK\x03\x04"))
	require.Positive(t, first)
	assert.Equal(t, int64(first), a.Prefix())
	assert.True(t, hasWarning(a, "data before the first zip entry ("+strconv.Itoa(first)+" bytes, starts with DEX magic: Janus-style DEX+ZIP polyglot"), "%q", a.Warnings())
	assert.Equal(t, KindAPK, ArchiveKind(a))
	dex, err := a.ReadAll(a.Lookup("classes.dex"), nil)
	require.NoError(t, err)
	assert.True(t, isDEX(dex))
}

// The fdroidserver issue 1128 proofs of concept make tools disagree on who
// signed an APK. Each must open and be flagged.
func TestIssue1128(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"issue-1128-poc1.apk", []string{"META-INF/CIARANG.RSA has no matching .SF"}},
		{"issue-1128-poc2.apk", []string{"2 APK Signature Scheme v2 blocks", "2 APK Signature Scheme v3 blocks"}},
		{"issue-1128-poc3a.apk", []string{"META-INF/CERT.RSA holds 2 certificates and the signer's is number 2"}},
		{"issue-1128-poc3b.apk", []string{"META-INF/CERT.RSA holds 2 certificates"}},
		{"issue-1128-min-sdk-30-poc.apk", []string{"2 APK Signature Scheme v2 blocks", "2 APK Signature Scheme v3 blocks"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			a := openFile(t, fdroid(t, tt.file))
			for _, w := range tt.want {
				assert.True(t, hasWarning(a, w), "want %q in %q", w, a.Warnings())
			}
			require.NotNil(t, a.Lookup("AndroidManifest.xml"))
			_, err := a.ReadAll(a.Lookup("classes.dex"), nil)
			require.NoError(t, err)
		})
	}
	// A plainly signed APK has none of these warnings.
	a := openFile(t, fdroid(t, "v2.only.sig_2.apk"))
	assert.Empty(t, a.Warnings())
	require.NotNil(t, a.SigningBlock())
	assert.NotNil(t, a.SigningBlock().First(SigSchemeV2))
}

func TestEmbeddedAPK(t *testing.T) {
	a := openFile(t, fdroid(t, "apk.embedded_1.apk"))
	splits := Splits(a)
	require.Len(t, splits, 1)
	assert.Equal(t, "org.bitbucket.tickytacky.mirrormirror_1.apk", splits[0].Path)
	assert.False(t, splits[0].Base)
	e := a.Lookup(splits[0].Path)
	require.NotNil(t, e)
	assert.Equal(t, Deflate, e.Method) // inflated into memory, then opened
	n, err := a.Nested(e)
	require.NoError(t, err)
	assert.Equal(t, 1, n.Depth())
	assert.Equal(t, KindAPK, ArchiveKind(n))

	// The oracle: archive/zip reading the same bytes from the corpus copy.
	want, err := zip.OpenReader(fdroid(t, "org.bitbucket.tickytacky.mirrormirror_1.apk"))
	require.NoError(t, err)
	defer want.Close()
	require.Len(t, n.Entries(), len(want.File))
	for i, f := range want.File {
		assert.Equal(t, f.Name, n.Entries()[i].Name)
		assert.Equal(t, f.UncompressedSize64, n.Entries()[i].UncompressedSize)
	}
	_, err = n.ReadAll(n.Lookup("classes.dex"), nil)
	require.NoError(t, err)
}

// nestZips wraps an APK in depth archives, each holding the next as inner.apk.
func nestZips(t testing.TB, depth int, method uint16) []byte {
	b := buildZip(t, zipFile{name: "AndroidManifest.xml", data: []byte("manifest")})
	for i := 0; i < depth; i++ {
		b = buildZip(t, zipFile{name: "AndroidManifest.xml", data: []byte("outer")}, zipFile{name: "inner.apk", data: b, method: method})
	}
	return b
}

func TestNestedDepthLimit(t *testing.T) {
	for _, method := range []uint16{Store, Deflate} {
		b := nestZips(t, 30, method)
		a, err := openBytes(t, b, limits.Limits{Depth: 4})
		require.NoError(t, err)
		depth := 0
		for {
			n, err := a.Nested(a.Lookup("inner.apk"))
			if err != nil {
				var le *limits.LimitError
				require.ErrorAs(t, err, &le, "method %d", method)
				assert.True(t, errors.Is(err, limits.ErrLimit))
				break
			}
			a = n
			depth++
			require.LessOrEqual(t, depth, 30)
		}
		assert.Equal(t, 4, depth, "method %d", method)
		assert.Equal(t, 4, a.Depth())
	}
}

// Stored nested archives are read in place: no copy of their bytes.
func TestNestedStoredIsZeroCopy(t *testing.T) {
	inner := buildZip(t, zipFile{name: "AndroidManifest.xml", data: bytes.Repeat([]byte("x"), 1<<20)})
	b := buildZip(t, zipFile{name: "inner.apk", data: inner, method: Store})
	a := mustOpenBytes(t, b)
	n, err := a.Nested(a.Lookup("inner.apk"))
	require.NoError(t, err)
	_, ok := n.r.(*io.SectionReader)
	assert.True(t, ok, "stored nested archive should be a SectionReader, got %T", n.r)
}

func TestTruncated(t *testing.T) {
	raw, err := os.ReadFile(fdroid(t, "urzip.apk"))
	require.NoError(t, err)
	cuts := []int{0, 1, 4, 21, 22, 30, 100, len(raw) / 3, len(raw) / 2, len(raw) - 200, len(raw) - 23, len(raw) - 1}
	for _, cut := range cuts {
		_, err := openBytes(t, raw[:cut], limits.Limits{})
		require.Error(t, err, "cut at %d", cut)
		assert.True(t, errors.Is(err, ErrFormat), "cut at %d: %v", cut, err)
		assert.True(t, strings.HasPrefix(err.Error(), "container: "), err.Error())
	}
	// Data cut out of the middle, directory intact: the archive opens, the
	// damaged entries fail clearly when read.
	mid := append([]byte(nil), raw...)
	for i := 100; i < len(raw)/2; i++ {
		mid[i] = 0
	}
	a, err := openBytes(t, mid, limits.Limits{})
	require.NoError(t, err)
	failed := 0
	for _, e := range a.Entries() {
		if _, err := a.ReadAll(e, nil); err != nil {
			failed++
			assert.True(t, strings.HasPrefix(err.Error(), "container: "), err.Error())
		}
	}
	assert.Positive(t, failed)
}

func TestAnomalies(t *testing.T) {
	dex := []byte("dex\n035\x00 some classes")
	t.Run("duplicate names: first wins", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "classes.dex", data: dex}, zipFile{name: "classes.dex", data: []byte("second")})
		a := mustOpenBytes(t, b)
		assert.Len(t, a.Entries(), 2)
		got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
		require.NoError(t, err)
		assert.Equal(t, dex, got)
		assert.True(t, hasWarning(a, `duplicate entry name "classes.dex"`), "%q", a.Warnings())
	})
	t.Run("encrypted flag on a plain entry", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "classes.dex", data: dex, method: Deflate})
		binary.LittleEndian.PutUint16(b[cdHeader(t, b, 0)+8:], binary.LittleEndian.Uint16(b[cdHeader(t, b, 0)+8:])|1)
		a := mustOpenBytes(t, b)
		got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
		require.NoError(t, err)
		assert.Equal(t, dex, got)
		assert.True(t, hasWarning(a, "encrypted flag"), "%q", a.Warnings())
	})
	t.Run("unknown method with equal sizes is stored", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "classes.dex", data: dex, method: Store})
		cd := cdHeader(t, b, 0)
		binary.LittleEndian.PutUint16(b[cd+10:], 0x4242)
		a := mustOpenBytes(t, b)
		got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
		require.NoError(t, err)
		assert.Equal(t, dex, got)
		assert.True(t, hasWarning(a, "unsupported compression method 16962 with equal sizes"), "%q", a.Warnings())
		assert.True(t, hasWarning(a, "local header of \"classes.dex\" declares compression method 0"), "%q", a.Warnings())
	})
	t.Run("CRC mismatch keeps the data", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "classes.dex", data: dex, method: Deflate})
		cd := cdHeader(t, b, 0)
		binary.LittleEndian.PutUint32(b[cd+16:], 0xdeadbeef)
		a := mustOpenBytes(t, b)
		got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
		require.NoError(t, err)
		assert.Equal(t, dex, got)
		assert.True(t, hasWarning(a, "central directory declares 0xdeadbeef"), "%q", a.Warnings())
		// The streaming reader reports it once too.
		rc, err := a.Open(a.Lookup("classes.dex"))
		require.NoError(t, err)
		got, err = io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		assert.Equal(t, dex, got)
	})
	t.Run("path traversal and absolute names", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "../../evil.so", data: dex}, zipFile{name: "/etc/passwd", data: dex}, zipFile{name: "a\\..\\b", data: dex})
		a := mustOpenBytes(t, b)
		assert.True(t, hasWarning(a, `"../../evil.so" has a ".." path element`), "%q", a.Warnings())
		assert.True(t, hasWarning(a, `"/etc/passwd" has an absolute path`), "%q", a.Warnings())
		assert.True(t, hasWarning(a, `"a\\..\\b" has a ".." path element`), "%q", a.Warnings())
	})
	t.Run("local header names another file", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "classes.dex", data: dex})
		copy(b[30:], "classes.dey")
		a := mustOpenBytes(t, b)
		assert.NotNil(t, a.Lookup("classes.dex"))
		assert.True(t, hasWarning(a, `local header of "classes.dex" names it "classes.dey"`), "%q", a.Warnings())
	})
	t.Run("declared size smaller than the data", func(t *testing.T) {
		data := bytes.Repeat([]byte("abcdefgh"), 1000)
		b := buildZip(t, zipFile{name: "classes.dex", data: data, method: Deflate})
		binary.LittleEndian.PutUint32(b[cdHeader(t, b, 0)+24:], 100)
		a := mustOpenBytes(t, b)
		got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
		var le *limits.LimitError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, data[:100], got)
		rc, err := a.Open(a.Lookup("classes.dex"))
		require.NoError(t, err)
		got, err = io.ReadAll(rc)
		require.ErrorAs(t, err, &le)
		assert.Len(t, got, 100)
		assert.True(t, hasWarning(a, "inflates past its declared size of 100 bytes"), "%q", a.Warnings())
	})
	t.Run("declared size larger than the data", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "classes.dex", data: dex, method: Deflate})
		binary.LittleEndian.PutUint32(b[cdHeader(t, b, 0)+24:], 5000)
		a := mustOpenBytes(t, b)
		got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
		require.ErrorIs(t, err, ErrFormat)
		assert.Contains(t, err.Error(), "ends after 21 of 5000 bytes")
		assert.Equal(t, dex, got)
	})
	t.Run("corrupt deflate data", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "classes.dex", data: bytes.Repeat(dex, 50), method: Deflate})
		a := mustOpenBytes(t, b)
		e := a.Lookup("classes.dex")
		for i := e.DataOffset(); i < e.DataOffset()+int64(e.CompressedSize); i++ {
			b[i] = 0xff
		}
		_, err := a.ReadAll(e, nil)
		require.ErrorIs(t, err, ErrFormat)
	})
	t.Run("prepended data without adjusted offsets", func(t *testing.T) {
		b := append([]byte("#!/bin/sh\nexit 0\n"), buildZip(t, zipFile{name: "classes.dex", data: dex})...)
		a := mustOpenBytes(t, b)
		got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
		require.NoError(t, err)
		assert.Equal(t, dex, got)
		assert.True(t, hasWarning(a, "prepended without adjusting offsets"), "%q", a.Warnings())
		assert.True(t, hasWarning(a, "starts with a shell script"), "%q", a.Warnings())
	})
	t.Run("hidden bytes between entries", func(t *testing.T) {
		b := buildZip(t, zipFile{name: "a", data: dex}, zipFile{name: "b", data: dex})
		b = insertAt(t, b, cdHeaderOffset(t, b, 1), []byte("HIDDEN PAYLOAD"))
		a := mustOpenBytes(t, b)
		got, err := a.ReadAll(a.Lookup("b"), nil)
		require.NoError(t, err)
		assert.Equal(t, dex, got)
		assert.True(t, hasWarning(a, "bytes in 1 gaps between entries"), "%q", a.Warnings())
	})
}

func TestLimits(t *testing.T) {
	big := bytes.Repeat([]byte{0}, 4<<20)
	b := buildZip(t, zipFile{name: "zeros", data: big, method: Deflate}, zipFile{name: "small", data: []byte("hi")})
	check := func(lim limits.Limits, wantLimit bool) {
		t.Helper()
		a, err := openBytes(t, b, lim)
		require.NoError(t, err)
		_, err = a.ReadAll(a.Lookup("zeros"), nil)
		if !wantLimit {
			require.NoError(t, err)
			return
		}
		var le *limits.LimitError
		require.ErrorAs(t, err, &le)
		assert.True(t, strings.HasPrefix(le.What, "container: entry \"zeros\""), le.What)
		_, err = a.Open(a.Lookup("zeros"))
		require.ErrorAs(t, err, &le)
	}
	check(limits.Limits{Ratio: 2000}, false)
	check(limits.Limits{EntrySize: 1 << 20, Ratio: 2000}, true)
	check(limits.Limits{Ratio: 100}, true) // 4 MiB of zeros deflate ~1000:1
	check(limits.Limits{TotalSize: 2 << 20, Ratio: 2000}, true)

	// The total budget is shared by all reads of one artifact.
	a, err := openBytes(t, b, limits.Limits{TotalSize: 6 << 20, Ratio: 2000})
	require.NoError(t, err)
	_, err = a.ReadAll(a.Lookup("zeros"), nil)
	require.NoError(t, err)
	_, err = a.ReadAll(a.Lookup("zeros"), nil)
	require.ErrorIs(t, err, limits.ErrLimit)

	_, err = openBytes(t, buildZip(t, zipFile{name: "a"}, zipFile{name: "b"}, zipFile{name: "c"}), limits.Limits{Entries: 2})
	require.ErrorIs(t, err, limits.ErrLimit)
}

func TestSplits(t *testing.T) {
	apk := buildZip(t, zipFile{name: "AndroidManifest.xml", data: []byte("m")})
	tests := []struct {
		name  string
		files []zipFile
		kind  Kind
		want  []Split
	}{
		{"xapk", []zipFile{
			{name: "manifest.json", data: []byte(`{"package_name":"com.example","version_code":"42","split_apks":[{"file":"com.example.apk","id":"base"},{"file":"config.arm64_v8a.apk","id":"config.arm64_v8a"}]}`)},
			{name: "config.arm64_v8a.apk", data: apk}, {name: "com.example.apk", data: apk}, {name: "icon.png", data: []byte("png")},
		}, KindXAPK, []Split{{"base", "com.example.apk", true}, {"config.arm64_v8a", "config.arm64_v8a.apk", false}}},
		{"apks", []zipFile{
			{name: "toc.pb", data: []byte{0x0a, 0x00}},
			{name: "splits/base-master.apk", data: apk}, {name: "splits/base-xxhdpi.apk", data: apk},
		}, KindAPKS, []Split{{"base", "splits/base-master.apk", true}, {"config.xxhdpi", "splits/base-xxhdpi.apk", false}}},
		{"apkm", []zipFile{
			{name: "info.json", data: []byte(`{"pname":"com.example"}`)},
			{name: "base.apk", data: apk}, {name: "split_config.en.apk", data: apk},
		}, KindAPKM, []Split{{"base", "base.apk", true}, {"split_config.en", "split_config.en.apk", false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := buildZip(t, tt.files...)
			k, err := Sniff(bytes.NewReader(b), int64(len(b)))
			require.NoError(t, err)
			assert.Equal(t, tt.kind, k)
			a := mustOpenBytes(t, b)
			got := Splits(a)
			assert.Equal(t, tt.want, got)
			for _, s := range got {
				n, err := a.Nested(a.Lookup(s.Path))
				require.NoError(t, err)
				assert.Equal(t, KindAPK, ArchiveKind(n))
			}
		})
	}
	m, err := ReadXAPKManifest(mustOpenBytes(t, buildZip(t, tests[0].files...)))
	require.NoError(t, err)
	assert.Equal(t, "com.example", m.PackageName)
	assert.EqualValues(t, 42, m.VersionCode)
}

func TestOpenFile(t *testing.T) {
	p := fdroid(t, "urzip.apk")
	f, err := Open(p)
	require.NoError(t, err)
	defer func() { require.NoError(t, f.Close()) }()
	raw, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, int64(len(raw)), f.Size())
	k, a, err := f.Identify(limits.Limits{})
	require.NoError(t, err)
	assert.Equal(t, KindAPK, k)
	assert.NotNil(t, a.Lookup("AndroidManifest.xml"))
	sum, err := f.SHA256()
	require.NoError(t, err)
	assert.Equal(t, sha256sum(t, p), sum)
	plain := NewFile(bytes.NewReader(raw), int64(len(raw)), p)
	sum2, err := plain.SHA256()
	require.NoError(t, err)
	assert.Equal(t, sum, sum2, "pread and mapping hash alike")
}

// sha256sum runs the sha256sum tool on path (the oracle for File.SHA256).
func sha256sum(t *testing.T, path string) string {
	out, err := exec.Command("sha256sum", path).Output()
	if err != nil {
		t.Skipf("sha256sum unavailable: %v", err)
	}
	return strings.Fields(string(out))[0]
}

// cdHeaderOffset returns the local header offset the i-th central directory header declares.
func cdHeaderOffset(t testing.TB, b []byte, i int) int {
	return int(binary.LittleEndian.Uint32(b[cdHeader(t, b, i)+42:]))
}

// insertAt inserts payload at pos of the zip b and fixes the offsets that
// point past it.
func insertAt(t testing.TB, b []byte, pos int, payload []byte) []byte {
	t.Helper()
	out := append(append(append([]byte(nil), b[:pos]...), payload...), b[pos:]...)
	n := uint32(len(payload))
	off := 0
	for {
		j := bytes.Index(out[off:], []byte("PK\x01\x02"))
		if j < 0 {
			break
		}
		h := off + j
		if o := binary.LittleEndian.Uint32(out[h+42:]); int(o) >= pos {
			binary.LittleEndian.PutUint32(out[h+42:], o+n)
		}
		off = h + 4
	}
	e := bytes.LastIndex(out, []byte("PK\x05\x06"))
	require.GreaterOrEqual(t, e, 0)
	if o := binary.LittleEndian.Uint32(out[e+16:]); int(o) >= pos {
		binary.LittleEndian.PutUint32(out[e+16:], o+n)
	}
	return out
}

// Entries may be read from several goroutines at once.
func TestConcurrentReads(t *testing.T) {
	a := openFile(t, fdroid(t, "org.dyndns.fules.ck_20.apk"))
	want := map[string][]byte{}
	for _, e := range a.Entries() {
		b, err := a.ReadAll(e, nil)
		require.NoError(t, err)
		want[e.Name] = b
	}
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			var buf []byte
			var err error
			for _, e := range a.Entries() {
				if buf, err = a.ReadAll(e, buf); err != nil || !bytes.Equal(buf, want[e.Name]) {
					errs <- errors.New("concurrent read of " + e.Name + " differs")
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		require.NoError(t, <-errs)
	}
}
