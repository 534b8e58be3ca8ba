package container

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

func benchAPK(b *testing.B) string {
	p := filepath.Join(externalDir(b), "npm", "appium-uiautomator2-server-v10.6.6.apk")
	if _, err := os.Stat(p); err != nil {
		b.Skipf("%s absent", p)
	}
	return p
}

func isDexName(n string) bool {
	return strings.HasPrefix(n, "classes") && strings.HasSuffix(n, ".dex") && !strings.Contains(n, "/")
}

// BenchmarkInflateAllDex reads every classes*.dex entry into a reused buffer.
func BenchmarkInflateAllDex(b *testing.B) {
	p := benchAPK(b)
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		a, err := OpenArchive(f, st.Size(), limits.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		var total int64
		for _, e := range a.Entries() {
			if isDexName(e.Name) {
				if buf, err = a.ReadAll(e, buf); err != nil {
					b.Fatal(err)
				}
				total += int64(len(buf))
			}
		}
		b.SetBytes(total)
	}
}

// BenchmarkInflateAllDexArchiveZip does the same with archive/zip.
func BenchmarkInflateAllDexArchiveZip(b *testing.B) {
	p := benchAPK(b)
	f, err := os.Open(p)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		zr, err := zip.NewReader(f, st.Size())
		if err != nil {
			b.Fatal(err)
		}
		var total int64
		for _, zf := range zr.File {
			if !isDexName(zf.Name) {
				continue
			}
			rc, err := zf.Open()
			if err != nil {
				b.Fatal(err)
			}
			n := int(zf.UncompressedSize64)
			if cap(buf) < n {
				buf = make([]byte, n)
			}
			buf = buf[:n]
			if _, err := io.ReadFull(rc, buf); err != nil {
				b.Fatal(err)
			}
			rc.Close()
			total += int64(n)
		}
		b.SetBytes(total)
	}
}

// BenchmarkOpenArchive opens the appium APK (3,841 entries): the central
// directory, every local header and the layout checks.
func BenchmarkOpenArchive(b *testing.B) {
	data, err := os.ReadFile(benchAPK(b))
	if err != nil {
		b.Fatal(err)
	}
	r := bytes.NewReader(data)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenArchive(r, int64(len(data)), limits.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
