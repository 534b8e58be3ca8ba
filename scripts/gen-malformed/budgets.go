package main

import (
	"archive/zip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

const (
	// configRel is a real configuration split of the fixture, built by
	// testdata/fixtures/build.sh with aapt from testdata/fixtures/src/miitee-config.
	configRel = "testdata/fixtures/split/miitee-config.apk"
	// dex041Headers is how many DEX headers the 041 container case holds:
	// far past limits.DexFiles (256).
	dex041Headers = 100000
	// sparseDexSize is the size of the sparse bare DEX: 1 GiB, past EntrySize.
	sparseDexSize = 1 << 30
)

// budgets writes the cases of per-scan budgets and of bundle manifests
// that lie: a DEX 041 container of 100,000 headers, a sparse 1 GiB bare
// DEX, and XAPKs of real APKs (the fixture and its aapt-built config split)
// whose manifest.json names the config split as the base, or holds no base;
// and two bombs of overlapping entries (nested APKs, DEX files).
func (g *gen) budgets() error {
	if err := g.dex041Many(); err != nil {
		return err
	}
	if err := g.sparseDex(); err != nil {
		return err
	}
	if err := g.overlapping(); err != nil {
		return err
	}
	return g.lyingBundles()
}

// dex041Many writes the fixture with classes.dex replaced by a DEX 041
// container of dex041Headers minimal, valid DEX files (header only, every
// table empty), deflated.
func (g *gen) dex041Many() error {
	const hsize = 0x78
	img := make([]byte, dex041Headers*hsize)
	for i := range dex041Headers {
		h := img[i*hsize : (i+1)*hsize]
		copy(h, "dex\n041\x00")
		binary.LittleEndian.PutUint32(h[0x20:], hsize) // file_size
		binary.LittleEndian.PutUint32(h[0x24:], hsize) // header_size
		binary.LittleEndian.PutUint32(h[0x28:], 0x12345678)
		binary.LittleEndian.PutUint32(h[0x70:], uint32(len(img))) // container_size
		binary.LittleEndian.PutUint32(h[0x74:], uint32(i*hsize))  // header_offset
	}
	b, err := g.fixtureWith("classes.dex", deflated("classes.dex", img))
	if err != nil {
		return err
	}
	return g.write("apk/dex041-many.apk", fmt.Sprintf("classes.dex is a DEX 041 container of %d header-only DEX files", dex041Headers), b)
}

// sparseDex writes a bare DEX of sparseDexSize bytes, a hole after its
// magic: a few KB on disk.
func (g *gen) sparseDex() error {
	rel := "apk/sparse-1g.dex"
	p := filepath.Join(g.out, rel)
	if err := os.WriteFile(p, []byte("dex\n035\x00"), 0o644); err != nil {
		return err
	}
	if err := os.Truncate(p, sparseDexSize); err != nil {
		return err
	}
	g.written = append(g.written, written{rel, "bare DEX of 1 GiB, sparse (a hole after the magic)", sparseDexSize})
	return nil
}

// lyingBundles writes XAPKs of real APKs with manifests that lie.
func (g *gen) lyingBundles() error {
	config, err := os.ReadFile(configRel)
	if err != nil {
		return err
	}
	type split struct {
		File string `json:"file"`
		ID   string `json:"id"`
	}
	xapk := func(splits []split, apks map[string][]byte) ([]byte, error) {
		m, err := json.Marshal(map[string]any{
			"package_name": "com.example.miitee", "name": "Miitee", "version_code": "42",
			"version_name": "3.1.0", "split_apks": splits,
		})
		if err != nil {
			return nil, err
		}
		es := []entry{deflated("manifest.json", m)}
		for _, s := range splits {
			es = append(es, entry{Header: zip.FileHeader{Name: s.File, Method: zip.Store, Modified: modTime}, Data: apks[s.File]})
		}
		return writeZip(es)
	}
	apks := map[string][]byte{"com.example.miitee.apk": g.fixture, "config.xxhdpi.apk": config, "config.xxxhdpi.apk": config}
	b, err := xapk([]split{{"config.xxhdpi.apk", "base"}, {"com.example.miitee.apk", "config.xxhdpi"}}, apks)
	if err != nil {
		return err
	}
	if err := g.write("apk/xapk-lying-base.xapk", "XAPK of the fixture and its aapt-built config split; manifest.json names the config split as the base", b); err != nil {
		return err
	}
	b, err = xapk([]split{{"config.xxhdpi.apk", "base"}, {"config.xxxhdpi.apk", "config.xxxhdpi"}}, apks)
	if err != nil {
		return err
	}
	if err := g.write("apk/xapk-no-base.xapk", "XAPK of two config splits (split= in their manifests), one named the base by manifest.json", b); err != nil {
		return err
	}
	return g.baseOverBudget()
}

// baseOverBudget writes an XAPK whose base APK is deflated and inflates to
// more than the in-flight budget (limits.InFlight, 128 MiB): the fixture
// with 140 MB of stored zeros.
func (g *gen) baseOverBudget() error {
	base, err := g.fixtureEntries()
	if err != nil {
		return err
	}
	apk, err := writeZip(append(append([]entry(nil), base...), entry{
		Header: zip.FileHeader{Name: "assets/pad.bin", Method: zip.Store, Modified: modTime},
		Data:   make([]byte, 140<<20),
	}))
	if err != nil {
		return err
	}
	m := []byte(`{"package_name":"com.example.miitee","split_apks":[{"file":"base.apk","id":"base"}]}`)
	b, err := writeZip([]entry{deflated("manifest.json", m), deflated("base.apk", apk)})
	if err != nil {
		return err
	}
	return g.write("apk/xapk-base-over-budget.xapk", fmt.Sprintf("XAPK whose deflated base.apk inflates to %d MB, over the in-flight budget", len(apk)>>20), b)
}

const (
	// overlapPad is the zero padding stored in the APK nested by the
	// overlapping-nested case: the nested APK inflates to about 95 MB.
	overlapPad = 95 << 20
	// overlapNested is how many central-directory entries of that case
	// point at the one nested APK: 24 × 95 MB ≈ 2.3 GB if all were kept.
	overlapNested = 24
	// overlapDexChunks × 16 MiB of zeros follow a real DEX in the
	// overlapping-DEX case: each entry inflates to about 117 MB.
	overlapDexChunks = 7
	// overlapDex is how many entries of that case point at that one DEX:
	// 40 × 117 MB, past the 4 GiB total budget.
	overlapDex = 40
)

// overlapCopies returns the zip z with n-1 more central-directory records
// that are copies of the record of entry name, called fmt.Sprintf(pattern, i)
// for i in 1..n-1: entries that overlap, all pointing at one local header
// and its data (the zip bomb of overlapping entries).
func overlapCopies(z []byte, name, pattern string, n int) ([]byte, error) {
	eocd, err := eocdOffset(z)
	if err != nil {
		return nil, err
	}
	count := int(binary.LittleEndian.Uint16(z[eocd+10:]))
	cdSize := int(binary.LittleEndian.Uint32(z[eocd+12:]))
	cdOff := int(binary.LittleEndian.Uint32(z[eocd+16:]))
	cd := z[cdOff : cdOff+cdSize]
	var rec []byte
	for p := 0; p+46 <= len(cd); {
		nl := int(binary.LittleEndian.Uint16(cd[p+28:]))
		el := int(binary.LittleEndian.Uint16(cd[p+30:]))
		cl := int(binary.LittleEndian.Uint16(cd[p+32:]))
		if string(cd[p+46:p+46+nl]) == name {
			rec = cd[p : p+46]
		}
		p += 46 + nl + el + cl
	}
	if rec == nil {
		return nil, fmt.Errorf("no central directory record %q", name)
	}
	out := append([]byte(nil), z[:cdOff+cdSize]...)
	for i := 1; i < n; i++ {
		nm := fmt.Sprintf(pattern, i)
		r := append([]byte(nil), rec...)
		binary.LittleEndian.PutUint16(r[28:], uint16(len(nm)))
		binary.LittleEndian.PutUint16(r[30:], 0)
		binary.LittleEndian.PutUint16(r[32:], 0)
		out = append(append(out, r...), nm...)
	}
	end := append([]byte(nil), z[eocd:eocd+22]...)
	binary.LittleEndian.PutUint16(end[8:], uint16(count+n-1))
	binary.LittleEndian.PutUint16(end[10:], uint16(count+n-1))
	binary.LittleEndian.PutUint32(end[12:], uint32(len(out)-cdOff))
	binary.LittleEndian.PutUint16(end[20:], 0)
	return append(out, end...), nil
}

// overlapping writes the two overlapping-entries bombs of per-scan budgets:
// a small APK whose 24 nested APKs are one deflated APK of 95 MB (nested
// archives must be released as they are scanned), and an APK whose 40 DEX
// entries are one deflated DEX of 117 MB (the total budget and concurrent
// inflation).
func (g *gen) overlapping() error {
	base, err := g.fixtureEntries()
	if err != nil {
		return err
	}
	inner, err := writeZip(append(append([]entry(nil), base...), entry{
		Header: zip.FileHeader{Name: "assets/pad.bin", Method: zip.Store, Modified: modTime},
		Data:   make([]byte, overlapPad),
	}))
	if err != nil {
		return err
	}
	outer, err := writeZip(append(append([]entry(nil), base...), deflated("assets/n00.apk", inner)))
	if err != nil {
		return err
	}
	if outer, err = overlapCopies(outer, "assets/n00.apk", "assets/n%02d.apk", overlapNested); err != nil {
		return err
	}
	if err := g.write("apk/overlap-nested.apk", fmt.Sprintf("%d overlapping entries assets/nNN.apk, all one deflated APK of %d MB", overlapNested, len(inner)>>20), outer); err != nil {
		return err
	}

	d, err := g.realDex()
	if err != nil {
		return err
	}
	// Random bytes after the DEX keep the ratio under limits.Ratio (1000).
	raw, crc, size, err := repeatedDeflate(append(d, g.randomBytes(24<<10)...), make([]byte, 16<<20), overlapDexChunks, nil)
	if err != nil {
		return err
	}
	dex := entry{Header: zip.FileHeader{Name: "classes.dex", Method: zip.Deflate, Modified: modTime,
		CRC32: crc, CompressedSize64: uint64(len(raw)), UncompressedSize64: size}, Raw: raw}
	b, err := g.fixtureWith("classes.dex", dex)
	if err != nil {
		return err
	}
	if b, err = overlapCopies(b, "classes.dex", "bomb/classes%02d.dex", overlapDex); err != nil {
		return err
	}
	return g.write("apk/overlap-dex.apk", fmt.Sprintf("%d overlapping DEX entries, all one real DEX followed by zeros, deflated %d bytes to %d", overlapDex, len(raw), size), b)
}
