// Package sdkbinaries_test scores SDK detection on the development set of real
// SDK binaries (scripts/fetch-sdk-binaries.sh, annotated in
// testdata/sdk-binaries.tsv): it runs the built apkaudit binary's
// `inspect --format json` on every file and compares the SDK ids it reports
// with the annotation, per input kind.
//
// Some expectations wait for the integration of issue 13 (a bare .so read as
// an artifact; versions read from AAR manifests, class constants, DEX static
// values and files in the archive). Each is named by a gate in the annotation's
// needs and vneeds columns; a gate is scored only when it is listed in enabled
// below. The integrator turns a gate on when the feature lands.
package sdkbinaries_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// enabled lists the integration gates of testdata/sdk-binaries.tsv that today's
// scan satisfies ("-" is the gate of expectations that need nothing new);
// since issue 13's integration every gate is on:
//
//	so-artifact     inspect accepts a bare .so and matches its name and JNI classes
//	aar-manifest    an AAR's AndroidManifest.xml versionName is read (sdks[].version)
//	class-constant  a version constant in a JAR's .class file is read
//	dex-constant    a version constant in DEX static values is read
//	jar-file        a version in a properties or text file of the archive is read
var enabled = map[string]bool{
	"-":              true,
	"so-artifact":    true,
	"aar-manifest":   true,
	"class-constant": true,
	"dex-constant":   true,
	"jar-file":       true,
}

// Thresholds of issue 13's acceptance.
const (
	minRecall       = 0.98
	minPrecision    = 1.00
	minVersionShare = 0.90
	annotationFile  = "testdata/sdk-binaries.tsv"
	binariesDir     = "testdata/external/sdk-binaries"
)

// row is one annotated file.
type row struct {
	file, kind string
	sdks       []string          // catalogue ids; empty for a negative
	needs      string            // gate of the detection expectation
	versions   map[string]string // id → version the binary carries
	vneeds     string            // gate of the version expectations
}

func readAnnotation(t *testing.T, path string) []row {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "file\t") {
			continue
		}
		c := strings.Split(text, "\t")
		if len(c) != 7 {
			t.Fatalf("%s:%d: %d columns, want 7", path, line, len(c))
		}
		r := row{file: c[0], kind: c[1], sdks: list(c[2]), needs: c[3], versions: map[string]string{}, vneeds: c[5]}
		for _, kv := range list(c[4]) {
			id, v, ok := strings.Cut(kv, "=")
			if !ok || v == "" || !contains(r.sdks, id) {
				t.Fatalf("%s:%d: version %q is not id=version of a listed SDK", path, line, kv)
			}
			r.versions[id] = v
		}
		if (len(r.versions) == 0) != (r.vneeds == "-") {
			t.Fatalf("%s:%d: versions and vneeds must both be \"-\" or both set", path, line)
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func list(s string) []string {
	if s == "-" || s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// report is the part of inspect's JSON the test reads.
type report struct {
	Artifact struct {
		Path string `json:"path"`
	} `json:"artifact"`
	SDKs []struct {
		ID      string `json:"id"`
		Version string `json:"version"`
	} `json:"sdks"`
}

// inspect runs the binary on files (absolute paths) and returns each file's
// report by path, and for a file inspect refuses (exit 2) its one-line reason.
func inspect(t *testing.T, bin string, files []string) (map[string]report, map[string]string) {
	t.Helper()
	out, refused := map[string]report{}, map[string]string{}
	for _, f := range files {
		cmd := exec.Command(bin, "inspect", "--format", "json", f)
		stdout, err := cmd.Output()
		if err != nil {
			var stderr string
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = strings.TrimSpace(string(ee.Stderr))
				if ee.ExitCode() == 2 {
					refused[f] = stderr
					continue
				}
			}
			t.Fatalf("inspect %s: %v %s", f, err, stderr)
		}
		var r report
		if err := json.Unmarshal(stdout, &r); err != nil {
			t.Fatalf("inspect %s: %v", f, err)
		}
		out[f] = r
	}
	return out, refused
}

// score counts SDK detections over a set of files.
type score struct{ files, want, found, reported, correct int }

func (s score) recall() float64    { return ratio(s.found, s.want) }
func (s score) precision() float64 { return ratio(s.correct, s.reported) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// add counts one file whose annotation lists want and for which got was
// reported, and returns the annotated SDKs missed and the reported ones that
// are not in the file.
func (s *score) add(want, got []string) (missed, extra []string) {
	s.files++
	s.want += len(want)
	s.reported += len(got)
	for _, id := range want {
		if contains(got, id) {
			s.found++
			s.correct++
		} else {
			missed = append(missed, id)
		}
	}
	for _, id := range got {
		if !contains(want, id) {
			extra = append(extra, id)
		}
	}
	return missed, extra
}

// kindScores are scores per input kind.
type kindScores map[string]*score

func (k kindScores) add(kind string, want, got []string) (missed, extra []string) {
	if k[kind] == nil {
		k[kind] = &score{}
	}
	return k[kind].add(want, got)
}

// log logs each kind's score and the total, each line prefixed, and returns the total.
func (k kindScores) log(t *testing.T, prefix string) score {
	t.Helper()
	kinds := make([]string, 0, len(k))
	for kind := range k {
		kinds = append(kinds, kind)
	}
	sort.Strings(kinds)
	var all score
	for _, kind := range append(kinds, "all") {
		s := k[kind]
		if kind == "all" {
			s = &all
		} else {
			all.files += s.files
			all.want += s.want
			all.found += s.found
			all.reported += s.reported
			all.correct += s.correct
		}
		t.Logf("%s%-4s files %2d  SDKs %2d  found %2d  reported %2d  recall %.2f  precision %.2f", prefix, kind, s.files, s.want, s.found, s.reported, s.recall(), s.precision())
	}
	return all
}

// devSet returns the repository root and the dev set's directory, and skips t when the set is absent.
func devSet(t *testing.T) (repo, dir string) {
	t.Helper()
	return testenv.RepoRoot(t), testenv.External(t, "sdk-binaries")
}

func TestSDKBinaries(t *testing.T) {
	repo, dir := devSet(t)
	rows := readAnnotation(t, filepath.Join(repo, annotationFile))
	bin := filepath.Join(t.TempDir(), "apkaudit")
	if out, err := exec.Command("go", "build", "-o", bin, filepath.Join(repo, "cmd", "apkaudit")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var files []string
	for _, r := range rows {
		files = append(files, filepath.Join(dir, r.file))
	}
	reports, refused := inspect(t, bin, files)

	scored, whole := kindScores{}, kindScores{}
	var negatives, versionWant, versionRight int
	skipped := map[string]int{}
	for _, r := range rows {
		path := filepath.Join(dir, r.file)
		rep, read := reports[path]
		var got []string
		version := map[string]string{}
		for _, s := range rep.SDKs {
			got = append(got, s.ID)
			version[s.ID] = s.Version
		}
		whole.add(r.kind, r.sdks, got)
		if !enabled[r.needs] {
			skipped[r.needs]++
		} else {
			missed, extra := scored.add(r.kind, r.sdks, got)
			for _, id := range missed {
				t.Errorf("%s: %s not detected (got %s)", r.file, id, joinIDs(got))
			}
			for _, id := range extra {
				t.Errorf("%s: %s reported but not in the file (annotation: %s)", r.file, id, joinIDs(r.sdks))
			}
			if len(r.sdks) == 0 {
				negatives++
			}
			if !read {
				t.Errorf("%s: not read, though its gate %q is enabled: %s", r.file, r.needs, refused[path])
			}
		}
		if len(r.versions) == 0 {
			continue
		}
		if !enabled[r.vneeds] || !enabled[r.needs] {
			skipped["version:"+r.vneeds] += len(r.versions)
			continue
		}
		for id, want := range r.versions {
			if !contains(got, id) {
				continue // a missed SDK is counted by recall
			}
			versionWant++
			if version[id] == want {
				versionRight++
			} else {
				t.Logf("%s: %s version %q, want %q", r.file, id, version[id], want)
			}
		}
	}

	all := scored.log(t, "")
	t.Logf("(%d negatives among the scored files)", negatives)
	whole.log(t, "whole set, every gate: ")
	gates := make([]string, 0, len(skipped))
	for gate := range skipped {
		gates = append(gates, gate)
	}
	sort.Strings(gates)
	for _, gate := range gates {
		t.Logf("gate %s is not enabled yet: %d expectations not scored", gate, skipped[gate])
	}
	if all.recall() < minRecall || all.precision() < minPrecision {
		t.Errorf("recall %.2f, precision %.2f: want at least %.2f and %.2f", all.recall(), all.precision(), minRecall, minPrecision)
	}
	if versionWant > 0 {
		share := ratio(versionRight, versionWant)
		t.Logf("versions: %d of %d detected SDKs that carry one (%.2f)", versionRight, versionWant, share)
		if share < minVersionShare {
			t.Errorf("versions right for %.2f of detected SDKs, want at least %.2f", share, minVersionShare)
		}
	}
}

// joinIDs joins ids for a message, "none" when there are none.
func joinIDs(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	l := append([]string(nil), ids...)
	sort.Strings(l)
	return strings.Join(l, ",")
}
