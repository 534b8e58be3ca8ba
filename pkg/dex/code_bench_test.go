package dex

import (
	"archive/zip"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// BenchmarkScanCode walks the code of the largest DEX of the real Appium
// APK with the sensitive-API table: the per-DEX work ScanCode adds to a
// scan. Compare with BenchmarkInflate (the same entry inflated) and
// BenchmarkParseClasses.
func BenchmarkScanCode(b *testing.B) {
	data, _ := largestAppiumDex(b)
	_, q := tableQuery(b)
	benchScan(b, [][]byte{data}, q, 1)
}

// BenchmarkScanCodeJobs is BenchmarkScanCode split over two goroutines
// (ScanCodeJobs), as pkg/inventory walks a large DEX: wall time, with both
// cores free.
func BenchmarkScanCodeJobs(b *testing.B) {
	data, _ := largestAppiumDex(b)
	_, q := tableQuery(b)
	benchScan(b, [][]byte{data}, q, 2)
}

// synthetic holds the DEX entries of the synthetic APK, built once per run.
var synthetic struct {
	once    sync.Once
	zr      *zip.ReadCloser // kept open for the inflate benchmark
	entries []*zip.File
	dexes   [][]byte
	err     error
	skip    string
}

// syntheticDexes builds the 64 MB-of-DEX synthetic APK as scripts/bench.sh
// does (scripts/synth-apk over the Appium APKs, framework-res and every
// standalone DEX of testdata/external) and returns its DEX entries,
// inflated, with the zip entries for the inflate yardstick.
func syntheticDexes(b *testing.B) ([][]byte, []*zip.File) {
	b.Helper()
	synthetic.once.Do(func() {
		ext := walkRoot(b, externalCorpus(b))
		appium := filepath.Join(ext, "npm", "appium-uiautomator2-server-v10.6.6.apk")
		if _, err := os.Stat(appium); err != nil {
			synthetic.skip = "testdata/external is absent (make corpus): no synthetic APK to benchmark"
			return
		}
		var dexes []string
		_ = filepath.WalkDir(ext, func(p string, d fs.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".dex") {
				dexes = append(dexes, p)
			}
			return nil
		})
		sort.Strings(dexes)
		dir, err := os.MkdirTemp("", "synth")
		if err != nil {
			synthetic.err = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "synthetic.apk")
		args := append([]string{"run", "./scripts/synth-apk", "-base", appium, "-min-mb", "60", "-out", out,
			appium, filepath.Join(ext, "npm", "io.appium.settings-8.0.10.apk"), filepath.Join(ext, "framework-res.apk")}, dexes...)
		cmd := exec.Command("go", args...)
		cmd.Dir = repoRoot(b)
		if msg, err := cmd.CombinedOutput(); err != nil {
			synthetic.skip = "scripts/synth-apk failed: " + string(msg)
			return
		}
		zr, err := zip.OpenReader(out)
		if err != nil {
			synthetic.err = err
			return
		}
		synthetic.zr = zr // its file stays readable after dir is removed
		for _, e := range zr.File {
			if !strings.HasSuffix(e.Name, ".dex") {
				continue
			}
			rc, err := e.Open()
			if err != nil {
				synthetic.err = err
				return
			}
			data, err := io.ReadAll(io.LimitReader(rc, 256<<20))
			rc.Close()
			if err != nil {
				synthetic.err = err
				return
			}
			synthetic.dexes = append(synthetic.dexes, data)
			synthetic.entries = append(synthetic.entries, e)
		}
	})
	if synthetic.skip != "" {
		b.Skip(synthetic.skip)
	}
	if synthetic.err != nil {
		b.Fatal(synthetic.err)
	}
	return synthetic.dexes, synthetic.entries
}

// BenchmarkScanCodeSynthetic walks every DEX of the synthetic APK (64 MB of
// real DEX, scripts/synth-apk) with the sensitive-API table, one after the
// other on one core, parsing each as pkg/inventory does.
func BenchmarkScanCodeSynthetic(b *testing.B) {
	dexes, _ := syntheticDexes(b)
	_, q := tableQuery(b)
	benchScan(b, dexes, q, 1)
}

// BenchmarkInflateSynthetic is the yardstick for BenchmarkScanCodeSynthetic:
// inflating the same entries into a reused buffer, as pkg/inventory does
// before Parse.
func BenchmarkInflateSynthetic(b *testing.B) {
	dexes, entries := syntheticDexes(b)
	var size int64
	largest := 0
	for _, d := range dexes {
		size += int64(len(d))
		largest = max(largest, len(d))
	}
	buf := make([]byte, 0, largest)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, e := range entries {
			inflateInto(b, e, buf)
		}
	}
}

// inflateInto inflates the zip entry e into buf, reused.
func inflateInto(b *testing.B, e *zip.File, buf []byte) {
	rc, err := e.Open()
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	w := &sliceWriter{buf: buf[:0]}
	if _, err := io.Copy(w, rc); err != nil {
		b.Fatal(err)
	}
}

func benchScan(b *testing.B, dexes [][]byte, q *Query, jobs int) {
	var size int64
	for _, d := range dexes {
		size += int64(len(d))
	}
	var st CodeStats
	hits := 0
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		st, hits = CodeStats{}, 0
		for _, d := range dexes {
			f, err := Parse(d)
			if err != nil {
				b.Fatal(err)
			}
			s, err := f.ScanCodeJobs(q, jobs)
			if err != nil {
				b.Fatal(err)
			}
			st.Methods += s.Stats.Methods
			st.Invokes += s.Stats.Invokes
			st.Instructions += s.Stats.Instructions
			hits += len(s.Hits)
		}
	}
	b.ReportMetric(float64(len(dexes)), "dex")
	b.ReportMetric(float64(st.Methods), "code-items")
	b.ReportMetric(float64(st.Invokes), "invokes")
	b.ReportMetric(float64(hits), "hits")
}
