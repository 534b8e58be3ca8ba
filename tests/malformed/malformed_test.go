//go:build linux

package malformed_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// hardTimeout kills a run that hangs.
	hardTimeout = 20 * time.Second
	// maxWall is the time one malformed input may take.
	maxWall = 5 * time.Second
	// maxRSS is the memory one malformed input may take.
	maxRSS = 512 << 20

	fixtureRel = "testdata/fixtures/apk/miitee.apk"
	demoPolicy = "testdata/demo/privacy-policy.html"
)

// inspectDoc is the part of the inspect JSON object these tests read.
type inspectDoc struct {
	App struct {
		Package string `json:"package"`
	} `json:"app"`
	Permissions []struct {
		Name string `json:"name"`
	} `json:"permissions"`
	Code struct {
		DexFiles int `json:"dex_files"`
		Classes  int `json:"classes"`
	} `json:"code"`
	Warnings   []string `json:"warnings"`
	Unanalysed []struct {
		Path   string `json:"path"`
		Reason string `json:"reason"`
	} `json:"unanalysed"`
}

// checkDoc is the part of the check JSON object these tests read.
type checkDoc struct {
	inspectDoc
	Findings []struct {
		Rule     string `json:"rule"`
		Severity string `json:"severity"`
		Subject  string `json:"subject"`
		Message  string `json:"message"`
	} `json:"findings"`
}

func (d checkDoc) rules() []string {
	var r []string
	for _, f := range d.Findings {
		r = append(r, f.Rule)
	}
	return r
}

func (d checkDoc) has(rule, severity string) bool {
	for _, f := range d.Findings {
		if f.Rule == rule && (severity == "" || f.Severity == severity) {
			return true
		}
	}
	return false
}

// policyDoc is the part of the policy JSON object these tests read.
type policyDoc struct {
	Permissions []struct {
		Name string `json:"name"`
	} `json:"permissions"`
	SDKs []struct {
		Name string `json:"name"`
	} `json:"sdks"`
	Warnings []string `json:"warnings"`
}

func (d policyDoc) names() (perms, sdks []string) {
	for _, p := range d.Permissions {
		perms = append(perms, p.Name)
	}
	for _, s := range d.SDKs {
		sdks = append(sdks, s.Name)
	}
	sort.Strings(perms)
	sort.Strings(sdks)
	return perms, sdks
}

// oracle is what independent tools (aapt, dexdump) say about the fixture.
type oracle struct {
	pkg         string
	permissions []string
	classes     map[string]int // DEX entry -> class_defs_size
	missing     string         // why the oracle is unavailable, "" if it is
}

var fixtureOracle = sync.OnceValue(func() oracle {
	fixture := filepath.Join(repo, fixtureRel)
	o := oracle{classes: map[string]int{}}
	if _, err := exec.LookPath("aapt"); err != nil {
		o.missing = "aapt is not installed"
		return o
	}
	if _, err := exec.LookPath("dexdump"); err != nil {
		o.missing = "dexdump is not installed"
		return o
	}
	out, err := exec.Command("aapt", "dump", "badging", fixture).Output()
	if err != nil {
		o.missing = "aapt dump badging: " + err.Error()
		return o
	}
	if m := regexp.MustCompile(`(?m)^package: name='([^']+)'`).FindSubmatch(out); m != nil {
		o.pkg = string(m[1])
	}
	for _, m := range regexp.MustCompile(`(?m)^uses-permission: name='([^']+)'`).FindAllSubmatch(out, -1) {
		o.permissions = append(o.permissions, string(m[1]))
	}
	zr, err := zip.OpenReader(fixture)
	if err != nil {
		o.missing = err.Error()
		return o
	}
	defer zr.Close()
	dir, err := os.MkdirTemp("", "apkaudit-oracle-")
	if err != nil {
		o.missing = err.Error()
		return o
	}
	defer os.RemoveAll(dir)
	for _, f := range zr.File {
		if !regexp.MustCompile(`^classes\d*\.dex$`).MatchString(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			o.missing = err.Error()
			return o
		}
		b, err := io.ReadAll(io.LimitReader(rc, 64<<20))
		rc.Close()
		p := filepath.Join(dir, f.Name)
		if err == nil {
			err = os.WriteFile(p, b, 0o644)
		}
		if err != nil {
			o.missing = err.Error()
			return o
		}
		out, err := exec.Command("dexdump", "-f", p).Output()
		m := regexp.MustCompile(`class_defs_size\s*:\s*(\d+)`).FindSubmatch(out)
		if err != nil || m == nil {
			o.missing = "dexdump -f " + f.Name + " gave no class_defs_size"
			return o
		}
		o.classes[f.Name], _ = strconv.Atoi(string(m[1]))
	}
	return o
})

// needOracle returns the fixture oracle or skips the assertions that need it.
func needOracle(t *testing.T) (oracle, bool) {
	t.Helper()
	o := fixtureOracle()
	if o.missing != "" {
		t.Logf("oracle assertions skipped: %s", o.missing)
		return o, false
	}
	require.NotEmpty(t, o.pkg, "aapt reported no package for the fixture")
	require.Positive(t, o.classes["classes.dex"], "dexdump reported no classes in the fixture's classes.dex")
	require.Positive(t, o.classes["classes2.dex"], "dexdump reported no classes in the fixture's classes2.dex")
	return o, true
}

// assertBounds checks the contract and the time and memory bounds of r.
func assertBounds(t *testing.T, r result, file string) {
	t.Helper()
	for _, p := range contractProblems(r, file) {
		t.Errorf("%s\n%v", p, r)
	}
	assert.Less(t, r.wall, maxWall, "wall time\n%v", r)
	assert.Less(t, r.maxRSS, int64(maxRSS), "peak RSS\n%v", r)
}

// assertUnreadable checks an exit-2 run whose one stderr line names file and
// gives one of the reasons (case-insensitive substrings).
func assertUnreadable(t *testing.T, r result, file string, reasons []string) {
	t.Helper()
	if !assert.Equal(t, 2, r.exit, "want exit 2 (unreadable input)\n%v", r) {
		return
	}
	line := strings.ToLower(string(r.stderr))
	if len(reasons) > 0 && !slices.ContainsFunc(reasons, func(s string) bool { return strings.Contains(line, s) }) {
		t.Errorf("stderr line gives none of the reasons %q\n%v", reasons, r)
	}
}

func decode[T any](t *testing.T, r result) (T, bool) {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.stdout, &v); err != nil {
		t.Errorf("stdout is not one JSON object: %v\n%v", err, r)
		return v, false
	}
	return v, true
}

func anyContains(list []string, subs ...string) bool {
	for _, s := range list {
		l := strings.ToLower(s)
		ok := true
		for _, sub := range subs {
			ok = ok && strings.Contains(l, strings.ToLower(sub))
		}
		if ok {
			return true
		}
	}
	return false
}

func unanalysedHas(d inspectDoc, entry string) bool {
	for _, u := range d.Unanalysed {
		if u.Path == entry || strings.HasSuffix(u.Path, "/"+entry) || strings.HasSuffix(u.Path, "!"+entry) ||
			strings.HasSuffix(u.Path, "!/"+entry) {
			return true
		}
	}
	return false
}

// assertOuterAnalysed checks that the fixture's own manifest was read: the
// package and the permissions aapt reports.
func assertOuterAnalysed(t *testing.T, d inspectDoc) {
	t.Helper()
	o, ok := needOracle(t)
	if !ok {
		return
	}
	assert.Equal(t, o.pkg, d.App.Package, "package (aapt)")
	var got []string
	for _, p := range d.Permissions {
		got = append(got, p.Name)
	}
	for _, p := range o.permissions {
		assert.Contains(t, got, p, "permission aapt lists")
	}
}

// artifactCase is one malformed artifact, run through inspect and check.
type artifactCase struct {
	file string // under cases/apk
	// reasons, when set, mark the artifact unreadable: exit 2, and the stderr
	// line contains one of them.
	reasons []string
	// inspect checks the inspect JSON of a readable artifact.
	inspect func(t *testing.T, d inspectDoc)
	// unanalysedCode is set when check must report unanalysed-code (medium).
	unanalysedCode bool
}

var notAnArtifact = []string{"not ", "unknown", "unsupported", "unrecognised", "unrecognized", "format", "invalid", "central directory"}
var brokenZip = []string{"central directory", "end record", "end of central", "eocd", "truncated", "zip", "archive", "format"}

var artifactCases = []artifactCase{
	{file: "empty.apk", reasons: []string{"empty", "0 bytes", "zero", "too small"}},
	{file: "random-4k.apk", reasons: notAnArtifact},
	{file: "text.apk", reasons: notAnArtifact},
	{file: "truncated-10.apk", reasons: brokenZip},
	{file: "truncated-50.apk", reasons: brokenZip},
	{file: "truncated-90.apk", reasons: brokenZip},
	{file: "truncated-eocd.apk", reasons: brokenZip},
	// Without its manifest an APK has no identity and no permissions: a report
	// would silently claim "no permissions". Unreadable.
	{file: "manifest-random.apk", reasons: []string{"manifest"}},
	{file: "manifest-strpool-huge.apk", reasons: []string{"manifest", "string pool"}},
	{
		file: "dex-bomb.apk", unanalysedCode: true,
		inspect: func(t *testing.T, d inspectDoc) {
			assert.True(t, anyContains(d.Warnings, "classes.dex"), "a warning names classes.dex: %q", d.Warnings)
			assert.True(t, anyContains(d.Warnings, "limit") || anyContains(d.Warnings, "ratio") ||
				anyContains(d.Warnings, "exceed") || anyContains(d.Warnings, "bomb"), "a warning names the limit: %q", d.Warnings)
			assert.True(t, unanalysedHas(d, "classes.dex"), "unanalysed lists classes.dex: %+v", d.Unanalysed)
			assertRestCounted(t, d)
			assertOuterAnalysed(t, d)
		},
	},
	{
		file: "dex-bomb-lying.apk", unanalysedCode: true,
		inspect: func(t *testing.T, d inspectDoc) {
			assert.True(t, anyContains(d.Warnings, "classes.dex"), "a warning names classes.dex: %q", d.Warnings)
			assert.True(t, unanalysedHas(d, "classes.dex"), "unanalysed lists classes.dex: %+v", d.Unanalysed)
			assertRestCounted(t, d)
			assertOuterAnalysed(t, d)
		},
	},
	{
		file: "dex-strings-past-end.apk", unanalysedCode: true,
		inspect: func(t *testing.T, d inspectDoc) {
			assert.True(t, anyContains(d.Warnings, "classes.dex"), "a warning names classes.dex: %q", d.Warnings)
			assert.True(t, unanalysedHas(d, "classes.dex"), "unanalysed lists classes.dex: %+v", d.Unanalysed)
			assertRestCounted(t, d)
			assertOuterAnalysed(t, d)
		},
	},
	{
		file: "dex-bad-checksum.apk",
		inspect: func(t *testing.T, d inspectDoc) {
			assert.True(t, anyContains(d.Warnings, "checksum") || anyContains(d.Warnings, "adler"),
				"a warning names the bad checksum: %q", d.Warnings)
			assert.False(t, unanalysedHas(d, "classes.dex"), "classes.dex is readable, not unanalysed: %+v", d.Unanalysed)
			if o, ok := needOracle(t); ok {
				want := 0
				for _, n := range o.classes {
					want += n
				}
				assert.Equal(t, want, d.Code.Classes, "classes over all DEX files (dexdump)")
			}
			assertOuterAnalysed(t, d)
		},
	},
	{
		file: "nested-30.apk", unanalysedCode: true,
		inspect: func(t *testing.T, d inspectDoc) {
			assert.True(t, anyContains(d.Warnings, "depth") || anyContains(d.Warnings, "nest"),
				"a warning names the nesting depth limit: %q", d.Warnings)
			assert.NotEmpty(t, d.Unanalysed, "the archive past the depth limit is unanalysed")
			if o, ok := needOracle(t); ok {
				assert.GreaterOrEqual(t, d.Code.Classes, o.classes["classes.dex"]+o.classes["classes2.dex"],
					"the outer APK's classes are counted (dexdump)")
			}
			assertOuterAnalysed(t, d)
		},
	},
}

// assertRestCounted checks that classes2.dex was analysed although
// classes.dex was not.
func assertRestCounted(t *testing.T, d inspectDoc) {
	t.Helper()
	if o, ok := needOracle(t); ok {
		assert.GreaterOrEqual(t, d.Code.Classes, o.classes["classes2.dex"], "classes2.dex is still counted (dexdump)")
	}
}

func TestMalformedArtifacts(t *testing.T) {
	needSetup(t)
	for _, c := range artifactCases {
		file := filepath.Join(cases, "apk", c.file)
		t.Run("inspect/"+c.file, func(t *testing.T) {
			r := run(t, hardTimeout, "inspect", "--format", "json", file)
			assertBounds(t, r, file)
			if c.reasons != nil {
				assertUnreadable(t, r, file, c.reasons)
				return
			}
			if !assert.Contains(t, []int{0, 1}, r.exit, "a readable APK with unreadable parts is analysed\n%v", r) {
				return
			}
			if d, ok := decode[inspectDoc](t, r); ok {
				c.inspect(t, d)
			}
		})
		t.Run("check/"+c.file, func(t *testing.T) {
			r := run(t, hardTimeout, "check", "--format", "json", "--fail-on", "medium", "--policy", filepath.Join(repo, demoPolicy), file)
			assertBounds(t, r, file)
			if c.reasons != nil {
				assertUnreadable(t, r, file, c.reasons)
				return
			}
			if !c.unanalysedCode {
				assert.Contains(t, []int{0, 1}, r.exit, "%v", r)
				return
			}
			assert.Equal(t, 1, r.exit, "unanalysed-code is medium: --fail-on medium must exit 1\n%v", r)
			if d, ok := decode[checkDoc](t, r); ok {
				assert.True(t, d.has("unanalysed-code", "medium"), "want an unanalysed-code finding (medium), got rules %q", d.rules())
			}
		})
	}
}

func TestMalformedPolicies(t *testing.T) {
	needSetup(t)
	fixture := filepath.Join(repo, fixtureRel)
	policy := func(name string) string { return filepath.Join(cases, "policy", name) }

	t.Run("policy/garbage.txt", func(t *testing.T) {
		r := run(t, hardTimeout, "policy", "--format", "json", policy("garbage.txt"))
		assertBounds(t, r, policy("garbage.txt"))
		assertUnreadable(t, r, policy("garbage.txt"), []string{"binary", "unreadable", "not utf", "not a text", "not text", "encoding", "format", "unsupported", "unknown", "nul"})
	})
	t.Run("check/garbage.txt", func(t *testing.T) {
		r := run(t, hardTimeout, "check", "--format", "json", "--policy", policy("garbage.txt"), fixture)
		assertBounds(t, r, policy("garbage.txt"))
		assertUnreadable(t, r, policy("garbage.txt"), nil)
	})

	// An empty policy discloses nothing: exit 2, or a report that says so;
	// never a clean result.
	t.Run("policy/empty.txt", func(t *testing.T) {
		r := run(t, hardTimeout, "policy", "--format", "json", policy("empty.txt"))
		assertBounds(t, r, policy("empty.txt"))
		if r.exit == 2 {
			return
		}
		assert.Equal(t, 0, r.exit, "%v", r)
		if d, ok := decode[policyDoc](t, r); ok {
			assert.Empty(t, d.Permissions)
			assert.Empty(t, d.SDKs)
			assert.NotEmpty(t, d.Warnings, "an empty document must be flagged, not read as a policy that discloses nothing")
		}
	})
	t.Run("check/empty.txt", func(t *testing.T) {
		r := run(t, hardTimeout, "check", "--format", "json", "--policy", policy("empty.txt"), fixture)
		assertBounds(t, r, policy("empty.txt"))
		if r.exit == 2 {
			return
		}
		if !assert.Equal(t, 1, r.exit, "an empty policy against a build with SDKs and sensitive permissions is never clean\n%v", r) {
			return
		}
		if d, ok := decode[checkDoc](t, r); ok {
			assert.True(t, d.has("missing-sdk-list", "") || d.has("missing-permission-list", ""),
				"want a finding that no disclosure was found, got rules %q", d.rules())
		}
	})

	t.Run("policy/nested-divs.html", func(t *testing.T) {
		r := run(t, hardTimeout, "policy", "--format", "json", policy("nested-divs.html"))
		assertBounds(t, r, policy("nested-divs.html"))
		if !assert.Equal(t, 0, r.exit, "deep nesting is valid HTML\n%v", r) {
			return
		}
		d, ok := decode[policyDoc](t, r)
		if !ok || len(d.Warnings) > 0 {
			return // a warning says what was cut: nothing silently lost
		}
		ref := run(t, hardTimeout, "policy", "--format", "json", filepath.Join(repo, demoPolicy))
		require.Equal(t, 0, ref.exit, "%v", ref)
		want, ok := decode[policyDoc](t, ref)
		require.True(t, ok)
		gotP, gotS := d.names()
		wantP, wantS := want.names()
		assert.Equal(t, wantP, gotP, "permissions: the same body as the demo policy, only nested, without a warning")
		assert.Equal(t, wantS, gotS, "SDK rows: the same body as the demo policy, only nested, without a warning")
	})

	t.Run("policy/docx-bomb.docx", func(t *testing.T) {
		r := run(t, hardTimeout, "policy", "--format", "json", policy("docx-bomb.docx"))
		assertBounds(t, r, policy("docx-bomb.docx"))
		assertUnreadable(t, r, policy("docx-bomb.docx"), []string{"limit", "exceed", "too large", "bomb", "ratio"})
	})
}

func TestMissingAndUnreadableInputs(t *testing.T) {
	needSetup(t)
	fixture := filepath.Join(repo, fixtureRel)
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "a-directory.apk")
	require.NoError(t, os.Mkdir(dir, 0o755))

	for _, args := range [][]string{
		{"inspect", dir},
		{"policy", dir},
		{"check", "--policy", filepath.Join(repo, demoPolicy), dir},
		{"check", "--policy", dir, fixture},
	} {
		t.Run("directory/"+args[0]+"/"+strconv.Itoa(len(args)), func(t *testing.T) {
			r := run(t, hardTimeout, args...)
			assertBounds(t, r, dir)
			assertUnreadable(t, r, dir, []string{"is a directory"})
		})
	}

	missing := filepath.Join(tmp, "no-such.apk")
	t.Run("missing/inspect", func(t *testing.T) {
		r := run(t, hardTimeout, "inspect", missing)
		assertBounds(t, r, missing)
		assertUnreadable(t, r, missing, []string{"no such file", "does not exist", "not found"})
	})
	t.Run("missing/policy", func(t *testing.T) {
		r := run(t, hardTimeout, "check", "--policy", filepath.Join(tmp, "no-such.html"), fixture)
		assertBounds(t, r, filepath.Join(tmp, "no-such.html"))
		assertUnreadable(t, r, filepath.Join(tmp, "no-such.html"), []string{"no such file", "does not exist", "not found"})
	})

	t.Run("permission-denied", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("running as root, which reads files whatever their mode; missing/* covers the unreadable path")
		}
		locked := filepath.Join(tmp, "locked.apk")
		b, err := os.ReadFile(fixture)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(locked, b, 0o000))
		r := run(t, hardTimeout, "inspect", locked)
		assertBounds(t, r, locked)
		assertUnreadable(t, r, locked, []string{"permission denied"})
	})
}

// TestBatchOverMalformed runs batch over every malformed artifact: it must
// not abort, print one JSON line per file with "error" on the unreadable
// ones, and exit 2.
func TestBatchOverMalformed(t *testing.T) {
	needSetup(t)
	dir := filepath.Join(cases, "apk")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	unreadable := map[string]bool{}
	for _, c := range artifactCases {
		unreadable[c.file] = c.reasons != nil
	}
	for _, c := range budgetCases {
		unreadable[c.file] = c.exit == 2
	}

	// Under 1 GiB of address space with four artifacts at once: the scans
	// share what the limit leaves (limits.FitAddressSpace), so two overlap
	// bombs inflating side by side do not kill the batch.
	var wrap []string
	if prlimit, err := exec.LookPath("prlimit"); err == nil {
		wrap = []string{prlimit, "--as=" + itoa(1<<30), "--"}
	}
	r := runWrapped(t, 60*time.Second, wrap, "batch", "--jobs", "4", dir)
	for _, p := range contractProblems(r, "") {
		t.Errorf("%s\n%v", p, r)
	}
	assert.Less(t, r.wall, 30*time.Second, "wall time\n%v", r)
	assert.Less(t, r.maxRSS, int64(1<<30), "peak RSS\n%v", r)
	assert.Equal(t, 2, r.exit, "some inputs are unreadable\n%v", r)

	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(r.stdout))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if !assert.NoError(t, json.Unmarshal(line, &m), "line is not JSON: %.300s", line) {
			continue
		}
		name := lineFile(m, line, entries)
		if !assert.NotEmpty(t, name, "line names no input file: %.300s", line) {
			continue
		}
		assert.False(t, seen[name], "two lines for %s", name)
		seen[name] = true
		e, hasErr := m["error"]
		if unreadable[name] {
			assert.True(t, hasErr && e != nil && e != "", "%s is unreadable: its line wants \"error\": %.300s", name, line)
		} else {
			assert.False(t, hasErr && e != nil && e != "", "%s is readable: its line has an error: %.300s", name, line)
		}
	}
	for _, e := range entries {
		assert.True(t, seen[e.Name()], "no line for %s: batch dropped it\n%v", e.Name(), r)
	}
}

// lineFile returns the base name of the input a batch line is about.
func lineFile(m map[string]any, line []byte, entries []os.DirEntry) string {
	path := ""
	if a, ok := m["artifact"].(map[string]any); ok {
		path, _ = a["path"].(string)
	}
	for _, k := range []string{"path", "file", "input"} {
		if s, ok := m[k].(string); ok && path == "" {
			path = s
		}
	}
	if path != "" {
		return filepath.Base(path)
	}
	for _, e := range entries {
		if bytes.Contains(line, []byte("/"+e.Name()+`"`)) || bytes.Contains(line, []byte(`"`+e.Name()+`"`)) {
			return e.Name()
		}
	}
	return ""
}
