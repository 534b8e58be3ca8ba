//go:build linux

package malformed_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

const (
	// corpusWall and corpusRSS bound one real corpus file.
	corpusWall = 20 * time.Second
	corpusRSS  = 1 << 30
	// corpusJobs is how many files are inspected at once.
	corpusJobs = 2
)

// corpusRoots returns the shared corpus's apk/ folder and the external
// corpus, those that are present.
func corpusRoots(t *testing.T) []string {
	var roots []string
	for _, root := range []string{testenv.LookupShared(t, "corpus", "apk"), testenv.LookupExternal(t)} {
		if root == "" {
			t.Log("a corpus is absent (run make corpus): its files are not inspected")
			continue
		}
		roots = append(roots, root)
	}
	return roots
}

// corpusFiles lists every file of the shared corpus's apk/ folder and of the
// external corpus, relative to the repository root.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, root := range corpusRoots(t) {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) == 0 {
		t.Skip("no corpus: ../shared/corpus/apk and testdata/external are both absent")
	}
	sort.Strings(files)
	return files
}

// TestCorpusInspect runs inspect --format json over every corpus file and
// checks the exit-code contract and the time and memory bounds; it logs the
// exit-code distribution and the slowest and largest runs.
func TestCorpusInspect(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped under -short")
	}
	needSetup(t)
	files := corpusFiles(t)

	var mu sync.Mutex
	var results []result
	sem := make(chan struct{}, corpusJobs)
	t.Run("files", func(t *testing.T) {
		for _, f := range files {
			rel, _ := filepath.Rel(filepath.Dir(repo), f)
			t.Run(rel, func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				r := run(t, corpusWall+10*time.Second, "inspect", "--format", "json", f)
				// The same file through check, against the demo policy.
				c := run(t, corpusWall+10*time.Second, "check", "--format", "json", "--policy", "testdata/demo/privacy-policy.html", f)
				<-sem
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
				for _, x := range []result{r, c} {
					for _, p := range contractProblems(x, "") {
						t.Errorf("%s\n%v", p, x)
					}
					assert.Less(t, x.wall, corpusWall, "wall time\n%v", x)
					assert.Less(t, x.maxRSS, int64(corpusRSS), "peak RSS\n%v", x)
				}
				// check reads what inspect reads: unreadable for one means unreadable for the other.
				assert.Equal(t, r.exit == 2, c.exit == 2, "inspect exit %d, check exit %d for %s", r.exit, c.exit, f)
			})
		}
	})

	exits := map[int]int{}
	errs := map[string]int{}
	for _, r := range results {
		exits[r.exit]++
		if r.exit == 2 {
			line, _ := oneLine(r.stderr)
			errs[reasonOf(line, r.args[len(r.args)-1])]++
		}
	}
	t.Logf("%d files: exit 0: %d, exit 1: %d, exit 2: %d, other: %d",
		len(results), exits[0], exits[1], exits[2], len(results)-exits[0]-exits[1]-exits[2])
	for _, e := range sortedCounts(errs) {
		t.Logf("  exit 2 x%d: %s", errs[e], e)
	}
	top := func(what string, less func(a, b result) bool, show func(r result) string) {
		s := append([]result(nil), results...)
		sort.Slice(s, func(i, j int) bool { return less(s[i], s[j]) })
		t.Logf("%s:", what)
		for _, r := range s[:min(5, len(s))] {
			t.Logf("  %s  %s", show(r), r.args[len(r.args)-1])
		}
	}
	top("slowest", func(a, b result) bool { return a.wall > b.wall },
		func(r result) string { return r.wall.Round(time.Millisecond).String() })
	top("largest peak RSS", func(a, b result) bool { return a.maxRSS > b.maxRSS },
		func(r result) string { return fmt.Sprintf("%d MiB", r.maxRSS>>20) })
}

// reasonOf strips the file name from an exit-2 line, so that lines group by reason.
func reasonOf(line, file string) string {
	line = strings.ReplaceAll(line, file, "FILE")
	line = strings.ReplaceAll(line, filepath.Base(file), "FILE")
	if len(line) > 160 {
		line = line[:160] + "…"
	}
	return line
}

func sortedCounts(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

// TestCorpusBatch runs batch over both corpus folders at once: one JSON line per
// artifact, errors as lines, no abort, the exit-code contract. Batch keeps a
// walked file by its content: every file whose name claims an artifact gets
// its line, and any other file with a line must start like one (a zip, DEX,
// binary XML or XML magic: a check of the first bytes only, independent of the
// detector).
func TestCorpusBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus run skipped under -short")
	}
	needSetup(t)
	named := map[string]bool{}
	files := map[string]bool{}
	for _, f := range corpusFiles(t) {
		files[f] = true
		switch strings.ToLower(filepath.Ext(f)) {
		case ".apk", ".apks", ".apkm", ".xapk", ".aab", ".jar", ".aar", ".dex", ".so":
			named[f] = true
		}
	}
	r := run(t, 5*time.Minute, append([]string{"batch", "--jobs", "2", "--quiet"}, corpusRoots(t)...)...)
	for _, p := range contractProblems(r, "") {
		t.Errorf("%s\n%v", p, r)
	}
	lines := strings.Split(strings.TrimRight(string(r.stdout), "\n"), "\n")
	seen := map[string]bool{}
	errs := 0
	for _, l := range lines {
		var line batchLine
		require.NoError(t, json.Unmarshal([]byte(l), &line), l)
		p := line.path()
		if line.Error != "" {
			errs++
		}
		require.True(t, files[p], "a line for %s, which is no corpus file", p)
		assert.False(t, seen[p], "two lines for %s", p)
		seen[p] = true
		if !named[p] {
			head := make([]byte, 4)
			f, err := os.Open(p)
			require.NoError(t, err)
			_, _ = f.Read(head)
			f.Close()
			magic := bytes.HasPrefix(head, []byte("PK")) || bytes.HasPrefix(head, []byte("dex\n")) || bytes.HasPrefix(head, []byte("\x7fELF")) ||
				bytes.Equal(head[2:4], []byte{0x08, 0x00}) || bytes.ContainsRune(head, '<') || bytes.HasPrefix(head, []byte("\xef\xbb\xbf"))
			assert.True(t, magic, "%s has a line but does not start like an artifact: %q", p, head)
		}
	}
	for f := range named {
		assert.True(t, seen[f], "no line for %s", f)
	}
	t.Logf("batch over %d artifacts (%d named as artifacts, the rest by content): exit %d, %d error lines, %v, peak RSS %d MiB",
		len(lines), len(named), r.exit, errs, r.wall.Round(time.Millisecond), r.maxRSS>>20)
	assert.Less(t, r.maxRSS, int64(corpusRSS))
}
