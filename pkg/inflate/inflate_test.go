package inflate

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// outcome is how a stream inflated into a buffer of want bytes ends, as
// container.ReadAll tells it: all want bytes and the stream ends there
// ("ok"), more than want ("overflow"), fewer ("short"), the input ends
// inside the stream ("eof") or the stream is malformed ("corrupt"). Errors
// after all want bytes were delivered count as "ok", as they do for a
// reader that stops at the declared size.
type outcome struct {
	data []byte
	end  string
}

// reference inflates src with compress/flate, the oracle.
func reference(src []byte, want int) outcome {
	r := flate.NewReader(bytes.NewReader(src))
	buf := make([]byte, want)
	n, err := io.ReadFull(r, buf)
	switch {
	case err == nil:
		var one [1]byte
		if k, _ := io.ReadFull(r, one[:]); k > 0 {
			return outcome{buf, "overflow"}
		}
		return outcome{buf, "ok"}
	case err == io.ErrUnexpectedEOF && n < want:
		// ReadFull says this for a stream that ends cleanly too: ask again.
		_, err2 := r.Read(one())
		if err2 == io.EOF {
			return outcome{buf[:n], "short"}
		}
		return outcome{buf[:n], classify(err2)}
	case err == io.EOF:
		return outcome{buf[:0], "short"}
	}
	return outcome{buf[:n], classify(err)}
}

func one() []byte { return make([]byte, 1) }

func classify(err error) string {
	var ce flate.CorruptInputError
	switch {
	case err == io.ErrUnexpectedEOF:
		return "eof"
	case errors.As(err, &ce):
		return "corrupt"
	}
	return "other: " + err.Error()
}

// ours inflates src with Decode and tells the outcome the same way.
func ours(src []byte, want int) outcome {
	buf := make([]byte, want)
	n, err := Decode(buf, src)
	var ce CorruptInputError
	switch {
	case err == nil && n == want:
		return outcome{buf, "ok"}
	case err == nil:
		return outcome{buf[:n], "short"}
	case err == ErrOverflow:
		return outcome{buf[:n], "overflow"}
	case n == want:
		return outcome{buf, "ok"}
	case err == io.ErrUnexpectedEOF:
		return outcome{buf[:n], "eof"}
	case errors.As(err, &ce):
		return outcome{buf[:n], "corrupt"}
	}
	return outcome{buf[:n], "other: " + err.Error()}
}

func sameOutcome(t *testing.T, name string, src []byte, want int) {
	t.Helper()
	r, o := reference(src, want), ours(src, want)
	if r.end != o.end || !bytes.Equal(r.data, o.data) {
		t.Errorf("%s (want %d bytes): compress/flate says %s with %d bytes, Decode says %s with %d bytes (first difference at %d)",
			name, want, r.end, len(r.data), o.end, len(o.data), firstDiff(r.data, o.data))
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func compress(t testing.TB, data []byte, level int) []byte {
	var b bytes.Buffer
	w, err := flate.NewWriter(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// bitWriter writes a DEFLATE bit stream by hand, for the streams no encoder
// writes (degenerate codes, bad distances, reserved block types).
type bitWriter struct {
	out []byte
	acc uint64
	n   uint
}

func (w *bitWriter) bits(v uint64, n uint) *bitWriter {
	w.acc |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
	return w
}

// code writes a Huffman code of length l, most significant bit first.
func (w *bitWriter) code(c uint64, l uint) *bitWriter {
	for i := int(l) - 1; i >= 0; i-- {
		w.bits(c>>uint(i)&1, 1)
	}
	return w
}

func (w *bitWriter) bytes() []byte {
	if w.n > 0 {
		return append(w.out, byte(w.acc))
	}
	return w.out
}

// dynamicHeader writes a dynamic block header whose code length code gives
// every length 0..15 (and 16..18) a 5-bit code, then the given litlen and
// distance code lengths literally.
func dynamicHeader(w *bitWriter, final uint64, lit, dist []uint8) {
	w.bits(final, 1).bits(2, 2)
	w.bits(uint64(len(lit)-257), 5).bits(uint64(len(dist)-1), 5).bits(19-4, 4)
	// 19 code length codes of lengths: 16 codes of 5 bits would be
	// incomplete; use 13 of length 4 and 6 of length 5: 13/16 + 6/32 = 1.
	var cl [19]uint8
	for i := range cl {
		if i < 13 {
			cl[i] = 4
		} else {
			cl[i] = 5
		}
	}
	for _, sym := range codeOrder {
		w.bits(uint64(cl[sym]), 3)
	}
	codes := canonical(cl[:])
	for _, l := range append(append([]uint8{}, lit...), dist...) {
		w.code(uint64(codes[l]), uint(cl[l]))
	}
}

// canonical returns the canonical Huffman codes of lengths.
func canonical(lengths []uint8) []int {
	var count [16]int
	for _, l := range lengths {
		if l > 0 {
			count[l]++
		}
	}
	// RFC 1951 3.2.2
	var next [16]int
	code := 0
	for l := 1; l <= 15; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	codes := make([]int, len(lengths))
	for s, l := range lengths {
		if l > 0 {
			codes[s] = next[l]
			next[l]++
		}
	}
	return codes
}

func fixedBlock(final uint64) *bitWriter {
	return new(bitWriter).bits(final, 1).bits(1, 2)
}

// fixed literal codes: 0-143 are 8 bits from 0x30, 256-279 7 bits from 0.
func (w *bitWriter) lit(b byte) *bitWriter {
	if b < 144 {
		return w.code(0x30+uint64(b), 8)
	}
	return w.code(0x190+uint64(b-144), 9)
}
func (w *bitWriter) eob() *bitWriter { return w.code(0, 7) }

func TestDecodeCases(t *testing.T) {
	text := bytes.Repeat([]byte("classes.dex Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String; "), 400)
	random := make([]byte, 70000)
	x := uint32(1)
	for i := range random {
		x = x*1664525 + 1013904223
		random[i] = byte(x >> 24)
	}
	cases := map[string][]byte{
		"empty input":           nil,
		"stored":                compress(t, text, flate.NoCompression),
		"stored random":         compress(t, random, flate.NoCompression),
		"huffman only":          compress(t, text, flate.HuffmanOnly),
		"best speed":            compress(t, text, flate.BestSpeed),
		"best compression":      compress(t, text, flate.BestCompression),
		"random best":           compress(t, random, flate.BestCompression),
		"empty stream":          compress(t, nil, flate.DefaultCompression),
		"fixed literals":        fixedBlock(1).lit('a').lit(200).lit('b').eob().bytes(),
		"fixed not final":       fixedBlock(0).lit('a').eob().bits(1, 1).bits(1, 2).lit('z').eob().bytes(),
		"reserved block type":   new(bitWriter).bits(1, 1).bits(3, 2).bits(0, 16).bytes(),
		"fixed symbol 286":      fixedBlock(1).lit('a').code(0xc6, 8).bytes(),
		"fixed distance 30":     fixedBlock(1).lit('a').code(1, 7).code(30, 5).bytes(),
		"distance too far":      fixedBlock(1).lit('a').code(1, 7).code(1, 5).eob().bytes(),
		"fixed match":           fixedBlock(1).lit('a').lit('b').code(2, 7).code(1, 5).eob().bytes(),       // length 4, distance 2
		"run of one byte":       fixedBlock(1).lit('q').code(0xc5, 8).bits(31, 5).code(0, 5).eob().bytes(), // length 258, distance 1
		"stored len mismatch":   new(bitWriter).bits(1, 1).bits(0, 2).bits(0, 5).bits(5, 16).bits(5, 16).bytes(),
		"stored empty":          new(bitWriter).bits(1, 1).bits(0, 2).bits(0, 5).bits(0, 16).bits(0xffff, 16).bytes(),
		"stored past the input": append(new(bitWriter).bits(1, 1).bits(0, 2).bits(0, 5).bits(9, 16).bits(0xfff6, 16).bytes(), "abc"...),
		"trailing garbage":      append(compress(t, text, flate.BestSpeed), "garbage after the final block"...),
	}
	// A dynamic block whose distance code is empty (legal while no match
	// needs it), one with a single distance code of length 1, and an
	// over-subscribed one.
	lit := make([]uint8, 257)
	for i := range lit {
		lit[i] = 9 // 256 codes of 9 bits and one more: over-subscribed
	}
	lit8 := make([]uint8, 257)
	for i := 0; i < 255; i++ {
		lit8[i] = 8
	}
	lit8[255], lit8[256] = 9, 9 // 255/256 + 2/512 = 1: complete
	litCodes := canonical(lit8)
	{
		w := new(bitWriter)
		dynamicHeader(w, 1, lit8, []uint8{0})
		w.code(uint64(litCodes['h']), 8).code(uint64(litCodes['i']), 8).code(uint64(litCodes[256]), 9)
		cases["dynamic empty distance code"] = w.bytes()
	}
	{
		w := new(bitWriter)
		dynamicHeader(w, 1, lit8, []uint8{1})
		w.code(uint64(litCodes['h']), 8).code(uint64(litCodes[256]), 9)
		cases["dynamic one distance code"] = w.bytes()
	}
	{
		w := new(bitWriter)
		dynamicHeader(w, 1, lit, []uint8{1})
		w.bits(0, 20)
		cases["dynamic over-subscribed"] = w.bytes()
	}
	for name, src := range cases {
		for _, want := range []int{0, 1, 3, 100, len(text) - 1, len(text), len(text) + 1, len(random), len(random) + 5} {
			sameOutcome(t, name, src, want)
			// Every cut of the stream, for the small ones.
			if len(src) < 600 && want == len(text) {
				for cut := range len(src) {
					sameOutcome(t, name+" cut", src[:cut], want)
				}
			}
		}
	}
}

// TestDecodeCorpus inflates every deflated entry of every archive in the
// shared and external corpus and compares bytes and outcome with
// compress/flate.
func TestDecodeCorpus(t *testing.T) {
	var roots []string
	for _, r := range []string{testenv.LookupShared(t, "corpus"), testenv.LookupExternal(t)} {
		if r != "" {
			roots = append(roots, r)
		}
	}
	if len(roots) == 0 {
		t.Skip("neither ../shared/corpus nor testdata/external (make corpus) is present: skipped")
	}
	files, entries := 0, 0
	for _, root := range roots {
		filepath.WalkDir(root, func(path string, de fs.DirEntry, err error) error {
			if err != nil || de.IsDir() || !archiveName(path) {
				return nil
			}
			zr, err := zip.OpenReader(path)
			if err != nil {
				return nil // not every .apk in the corpus is a valid zip
			}
			defer zr.Close()
			files++
			for _, f := range zr.File {
				if f.Method != zip.Deflate || f.UncompressedSize64 > 256<<20 {
					continue
				}
				rc, err := f.OpenRaw()
				if err != nil {
					continue
				}
				src, err := io.ReadAll(rc)
				if err != nil {
					continue
				}
				entries++
				sameOutcome(t, path+"!"+f.Name, src, int(f.UncompressedSize64))
			}
			return nil
		})
	}
	if entries == 0 {
		t.Fatalf("no deflated entry found under %v", roots)
	}
	t.Logf("%d archives, %d deflated entries, all equal to compress/flate", files, entries)
}

func archiveName(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".apk", ".jar", ".aar", ".aab", ".apks", ".xapk", ".apkm", ".zip":
		return true
	}
	return false
}

// FuzzDecode holds Decode to compress/flate's bytes and outcome on
// arbitrary streams and output sizes.
func FuzzDecode(f *testing.F) {
	text := []byte("Landroid/location/LocationManager;->getLastKnownLocation ")
	for _, level := range []int{flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.HuffmanOnly} {
		f.Add(compress(f, bytes.Repeat(text, 50), level), uint16(len(text)*50))
	}
	f.Add(fixedBlock(1).lit('a').lit('b').code(2, 7).code(1, 5).eob().bytes(), uint16(6))
	if dex := testenv.LookupExternal(f, "npm", "appium-uiautomator2-server-v10.6.6.apk"); dex != "" {
		if zr, err := zip.OpenReader(dex); err == nil {
			for _, zf := range zr.File {
				if zf.Method == zip.Deflate && zf.CompressedSize64 < 4096 {
					if rc, err := zf.OpenRaw(); err == nil {
						if b, err := io.ReadAll(rc); err == nil {
							f.Add(b, uint16(zf.UncompressedSize64))
						}
					}
				}
			}
			zr.Close()
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, want uint16) {
		sameOutcome(t, "fuzz", src, int(want))
	})
}

// BenchmarkDecode inflates the DEX entries of the appium APK with Decode,
// with klauspost/compress (what container read before) and with
// compress/flate, for the ratios.
func BenchmarkDecode(b *testing.B) {
	path := testenv.External(b, "npm", "appium-uiautomator2-server-v10.6.6.apk")
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	type entry struct {
		src  []byte
		size int
	}
	var dex []entry
	total := 0
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".dex") && f.Method == zip.Deflate {
			rc, _ := f.OpenRaw()
			src, _ := io.ReadAll(rc)
			dex = append(dex, entry{src, int(f.UncompressedSize64)})
			total += int(f.UncompressedSize64)
		}
	}
	buf := make([]byte, 64<<20)
	b.Run("inflate", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, e := range dex {
				if _, err := Decode(buf[:e.size], e.src); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, e := range dex {
				klauspostInflate(b, e.src, buf[:e.size])
			}
		}
	})
	b.Run("compress-flate", func(b *testing.B) {
		b.SetBytes(int64(total))
		for b.Loop() {
			for _, e := range dex {
				r := flate.NewReader(bytes.NewReader(e.src))
				if _, err := io.ReadFull(r, buf[:e.size]); err != nil {
					b.Fatal(err)
				}
				r.Close()
			}
		}
	})
}
