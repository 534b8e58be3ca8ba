package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	"github.com/apkaudit/apkaudit/pkg/limits"
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
	// a line for are skipped (a missing file skips nothing; see ReadDone).
	SkipDone string
	// Start, when set, is called once before the policy is read or any
	// artifact scanned, with what the batch found: every artifact (before
	// the shard and SkipDone) and what SkipDone holds. An error from it
	// ends the batch. The CLI opens its output there, so that the output
	// is never one of the artifacts.
	Start func(Plan) error
}

// Plan is what a batch found before it scans: Start sees it.
type Plan struct {
	// Artifacts are every artifact found, sorted.
	Artifacts []string
	// Done is what SkipDone holds; nil without SkipDone.
	Done *Done
}

// ErrNoArtifacts is matched by the error of a batch whose paths hold no
// artifact and no file it had to skip.
var ErrNoArtifacts = errors.New("no artifact found (APK, AAB, split bundle, JAR/AAR, DEX, .so or AndroidManifest.xml)")

// Item is what became of one artifact of a batch: its finished result, or
// the error that made it unreadable.
type Item struct {
	Path   string
	Result *audit.Result
	Err    error
	// Total is how many items the batch emits: artifacts and skipped files,
	// after the shard and SkipDone.
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
// Files a walk skips (see FindArtifacts) are Items with Err too, emitted
// first. Batch returns an error when its inputs cannot be listed, hold no
// artifact and nothing skipped (ErrNoArtifacts), the SkipDone file cannot
// be read (ReadDone), Start fails, or the policy cannot be read (before any
// item), when emit fails (no item follows), or
// when ctx is cancelled: then no new artifact starts, the scans in flight
// stop, and the items they would have given are not emitted, so everything
// emitted stays whole and a resumed batch scans the rest.
func Batch(ctx context.Context, paths []string, opt BatchOptions, emit func(Item) error) error {
	files, skipped, err := FindArtifacts(paths)
	if err != nil {
		return err
	}
	if len(files) == 0 && len(skipped) == 0 {
		return fmt.Errorf("%s: %w", strings.Join(paths, ", "), ErrNoArtifacts)
	}
	plan := Plan{Artifacts: files}
	if opt.SkipDone != "" {
		if plan.Done, err = ReadDone(opt.SkipDone); err != nil {
			return err
		}
	}
	if opt.Start != nil {
		if err := opt.Start(plan); err != nil {
			return err
		}
	}
	var todo []string
	for _, f := range files {
		if opt.Shard.keeps(f) && !plan.Done.Has(f) {
			todo = append(todo, f)
		}
	}
	var skip []Skipped // lines of their own: never silently dropped
	for _, sk := range skipped {
		if opt.Shard.keeps(sk.Path) && !plan.Done.Has(sk.Path) {
			skip = append(skip, sk)
		}
	}
	total := len(todo) + len(skip)
	for _, sk := range skip {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := safeEmit(emit, Item{Path: sk.Path, Err: sk.Err, Total: total}); err != nil {
			return err
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
	// The scans at once share the address space an address-space limit leaves.
	scanOpt.Limits = scanOpt.Limits.FitAddressSpace(min(jobs, len(todo)))

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
				it.Total = total
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

// Skipped is a file in a walked directory that a batch does not read: a
// FIFO, socket or device, a dangling symlink, a symlink loop, a directory
// that cannot be listed. Batch gives it a line of its own with Err, as for
// an artifact that cannot be read.
type Skipped struct {
	Path string
	Err  error
}

// FindArtifacts lists the artifacts in paths, sorted: a file named is taken
// whatever it holds (a FIFO too: reading it then says what it is); a
// directory is walked, following symlinks, and a regular file in it is taken
// when its content is an artifact (container.Identify: an APK, bundle, AAB,
// JAR/AAR, DEX or manifest, not another zip or text), or when it cannot be
// read, or when its name claims an artifact. Other regular files are not
// artifacts and are passed silently. Everything else found in a walk is
// skipped, and listed with why (sorted): what is not a regular file, a
// dangling symlink, a symlink back to a directory being walked (a loop), a
// directory that cannot be listed. A directory reached again through
// another symlink is walked once (device and inode). A path that does not
// exist is an error.
func FindArtifacts(paths []string) (artifacts []string, skipped []Skipped, err error) {
	w := &walker{seen: map[fileID]bool{}, walking: map[fileID]bool{}}
	for _, a := range paths {
		st, err := os.Stat(a)
		if err != nil {
			return nil, nil, err
		}
		if !st.IsDir() {
			w.out = append(w.out, a)
			continue
		}
		w.dir(a, st)
	}
	sort.Strings(w.out)
	sort.Slice(w.skipped, func(i, j int) bool { return w.skipped[i].Path < w.skipped[j].Path })
	return w.out, w.skipped, nil
}

// fileID is a file's device and inode.
type fileID struct{ dev, ino uint64 }

// walker walks the directories of FindArtifacts.
type walker struct {
	out     []string
	skipped []Skipped
	seen    map[fileID]bool // every directory walked
	walking map[fileID]bool // the directories from the root down to the current one
}

// dir walks the directory at p, whose stat is st.
func (w *walker) dir(p string, st fs.FileInfo) {
	id, ok := idOf(st)
	if ok {
		if w.walking[id] {
			w.skip(p, errors.New("symlink loop: a directory that contains it"))
			return
		}
		if w.seen[id] {
			return // walked already under another name: its artifacts have their lines
		}
		w.seen[id], w.walking[id] = true, true
		defer delete(w.walking, id)
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		w.skip(p, unwrapPathError(err))
		return
	}
	for _, e := range entries {
		child := filepath.Join(p, e.Name())
		t := e.Type()
		if t&fs.ModeSymlink != 0 {
			target, err := os.Stat(child)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					err = errors.New("dangling symlink")
				} else {
					err = unwrapPathError(err)
				}
				w.skip(child, err)
				continue
			}
			t = target.Mode().Type()
			if target.IsDir() {
				w.dir(child, target)
				continue
			}
		}
		switch {
		case t.IsDir():
			if st, err := os.Stat(child); err != nil {
				w.skip(child, unwrapPathError(err))
			} else {
				w.dir(child, st)
			}
		case t.IsRegular():
			if isArtifact(child) {
				w.out = append(w.out, child)
			}
		default:
			w.skip(child, fmt.Errorf("not a regular file (%s)", limits.TypeName(t)))
		}
	}
}

func (w *walker) skip(p string, err error) {
	w.skipped = append(w.skipped, Skipped{Path: p, Err: fmt.Errorf("%s: skipped: %w", p, err)})
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

// Done is what a --skip-done file holds: the artifacts it has a line for.
type Done struct {
	// Path is the file read.
	Path string
	// Paths are the artifacts with a line (an artifact's object or an error).
	Paths map[string]bool
	// Size is the file's size when it was read.
	Size int64
	// TornAt is where a torn last line starts (cut by an interrupted run:
	// no newline at its end, or not JSON), -1 when the last line is whole.
	// Its artifact is not in Paths, so it is scanned again.
	TornAt int64
}

// Has reports whether d has a line for path; a nil Done has none.
func (d *Done) Has(path string) bool { return d != nil && d.Paths[path] }

// ReadDone reads the JSONL output of an earlier batch (limits.SkipDoneSize
// at most, a regular file: limits.ReadFileAtMost). A missing file holds
// nothing. A torn last line is dropped and noted in TornAt; a line in the
// middle that is not a JSON object is an error naming the file and line,
// since no interrupted run of apkaudit leaves one there.
func ReadDone(path string) (*Done, error) {
	d := &Done{Path: path, Paths: map[string]bool{}, TornAt: -1}
	data, err := limits.ReadFileAtMost(path, limits.SkipDoneSize, "skip-done file size")
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	d.Size = int64(len(data))
	for off, no := 0, 1; off < len(data); no++ {
		end := bytes.IndexByte(data[off:], '\n')
		last := end < 0
		if last {
			end = len(data) - off
		}
		line := bytes.TrimSpace(data[off : off+end])
		next := off + end + 1
		last = last || next >= len(data)
		var l struct {
			Path     string `json:"path"`
			Artifact struct {
				Path string `json:"path"`
			} `json:"artifact"`
		}
		switch {
		case len(line) == 0:
		case end == len(data)-off && data[len(data)-1] != '\n', json.Unmarshal(line, &l) != nil:
			if !last {
				return nil, fmt.Errorf("%s: line %d is not a whole JSON line (only the last line can be torn, by an interrupted run)", path, no)
			}
			d.TornAt = int64(off)
		case l.Artifact.Path != "":
			d.Paths[l.Artifact.Path] = true
		case l.Path != "":
			d.Paths[l.Path] = true
		}
		off = next
	}
	return d, nil
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
