package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

// artifactExts are the file names batch picks up when it walks a directory.
// Files named on the command line are always read, whatever their name.
var artifactExts = []string{".apk", ".apks", ".apkm", ".xapk", ".aab", ".jar", ".aar", ".dex"}

func newBatch(g *globals) *cobra.Command {
	var policies []string
	var shard, skipDone string
	cmd := &cobra.Command{
		Use:   "batch PATH... [--jobs N] [--shard I/N]",
		Short: "Inspect (or check) many artifacts: one JSON line per artifact (JSONL)",
		Long: `batch walks files and directories and writes one JSON object per artifact and
line: the inspect object, or the check object with --policy. An artifact that
cannot be read gives a line {"path": …, "error": …} and the batch goes on.
The exit code is the worst of all artifacts (2 if any could not be read).

--shard I/N keeps the artifacts whose path hashes to I modulo N, so N machines
(a CI matrix, a Kubernetes Indexed Job with I=$JOB_COMPLETION_INDEX) split a corpus
with no coordination; concatenate their outputs to merge them.
--skip-done FILE skips the artifacts already in a previous JSONL output (resume).`,
		Example: `  apkaudit batch apks/ --jobs 4 --output results.jsonl
  apkaudit batch apks/ --shard 0/3 --output part0.jsonl     # on machine 0 of 3
  cat part*.jsonl | jq -r 'select(.error == null) | [.artifact.path, (.sdks | length)] | @tsv'
  apkaudit batch apks/ --policy privacy.html --fail-on medium`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			si, sn, err := parseShard(shard)
			if err != nil {
				return err
			}
			opt, err := g.scanOptions()
			if err != nil {
				return err
			}
			policies = g.policyFiles(policies)
			files, err := collectArtifacts(args)
			if err != nil {
				return err
			}
			done := map[string]bool{}
			if skipDone != "" {
				if done, err = readDone(skipDone); err != nil {
					return err
				}
			}
			var todo []string
			for _, f := range files {
				if sn > 1 && shardOf(f, sn) != si || done[f] {
					continue
				}
				todo = append(todo, f)
			}
			return g.runBatch(todo, policies, opt)
		},
	}
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "check every artifact against this policy (repeatable)")
	cmd.Flags().StringVar(&shard, "shard", "", "I/N: process only shard I (0-based) of N")
	cmd.Flags().StringVar(&skipDone, "skip-done", "", "skip artifacts already present in this JSONL FILE")
	return cmd
}

func parseShard(s string) (int, int, error) {
	if s == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("--shard %q: want I/N with 0 <= I < N", s)
	}
	return i, n, nil
}

// shardOf hashes a path (slash-separated, as given) to a shard.
func shardOf(path string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(filepath.ToSlash(path)))
	return int(h.Sum32() % uint32(n))
}

func collectArtifacts(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
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
			if d.Type().IsRegular() && isArtifactName(d.Name()) {
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

func isArtifactName(name string) bool {
	lower := strings.ToLower(name)
	if lower == "androidmanifest.xml" {
		return true
	}
	for _, ext := range artifactExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

func readDone(path string) (map[string]bool, error) {
	done := map[string]bool{}
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

// runBatch processes files on --jobs workers and writes one line each as they finish.
func (g *globals) runBatch(files, policies []string, opt scan.Options) error {
	jobs := g.jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	opt.Jobs = 1 // parallel over artifacts, not inside one
	var w io.Writer = g.stdout
	if g.output != "" {
		flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
		f, err := os.OpenFile(g.output, flags, 0o644)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	o := g.reportOptions("inspect", opt.Catalogue)
	var disclosure *policy.Disclosure // read once, for every artifact
	if len(policies) > 0 {
		o.Command = "check"
		d, err := scan.Policy(policies, opt)
		if err != nil {
			return err
		}
		disclosure = d
	}
	var (
		mu               sync.Mutex
		nOK, nFail, nErr int
		wg               sync.WaitGroup
		ch               = make(chan string)
		progress         = newProgress(g, len(files))
	)
	for i := 0; i < jobs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range ch {
				line, fails, err := g.batchOne(path, disclosure, opt, o)
				mu.Lock()
				switch {
				case err != nil:
					nErr++
				case fails:
					nFail++
				default:
					nOK++
				}
				bw.Write(line)
				bw.WriteByte('\n')
				progress.add()
				mu.Unlock()
			}
		}()
	}
	for _, f := range largestFirst(files) {
		ch <- f
	}
	close(ch)
	wg.Wait()
	progress.finish()
	if err := bw.Flush(); err != nil {
		return err
	}
	summary := fmt.Sprintf("batch: %d artifacts: %d passed, %d with findings at or above %s, %d unreadable", len(files), nOK, nFail, g.failOn, nErr)
	if nErr > 0 {
		return fmt.Errorf("%s (see the lines with \"error\")", summary) // the one stderr line of exit code 2
	}
	g.note("%s", summary)
	if nFail > 0 {
		return errFindings
	}
	return nil
}

// batchOne returns the JSON line for one artifact.
func (g *globals) batchOne(path string, disclosure *policy.Disclosure, opt scan.Options, o report.Options) (line []byte, fails bool, err error) {
	jsonl, _ := report.Lookup("jsonl")
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
			line = errorLine(path, err)
		}
	}()
	var r *audit.Result
	if disclosure != nil {
		r, err = scan.CheckDisclosure(path, disclosure, opt)
		if err == nil {
			g.config.ApplyWaivers(r.Findings, g.now())
			r.Summary = audit.Summarise(r.Findings)
		}
	} else {
		r, err = scan.Inspect(path, opt)
	}
	if err != nil {
		return errorLine(path, err), false, err
	}
	var buf bytes.Buffer
	if err := jsonl.Render(&buf, []*audit.Result{r}, o); err != nil {
		return errorLine(path, err), false, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), audit.Fails(r.Findings, g.threshold()), nil
}

func errorLine(path string, err error) []byte {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, path+": ")
	b, _ := json.Marshal(struct {
		SchemaVersion int    `json:"schema_version"`
		Path          string `json:"path"`
		Error         string `json:"error"`
	}{1, path, msg})
	return b
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
