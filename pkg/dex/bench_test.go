package dex

import (
	"archive/zip"
	"io"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// largestAppiumDex returns the largest classes*.dex of the real 18 MB
// multi-DEX Appium APK in testdata/external, inflated in memory, and the
// entry itself.
func largestAppiumDex(b *testing.B) ([]byte, *zip.File) {
	b.Helper()
	ext := externalCorpus(b)
	if ext == "" {
		b.Skip("testdata/external is absent (make corpus): no large DEX to benchmark")
	}
	zr, err := zip.OpenReader(filepath.Join(ext, "npm", "appium-uiautomator2-server-v10.6.6.apk"))
	if err != nil {
		b.Skipf("appium APK unreadable: %v", err)
	}
	b.Cleanup(func() { zr.Close() })
	var best *zip.File
	for _, e := range zr.File {
		base := path.Base(e.Name)
		if strings.HasPrefix(base, "classes") && strings.HasSuffix(base, ".dex") &&
			(best == nil || e.UncompressedSize64 > best.UncompressedSize64) {
			best = e
		}
	}
	if best == nil {
		b.Skip("no classes*.dex in the appium APK")
	}
	rc, err := best.Open()
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 256<<20))
	if err != nil {
		b.Fatal(err)
	}
	return data, best
}

// BenchmarkParseClasses parses the largest DEX of the Appium APK and walks
// every class descriptor, aggregating packages as pkg/inventory does.
func BenchmarkParseClasses(b *testing.B) {
	data, _ := largestAppiumDex(b)
	pkgs := make(map[string]*int) // lookups with string(p) do not allocate
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		err = f.EachClassBytes(func(desc []byte) error {
			if p, ok := DescriptorPackageBytes(desc); ok {
				if c := pkgs[string(p)]; c != nil {
					*c++
				} else {
					c = new(int)
					*c = 1
					pkgs[string(p)] = c
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(pkgs)), "packages")
}

// BenchmarkClassDescriptors is the allocating form: one string per class.
func BenchmarkClassDescriptors(b *testing.B) {
	data, _ := largestAppiumDex(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.ClassDescriptors(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChecksum is the optional Adler-32 verification.
func BenchmarkChecksum(b *testing.B) {
	data, _ := largestAppiumDex(b)
	f, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if !f.ChecksumOK() {
			b.Fatal("checksum")
		}
	}
}

// BenchmarkInflate is the yardstick: inflating the same zip entry, the
// step before Parse in pkg/inventory.
func BenchmarkInflate(b *testing.B) {
	data, e := largestAppiumDex(b)
	buf := make([]byte, 0, len(data))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		inflateInto(b, e, buf)
	}
}

type sliceWriter struct{ buf []byte }

func (w *sliceWriter) Write(p []byte) (int, error) { w.buf = append(w.buf, p...); return len(p), nil }
