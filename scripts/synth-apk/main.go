// Command synth-apk builds a large multi-DEX APK for benchmarks from real
// files only: the manifest and resources of a real APK, and real DEX files
// (from real APKs and standalone DEX files) repeated as classes.dex,
// classes2.dex, … until the DEX total reaches the requested size. Entries are
// deflated as an APK builder would.
//
// usage: synth-apk -base BASE.apk -min-mb 60 -out OUT.apk DEXSOURCE...
// A DEXSOURCE is an APK (its classes*.dex entries are used) or a .dex file.
package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

func main() {
	base := flag.String("base", "", "real APK whose non-DEX entries (manifest, resources) are copied")
	minMB := flag.Int64("min-mb", 60, "minimum total DEX size in MiB")
	out := flag.String("out", "", "output APK")
	flag.Parse()
	if *base == "" || *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: synth-apk -base BASE.apk -min-mb 60 -out OUT.apk DEXSOURCE...")
		os.Exit(2)
	}
	if err := run(*base, *out, *minMB<<20, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "synth-apk:", err)
		os.Exit(1)
	}
}

func readDexes(sources []string) ([][]byte, error) {
	var dexes [][]byte
	for _, s := range sources {
		if strings.HasSuffix(s, ".dex") {
			b, err := os.ReadFile(s)
			if err != nil {
				return nil, err
			}
			dexes = append(dexes, b)
			continue
		}
		zr, err := zip.OpenReader(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s, err)
		}
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "classes") && strings.HasSuffix(f.Name, ".dex") {
				rc, err := f.Open()
				if err != nil {
					return nil, err
				}
				b, err := io.ReadAll(rc)
				rc.Close()
				if err != nil {
					return nil, err
				}
				dexes = append(dexes, b)
			}
		}
		zr.Close()
	}
	sort.SliceStable(dexes, func(i, j int) bool { return len(dexes[i]) > len(dexes[j]) })
	return dexes, nil
}

func run(base, out string, min int64, sources []string) error {
	dexes, err := readDexes(sources)
	if err != nil {
		return err
	}
	if len(dexes) == 0 {
		return fmt.Errorf("no DEX found in the sources")
	}
	zr, err := zip.OpenReader(base)
	if err != nil {
		return err
	}
	defer zr.Close()
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		if strings.HasSuffix(e.Name, ".dex") || strings.HasPrefix(e.Name, "META-INF/") {
			continue
		}
		if err := zw.Copy(e); err != nil {
			return err
		}
	}
	var total int64
	classes := 0
	for i := 0; total < min; i++ {
		d := dexes[i%len(dexes)]
		name := "classes.dex"
		if i > 0 {
			name = fmt.Sprintf("classes%d.dex", i+1)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := w.Write(d); err != nil {
			return err
		}
		total += int64(len(d))
		classes++
	}
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Printf("%s: %d DEX files, %.1f MiB of DEX\n", out, classes, float64(total)/(1<<20))
	return f.Close()
}
