// Command gen-malformed writes the malformed-input regression cases of
// tests/malformed into OUTDIR: broken, truncated, lying and bomb-shaped APKs
// built from the real fixture testdata/fixtures/apk/miitee.apk, and broken
// policy documents built from the real demo policy. Output is deterministic
// (fixed RNG seed, fixed zip timestamps) and small on disk: the bombs are a
// few MB that inflate to gigabytes.
//
// usage (from the repository root; make malformed runs it):
//
//	go run ./scripts/gen-malformed OUTDIR
//
// Artifacts go to OUTDIR/apk/, policy documents to OUTDIR/policy/, batch
// outputs and other inputs to OUTDIR/jsonl/ and OUTDIR/inputs/, and
// OUTDIR/cases.txt lists every file with its size and what it is.
package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const (
	fixtureRel = "testdata/fixtures/apk/miitee.apk"
	policyRel  = "testdata/demo/privacy-policy.html"
	textRel    = "LICENSE"

	// dexBombSize is what the deflate-bomb classes.dex inflates to: about
	// 4 GiB, kept below 2^32 so the archive needs no zip64 records.
	dexBombSize = 4000 << 20
	// docxBombSize is how many spaces word/document.xml of the DOCX bomb holds.
	docxBombSize = 2 << 30
	// nestDepth is how many APKs the nested case wraps around the fixture.
	nestDepth = 30
	// divDepth is how deeply the HTML policy nests its <div> elements.
	divDepth = 100000
)

// modTime stamps every generated zip entry, so that output is reproducible.
var modTime = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// gen holds what every case is built from.
type gen struct {
	out     string
	rng     *rand.Rand
	fixture []byte // the real APK
	policy  []byte // the real demo policy
	text    []byte // a real plain-text file
	written []written
}

type written struct {
	path, what string
	size       int64
}

func main() {
	if len(os.Args) != 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: go run ./scripts/gen-malformed OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "gen-malformed:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	var err error
	g := &gen{out: out, rng: rand.New(rand.NewPCG(20261008, 164))}
	for _, f := range []struct {
		dst *[]byte
		rel string
	}{{&g.fixture, fixtureRel}, {&g.policy, policyRel}, {&g.text, textRel}} {
		if *f.dst, err = os.ReadFile(f.rel); err != nil {
			return fmt.Errorf("%w (run it from the repository root, as make malformed does)", err)
		}
	}
	for _, d := range []string{"apk", "policy", "sdkdb"} {
		if err := os.MkdirAll(filepath.Join(out, d), 0o755); err != nil {
			return err
		}
	}
	steps := []func() error{
		g.simple, g.truncated, g.randomManifest, g.hugeStringPool,
		g.dexBombs, g.nested, g.dexStringsPastEnd, g.dexBadChecksum,
		g.policies, g.docxBomb, g.pdfPolicies, g.hostileDocs, g.hostileNames,
		g.budgets, g.catalogues, g.outputs,
	}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return g.summary()
}

func (g *gen) write(rel, what string, data []byte) error {
	p := filepath.Join(g.out, rel)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return err
	}
	g.written = append(g.written, written{rel, what, int64(len(data))})
	return nil
}

func (g *gen) summary() error {
	sort.Slice(g.written, func(i, j int) bool { return g.written[i].path < g.written[j].path })
	var b strings.Builder
	var total int64
	for _, w := range g.written {
		fmt.Fprintf(&b, "%-34s %10d  %s\n", w.path, w.size, w.what)
		total += w.size
	}
	fmt.Fprintf(&b, "%d files, %d bytes\n", len(g.written), total)
	fmt.Print(b.String())
	return os.WriteFile(filepath.Join(g.out, "cases.txt"), []byte(b.String()), 0o644)
}

func (g *gen) randomBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.Uint32())
	}
	return b
}

// simple writes the cases that are not built from the fixture's structure.
func (g *gen) simple() error {
	if err := g.write("apk/empty.apk", "empty file", nil); err != nil {
		return err
	}
	if err := g.write("apk/random-4k.apk", "4 KiB of random bytes", g.randomBytes(4096)); err != nil {
		return err
	}
	return g.write("apk/text.apk", "plain text (the repo's LICENSE) named .apk", g.text)
}

// eocdOffset returns where the fixture's end of central directory record starts.
func eocdOffset(b []byte) (int, error) {
	i := bytes.LastIndex(b, []byte("PK\x05\x06"))
	if i < 0 {
		return 0, errors.New("fixture has no end of central directory record")
	}
	return i, nil
}

func (g *gen) truncated() error {
	n := len(g.fixture)
	for _, pct := range []int{10, 50, 90} {
		cut := n * pct / 100
		if err := g.write(fmt.Sprintf("apk/truncated-%d.apk", pct),
			fmt.Sprintf("fixture cut to its first %d%% (%d of %d bytes)", pct, cut, n), g.fixture[:cut]); err != nil {
			return err
		}
	}
	e, err := eocdOffset(g.fixture)
	if err != nil {
		return err
	}
	return g.write("apk/truncated-eocd.apk",
		fmt.Sprintf("fixture cut just before its end of central directory record (%d of %d bytes)", e, n), g.fixture[:e])
}

// entry is one zip entry to write: Data is compressed by archive/zip unless
// Raw is set, in which case Raw is copied as the entry's compressed bytes and
// the header (CRC32, sizes) is taken as given.
type entry struct {
	Header zip.FileHeader
	Data   []byte
	Raw    []byte
}

// fixtureEntries returns the fixture's entries, each to be copied raw.
func (g *gen) fixtureEntries() ([]entry, error) {
	zr, err := zip.NewReader(bytes.NewReader(g.fixture), int64(len(g.fixture)))
	if err != nil {
		return nil, err
	}
	var es []entry
	for _, f := range zr.File {
		rc, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		raw, err := io.ReadAll(rc)
		if err != nil {
			return nil, err
		}
		h := f.FileHeader
		h.Flags &^= 0x8 // sizes go into the local header, no data descriptor
		es = append(es, entry{Header: h, Raw: raw})
	}
	return es, nil
}

// fixtureEntry returns the uncompressed content of the fixture's entry name.
func (g *gen) fixtureEntry(name string) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(g.fixture), int64(len(g.fixture)))
	if err != nil {
		return nil, err
	}
	rc, err := zr.Open(name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// replace returns es with the entry called name given new content (or a new
// raw entry), keeping its position; it fails if there is no such entry.
func replace(es []entry, name string, e entry) ([]entry, error) {
	out := append([]entry(nil), es...)
	for i := range out {
		if out[i].Header.Name == name {
			out[i] = e
			return out, nil
		}
	}
	return nil, fmt.Errorf("fixture has no entry %q", name)
}

func deflated(name string, data []byte) entry {
	return entry{Header: zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modTime}, Data: data}
}

func writeZip(es []entry) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		h := e.Header
		var w io.Writer
		var err error
		if e.Raw != nil {
			w, err = zw.CreateRaw(&h)
			if err == nil {
				_, err = w.Write(e.Raw)
			}
		} else {
			w, err = zw.CreateHeader(&h)
			if err == nil {
				_, err = w.Write(e.Data)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("zip entry %q: %w", h.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// fixtureWith writes the fixture with entry name replaced by e.
func (g *gen) fixtureWith(name string, e entry) ([]byte, error) {
	es, err := g.fixtureEntries()
	if err != nil {
		return nil, err
	}
	if es, err = replace(es, name, e); err != nil {
		return nil, err
	}
	return writeZip(es)
}

func (g *gen) randomManifest() error {
	b, err := g.fixtureWith("AndroidManifest.xml", deflated("AndroidManifest.xml", g.randomBytes(11760)))
	if err != nil {
		return err
	}
	return g.write("apk/manifest-random.apk", "valid zip, the fixture's entries, AndroidManifest.xml is 11760 random bytes", b)
}

func (g *gen) hugeStringPool() error {
	m, err := g.fixtureEntry("AndroidManifest.xml")
	if err != nil {
		return err
	}
	// AXML: an 8-byte file header, then the string pool chunk
	// {type u16 = 0x0001, headerSize u16, size u32, stringCount u32, ...}.
	if len(m) < 20 || binary.LittleEndian.Uint16(m[8:]) != 0x0001 {
		return errors.New("fixture manifest does not start with a string pool")
	}
	m = bytes.Clone(m)
	binary.LittleEndian.PutUint32(m[16:], 0x7fffffff)
	b, err := g.fixtureWith("AndroidManifest.xml", deflated("AndroidManifest.xml", m))
	if err != nil {
		return err
	}
	return g.write("apk/manifest-strpool-huge.apk", "real AXML manifest whose string pool claims 0x7fffffff strings", b)
}

// repeatedDeflate returns a raw deflate stream of prefix, then n copies of
// chunk, then suffix, and its CRC32 and length. Each piece is compressed by
// compress/flate on its own and sync-flushed to a byte boundary, so the
// pieces concatenate into one valid stream: the chunk is compressed once and
// its output repeated, instead of compressing gigabytes.
func repeatedDeflate(prefix, chunk []byte, n int, suffix []byte) (raw []byte, crc uint32, size uint64, err error) {
	piece := func(p []byte, final bool) ([]byte, error) {
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(p); err != nil {
			return nil, err
		}
		if final {
			err = w.Close()
		} else {
			err = w.Flush()
		}
		return buf.Bytes(), err
	}
	head, err := piece(prefix, false)
	if err != nil {
		return nil, 0, 0, err
	}
	body, err := piece(chunk, false)
	if err != nil {
		return nil, 0, 0, err
	}
	tail, err := piece(suffix, true)
	if err != nil {
		return nil, 0, 0, err
	}
	var out bytes.Buffer
	out.Grow(len(head) + n*len(body) + len(tail))
	out.Write(head)
	h := crc32.NewIEEE()
	h.Write(prefix)
	for range n {
		out.Write(body)
		h.Write(chunk)
	}
	out.Write(tail)
	h.Write(suffix)
	size = uint64(len(prefix)) + uint64(n)*uint64(len(chunk)) + uint64(len(suffix))
	return out.Bytes(), h.Sum32(), size, nil
}

func (g *gen) dexBombs() error {
	const chunk = 16 << 20
	raw, crc, size, err := repeatedDeflate(nil, make([]byte, chunk), dexBombSize/chunk, nil)
	if err != nil {
		return err
	}
	honest := entry{Header: zip.FileHeader{
		Name: "classes.dex", Method: zip.Deflate, Modified: modTime,
		CRC32: crc, CompressedSize64: uint64(len(raw)), UncompressedSize64: size,
	}, Raw: raw}
	b, err := g.fixtureWith("classes.dex", honest)
	if err != nil {
		return err
	}
	if err := g.write("apk/dex-bomb.apk", fmt.Sprintf("classes.dex deflates %d bytes to %d zeros, sizes declared honestly", len(raw), size), b); err != nil {
		return err
	}
	lying := honest
	lying.Header.UncompressedSize64 = 4764 // the real classes.dex size
	if b, err = g.fixtureWith("classes.dex", lying); err != nil {
		return err
	}
	return g.write("apk/dex-bomb-lying.apk", fmt.Sprintf("classes.dex deflates to %d zeros, directory and local header claim 4764 bytes", size), b)
}

func (g *gen) nested() error {
	base, err := g.fixtureEntries()
	if err != nil {
		return err
	}
	inner := g.fixture
	for range nestDepth {
		es := append(append([]entry(nil), base...), entry{
			Header: zip.FileHeader{Name: "assets/inner.apk", Method: zip.Store, Modified: modTime},
			Data:   inner,
		})
		if inner, err = writeZip(es); err != nil {
			return err
		}
	}
	return g.write("apk/nested-30.apk", fmt.Sprintf("the fixture holding assets/inner.apk, %d levels deep, innermost the plain fixture", nestDepth), inner)
}

// fixDex recomputes the DEX header's SHA-1 signature and adler32 checksum.
func fixDex(d []byte) {
	sig := sha1.Sum(d[32:])
	copy(d[12:32], sig[:])
	binary.LittleEndian.PutUint32(d[8:], adler32.Checksum(d[12:]))
}

func (g *gen) realDex() ([]byte, error) {
	d, err := g.fixtureEntry("classes.dex")
	if err != nil {
		return nil, err
	}
	if len(d) < 0x70 || !bytes.HasPrefix(d, []byte("dex\n")) {
		return nil, errors.New("fixture classes.dex is not a DEX file")
	}
	return bytes.Clone(d), nil
}

func (g *gen) dexStringsPastEnd() error {
	d, err := g.realDex()
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(d[0x38:], 0x0fffffff) // string_ids_size
	fixDex(d)
	b, err := g.fixtureWith("classes.dex", deflated("classes.dex", d))
	if err != nil {
		return err
	}
	return g.write("apk/dex-strings-past-end.apk", "classes.dex header claims 0x0fffffff string ids (checksum and signature fixed up)", b)
}

func (g *gen) dexBadChecksum() error {
	d, err := g.realDex()
	if err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(d[8:], binary.LittleEndian.Uint32(d[8:])^0x5a5a5a5a)
	b, err := g.fixtureWith("classes.dex", deflated("classes.dex", d))
	if err != nil {
		return err
	}
	return g.write("apk/dex-bad-checksum.apk", "classes.dex with a wrong adler32 checksum, otherwise intact", b)
}

func (g *gen) policies() error {
	garbage := g.randomBytes(8192)
	for i := 0; i < len(garbage); i += 13 {
		garbage[i] = 0
	}
	if err := g.write("policy/garbage.txt", "8 KiB of random bytes, every 13th a NUL", garbage); err != nil {
		return err
	}
	if err := g.write("policy/empty.txt", "empty policy", nil); err != nil {
		return err
	}
	body, err := htmlBody(g.policy)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>小鹿记账隐私政策</title></head><body>\n")
	b.WriteString(strings.Repeat("<div>", divDepth))
	b.Write(body)
	b.WriteString(strings.Repeat("</div>", divDepth))
	b.WriteString("\n</body></html>\n")
	return g.write("policy/nested-divs.html", fmt.Sprintf("the demo policy's body inside %d nested <div> elements", divDepth), b.Bytes())
}

// htmlBody returns what lies between <body> and </body>.
func htmlBody(doc []byte) ([]byte, error) {
	i := bytes.Index(doc, []byte("<body>"))
	j := bytes.LastIndex(doc, []byte("</body>"))
	if i < 0 || j < i {
		return nil, errors.New("demo policy has no <body>")
	}
	return doc[i+len("<body>") : j], nil
}

func (g *gen) docxBomb() error {
	const chunk = 16 << 20
	prefix := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">我们会申请相机权限。`)
	suffix := []byte(`</w:t></w:r></w:p></w:body></w:document>`)
	raw, crc, size, err := repeatedDeflate(prefix, bytes.Repeat([]byte(" "), chunk), docxBombSize/chunk, suffix)
	if err != nil {
		return err
	}
	es := append(docxPackageParts(), entry{Header: zip.FileHeader{
		Name: "word/document.xml", Method: zip.Deflate, Modified: modTime,
		CRC32: crc, CompressedSize64: uint64(len(raw)), UncompressedSize64: size,
	}, Raw: raw})
	b, err := writeZip(es)
	if err != nil {
		return err
	}
	return g.write("policy/docx-bomb.docx", fmt.Sprintf("word/document.xml deflates %d bytes to %d bytes, mostly spaces", len(raw), size), b)
}
