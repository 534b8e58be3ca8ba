// Command inflate-floor measures the floor for any tool that reads all code in
// an APK: it inflates every DEX entry (largest first, on N workers) and
// discards the bytes. scripts/bench.sh compares apkaudit's time with this one.
//
// The floor the performance bar is defined against inflates with
// klauspost/compress, the fastest general-purpose Go inflater, streaming
// each entry through its window (-inflater klauspost, the default). With
// -inflater apkaudit it decodes each mapped entry into one buffer with
// pkg/inflate, as apkaudit's scan does: the floor of apkaudit's own
// reading, so bench.sh can show what the scan costs beyond it.
//
// usage: inflate-floor [-j N] [-inflater klauspost|apkaudit] APK...
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/klauspost/compress/zip"

	"github.com/apkaudit/apkaudit/pkg/inflate"
)

func main() {
	jobs := flag.Int("j", 2, "workers")
	inflater := flag.String("inflater", "klauspost", "klauspost (streaming, the bar's floor) or apkaudit (pkg/inflate into one buffer per entry)")
	flag.Parse()
	var each func(f *zip.File, mem []byte) (int64, error)
	switch *inflater {
	case "klauspost":
		each = streamKlauspost
	case "apkaudit":
		each = decodeWhole
	default:
		fmt.Fprintf(os.Stderr, "inflate-floor: -inflater %q: want klauspost or apkaudit\n", *inflater)
		os.Exit(2)
	}
	for _, path := range flag.Args() {
		n, err := inflateDex(path, *jobs, each)
		if err != nil {
			fmt.Fprintf(os.Stderr, "inflate-floor: %s: %v\n", path, err)
			os.Exit(2)
		}
		fmt.Printf("%s\t%d bytes of DEX\n", path, n)
	}
}

// streamKlauspost copies f's inflated bytes to io.Discard.
func streamKlauspost(f *zip.File, _ []byte) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	return io.Copy(io.Discard, rc)
}

// decodeWhole inflates f's bytes in mem, the mapped APK, into a buffer of
// its declared size.
func decodeWhole(f *zip.File, mem []byte) (int64, error) {
	off, err := f.DataOffset()
	if err != nil {
		return 0, err
	}
	if off < 0 || uint64(off)+f.CompressedSize64 > uint64(len(mem)) {
		return 0, fmt.Errorf("%s: data past the end of the file", f.Name)
	}
	src := mem[off : uint64(off)+f.CompressedSize64]
	if f.Method == zip.Store {
		return int64(len(src)), nil
	}
	dst := make([]byte, f.UncompressedSize64)
	n, err := inflate.Decode(dst, src)
	return int64(n), err
}

func inflateDex(path string, jobs int, each func(*zip.File, []byte) (int64, error)) (int64, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	mem, err := mapFile(path)
	if err != nil {
		return 0, err
	}
	defer syscall.Munmap(mem)
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
				n, err := each(f, mem)
				mu.Lock()
				total += n
				if err != nil && first == nil {
					first = fmt.Errorf("%s: %w", f.Name, err)
				}
				mu.Unlock()
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

// mapFile maps path read-only, as apkaudit maps an artifact.
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		return nil, fmt.Errorf("empty file")
	}
	return syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
}
