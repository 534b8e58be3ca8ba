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
	configRel = "testdata/fixtures/apk/miitee-config.apk"
	// dex041Headers is how many DEX headers the 041 container case holds:
	// far past limits.DexFiles (256).
	dex041Headers = 100000
	// sparseDexSize is the size of the sparse bare DEX: 1 GiB, past EntrySize.
	sparseDexSize = 1 << 30
)

// budgets writes the cases of per-scan budgets and of bundle manifests
// that lie: a DEX 041 container of 100,000 headers, a sparse 1 GiB bare
// DEX, and XAPKs of real APKs (the fixture and its aapt-built config split)
// whose manifest.json names the config split as the base, or holds no base.
func (g *gen) budgets() error {
	if err := g.dex041Many(); err != nil {
		return err
	}
	if err := g.sparseDex(); err != nil {
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
	return g.write("apk/xapk-no-base.xapk", "XAPK of two config splits (split= in their manifests), one named the base by manifest.json", b)
}
