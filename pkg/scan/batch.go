package scan

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/policy"
)

// Shard is one part of a batch split over several machines: the artifacts
// whose path hashes to Index modulo Of. The zero Shard is the whole batch.
type Shard struct{ Index, Of int }

// ParseShard reads a shard written "I/N", with 0 <= I < N.
func ParseShard(s string) (Shard, error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want I/N with 0 <= I < N", s)
	}
	return Shard{i, n}, nil
}

// keeps reports whether the artifact at path belongs to the shard. The path
// is hashed as given, slash-separated, so machines that list one corpus the
// same way split it the same way.
func (s Shard) keeps(path string) bool {
	if s.Of <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(filepath.ToSlash(path)))
	return int(h.Sum32()%uint32(s.Of)) == s.Index
}

// BatchOptions configure Batch.
type BatchOptions struct {
	// Options are every artifact's scan options. Jobs is how many artifacts
	// are scanned at once (default: the number of CPUs), each on one core.
	Options
	// Policies, when given, are read once and every artifact is checked
	// against them; otherwise every artifact is inspected.
	Policies []string
	// Shard keeps one part of the artifacts.
	Shard Shard
	// SkipDone names the JSONL output of an earlier run: the artifacts it has
	// a line for are skipped (a missing file skips nothing).
	SkipDone string
}

// Item is what became of one artifact of a batch: its finished result, or
// the error that made it unreadable.
type Item struct {
	Path   string
	Result *audit.Result
	Err    error
	// Total is how many artifacts the batch scans (after the shard and SkipDone).
	Total int
}

// Batch finds the artifacts in paths — files named are taken as they are,
// directories are walked and their files kept by content (see
// FindArtifacts) — keeps those of the shard that SkipDone does not list,
// and scans them on Jobs workers, largest first. It calls emit with each
// artifact's Item as soon as it is done, one call at a time, so that emit can
// write each item whole. An unreadable artifact is an Item with Err, never
// the end of the batch.
//
// Batch returns an error when its inputs cannot be listed or the policy
// cannot be read (before any item), when emit fails (no item follows), or
// when ctx is cancelled: then no new artifact starts, the scans in flight
// stop, and the items they would have given are not emitted, so everything
// emitted stays whole and a resumed batch scans the rest.
func Batch(ctx context.Context, paths []string, opt BatchOptions, emit func(Item) error) error {
	files, err := FindArtifacts(paths)
	if err != nil {
		return err
	}
	done, err := readDone(opt.SkipDone)
	if err != nil {
		return err
	}
	var todo []string
	for _, f := range files {
		if opt.Shard.keeps(f) && !done[f] {
			todo = append(todo, f)
		}
	}
	var d *policy.Disclosure // read once, for every artifact
	if len(opt.Policies) > 0 {
		if d, err = Policy(opt.Policies, opt.Options); err != nil {
			return err
		}
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	scanOpt := opt.Options
	scanOpt.Jobs = 1 // parallel over artifacts, not inside one

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu      sync.Mutex
		emitErr error
		wg      sync.WaitGroup
		ch      = make(chan string)
	)
	for range min(jobs, len(todo)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range ch {
				it := batchItem(ctx, path, d, scanOpt)
				it.Total = len(todo)
				if ctx.Err() != nil {
					continue // interrupted: no line, so a resumed batch scans it
				}
				mu.Lock()
				if emitErr == nil {
					if emitErr = safeEmit(emit, it); emitErr != nil {
						cancel()
					}
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, f := range largestFirst(todo) {
		select {
		case ch <- f:
		case <-ctx.Done():
			break feed
		}
	}
	close(ch)
	wg.Wait()
	if emitErr != nil {
		return emitErr
	}
	return ctx.Err()
}

// batchItem scans one artifact at the root of a batch worker: a panic is
// that artifact's error, never the end of the batch.
func batchItem(ctx context.Context, path string, d *policy.Disclosure, opt Options) (it Item) {
	it.Path = path
	defer func() {
		if p := recover(); p != nil {
			it = Item{Path: path, Err: fmt.Errorf("%s: internal error: %v", path, p)}
		}
	}()
	if d != nil {
		it.Result, it.Err = CheckDisclosure(ctx, path, d, opt)
	} else {
		it.Result, it.Err = Inspect(ctx, path, opt)
	}
	return it
}

// safeEmit calls emit on the batch worker's goroutine: a panic in it is the
// batch's error, not the end of the process.
func safeEmit(emit func(Item) error, it Item) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: internal error writing its line: %v", it.Path, p)
		}
	}()
	return emit(it)
}

// artifactExts are file names that claim to be artifacts: a walked file with
// one of them is kept even when its content is no artifact, so that it gets
// a line saying why it cannot be read instead of vanishing.
var artifactExts = []string{".apk", ".apks", ".apkm", ".xapk", ".aab", ".jar", ".aar", ".dex", ".so"}

// FindArtifacts lists the artifacts in paths, sorted: a file named is taken
// whatever it holds; in a directory, walked, a file is taken when its
// content is an artifact (container.Identify: an APK, bundle, AAB, JAR/AAR,
// DEX or manifest, not another zip or text), or when it cannot be read, or
// when its name claims an artifact.
func FindArtifacts(paths []string) ([]string, error) {
	var out []string
	for _, a := range paths {
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && isArtifact(p) {
				out = append(out, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// isArtifact tells from the content of the file at p whether a batch reads it.
func isArtifact(p string) bool {
	lower := strings.ToLower(p)
	for _, ext := range artifactExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	f, err := container.Open(p)
	if err != nil {
		return true // unreadable: its line says why
	}
	defer f.Close()
	k, err := container.Sniff(f, f.Size())
	if err != nil {
		return true // a zip archive that cannot be read: its line says why
	}
	return k != container.KindUnknown && k != container.KindZip
}

// readDone returns the artifacts a previous JSONL output has a line for.
func readDone(path string) (map[string]bool, error) {
	done := map[string]bool{}
	if path == "" {
		return done, nil
	}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return done, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		var line struct {
			Path     string `json:"path"`
			Artifact struct {
				Path string `json:"path"`
			} `json:"artifact"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil {
			continue // a line cut by an interrupted run: do it again
		}
		if line.Artifact.Path != "" {
			done[line.Artifact.Path] = true
		} else if line.Path != "" {
			done[line.Path] = true
		}
	}
	return done, sc.Err()
}

// largestFirst orders files by size, largest first, so that the longest
// artifact does not start last and leave the other workers idle at the end.
func largestFirst(files []string) []string {
	size := make(map[string]int64, len(files))
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			size[f] = st.Size()
		}
	}
	out := append([]string(nil), files...)
	sort.SliceStable(out, func(i, j int) bool { return size[out[i]] > size[out[j]] })
	return out
}
