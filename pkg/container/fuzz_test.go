package container

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

func FuzzOpenArchive(f *testing.F) {
	// Small real APKs, when the shared corpus is beside the repository.
	dir := testenv.LookupShared(f, "corpus", "apk", "fdroidserver")
	// Only small ones: the fuzzer minimises every new input, which takes
	// long on large ones.
	for _, name := range []string{"minimal_targetsdk_30_unsigned.apk", "issue-1128-poc1.apk", "janus.apk"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			f.Add(b)
		}
	}
	// Malformed shapes.
	apk := buildZip(f, zipFile{name: "AndroidManifest.xml", data: []byte{3, 0, 8, 0}}, zipFile{name: "classes.dex", data: []byte("dex\n035\x00"), method: Deflate})
	f.Add(apk)
	f.Add(apk[:len(apk)-5])
	f.Add(nestZips(f, 3, Store))
	f.Add(nestZips(f, 2, Deflate))
	f.Add(bombZip(f, bombStream(f, 2), 1000, 0))
	f.Add(buildZip(f, zipFile{name: "a"}, zipFile{name: "a"}, zipFile{name: "../x"}))
	f.Add(append([]byte("dex\n035\x00"), apk...))
	f.Add([]byte("PK\x05\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte{})

	lim := limits.Limits{EntrySize: 1 << 20, TotalSize: 8 << 20, Depth: 2, Entries: 1000}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := OpenArchive(bytes.NewReader(b), int64(len(b)), lim)
		// The in-memory path (a memory-mapped artifact) must see the same archive.
		m, errMem := OpenArchive(Mem(b), int64(len(b)), lim)
		if (err == nil) != (errMem == nil) {
			t.Fatalf("ReaderAt: %v; Mem: %v", err, errMem)
		}
		if err != nil {
			Sniff(bytes.NewReader(b), int64(len(b)))
			return
		}
		walk(a)
		if d := sameArchive(a, m, true); d != "" {
			t.Fatal(d)
		}
	})
}

// walk calls every accessor of a and of the archives nested in it.
func walk(a *Archive) {
	_ = a.Warnings()
	_ = ArchiveKind(a)
	_ = Splits(a)
	_, _ = ReadXAPKManifest(a)
	if sb := a.SigningBlock(); sb != nil {
		sb.First(SigSchemeV2)
	}
	var buf []byte
	for _, e := range a.Entries() {
		if a.Lookup(e.Name) == nil {
			panic("entry not found by its own name: " + e.Name)
		}
		var err error
		buf, err = a.ReadAll(e, buf)
		if err == nil && uint64(len(buf)) != e.UncompressedSize {
			panic("ReadAll returned a size other than the declared one without error")
		}
		if rc, err := a.Open(e); err == nil {
			n, _ := io.Copy(io.Discard, rc)
			rc.Close()
			if uint64(n) > e.UncompressedSize {
				panic("Open delivered more than the declared size")
			}
		}
		if n, err := a.Nested(e); err == nil {
			walk(n)
		}
	}
}
