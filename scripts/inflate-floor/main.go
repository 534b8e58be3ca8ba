// Command inflate-floor measures the floor for any tool that reads all code in
// an APK: it inflates every DEX entry (largest first, on N workers, with
// klauspost/compress) and discards the bytes. scripts/bench.sh compares
// apkaudit's time with this one.
//
// usage: inflate-floor [-j N] APK...
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/klauspost/compress/zip"
)

func main() {
	jobs := flag.Int("j", 2, "workers")
	flag.Parse()
	for _, path := range flag.Args() {
		n, err := inflate(path, *jobs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "inflate-floor: %s: %v\n", path, err)
			os.Exit(2)
		}
		fmt.Printf("%s\t%d bytes of DEX\n", path, n)
	}
}

func inflate(path string, jobs int) (int64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	var dex []*zip.File
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, ".dex") {
			dex = append(dex, f)
		}
	}
	sort.Slice(dex, func(i, j int) bool { return dex[i].UncompressedSize64 > dex[j].UncompressedSize64 })
	ch := make(chan *zip.File)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int64
		first error
	)
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range ch {
				rc, err := f.Open()
				if err == nil {
					var n int64
					n, err = io.Copy(io.Discard, rc)
					rc.Close()
					mu.Lock()
					total += n
					mu.Unlock()
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, f := range dex {
		ch <- f
	}
	close(ch)
	wg.Wait()
	return total, first
}
