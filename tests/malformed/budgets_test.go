//go:build linux

package malformed_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Per-scan budgets and lying bundle manifests (scripts/gen-malformed/budgets.go),
// each run under an address-space cap of budgetAS and budgetTime.
const (
	budgetAS   = 1 << 30
	budgetTime = 10 * time.Second
)

// budgetCase is one case of budgets.go: the exit code of check --fail-on
// medium, the text the warnings (or the exit-2 line) must hold, and whether
// an unanalysed-code finding and unanalysed entries are expected.
type budgetCase struct {
	file       string
	args       []string
	exit       int
	want       string // a warning (exit 0/1) or the stderr line (exit 2) holds it
	unanalysed string // an unanalysed entry whose path holds it; "" for none
	inspect    func(t *testing.T, d checkDoc)
}

var budgetCases = []budgetCase{
	{
		// Each inflated nested APK is read to the end and released before the
		// next: all 24 are analysed within the cap (2.3 GB if all were kept).
		file: "overlap-nested.apk", exit: 1,
		want: "23 entries overlap the next entry in all",
		inspect: func(t *testing.T, d checkDoc) {
			assertOuterAnalysed(t, d.inspectDoc)
			assert.Empty(t, d.Unanalysed)
			assert.Equal(t, 2+24*2, d.Code.DexFiles, "the fixture's 2 DEX files, and 2 in each of the 24 nested copies")
		},
	},
	{
		file: "overlap-dex.apk", args: []string{"--jobs", "4"}, exit: 1, unanalysed: "bomb/classes",
		want: "total uncompressed bytes read from the artifact",
		inspect: func(t *testing.T, d checkDoc) {
			assertOuterAnalysed(t, d.inspectDoc)
			// 4 GiB / 117 MB: 36 copies are read, the rest is over the total.
			assert.Equal(t, 36+1, d.Code.DexFiles, "DEX files read (36 copies + the fixture's classes2.dex)")
			assert.Len(t, d.Unanalysed, 40-36)
		},
	},
	{
		file: "overlap-dex.apk", args: []string{"--jobs", "2"}, exit: 1, unanalysed: "bomb/classes",
		want: "total uncompressed bytes read from the artifact",
	},
	{
		file: "dex041-many.apk", exit: 1, unanalysed: "classes.dex",
		want: "dex: DEX files in the 041 container (the rest is not read) exceeds the limit of 256",
		inspect: func(t *testing.T, d checkDoc) {
			assert.Equal(t, 256+1, d.Code.DexFiles, "256 of the container + classes2.dex")
		},
	},
	{file: "sparse-1g.dex", exit: 2, want: "dex size (limit: EntrySize): 1073741824 exceeds the limit of 536870912"},
	{
		file: "xapk-lying-base.xapk", exit: 1,
		want: `the bundle names "config.xxhdpi.apk" as the base APK, but its AndroidManifest.xml declares split="config.xxhdpi"`,
		inspect: func(t *testing.T, d checkDoc) {
			assertOuterAnalysed(t, d.inspectDoc) // the real base's permissions, not the split's none
			assert.Empty(t, d.Unanalysed)
		},
	},
	{file: "xapk-no-base.xapk", exit: 2, want: "the bundle holds no base APK"},
	{file: "xapk-base-over-budget.xapk", exit: 2, want: `the base APK base.apk could not be read: nested archive base.apk: bytes held in memory at once by the scan (limit: InFlight)`},
}

func TestBudgets(t *testing.T) {
	needSetup(t)
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	wrap := []string{prlimit, "--as=" + itoa(budgetAS), "--"}
	for _, c := range budgetCases {
		file := filepath.Join(cases, "apk", c.file)
		t.Run(c.file+strings.Join(c.args, ""), func(t *testing.T) {
			args := append([]string{"check", "--format", "json", "--fail-on", "medium", "--policy", filepath.Join(repo, demoPolicy)}, c.args...)
			r := runWrapped(t, budgetTime, wrap, append(args, file)...)
			for _, p := range contractProblems(r, file) {
				t.Errorf("%s\n%v", p, r)
			}
			require.Equal(t, c.exit, r.exit, "%v", r)
			if c.exit == 2 {
				assert.Contains(t, string(r.stderr), c.want)
				return
			}
			d, ok := decode[checkDoc](t, r)
			if !ok {
				return
			}
			assert.True(t, anyContains(d.Warnings, c.want), "a warning holds %q: %q", c.want, d.Warnings)
			if c.unanalysed != "" {
				assert.True(t, d.has("unanalysed-code", "medium"), "want unanalysed-code, got %q", d.rules())
				for _, u := range d.Unanalysed {
					assert.Contains(t, u.Path, c.unanalysed)
				}
				assert.NotEmpty(t, d.Unanalysed)
			}
			if c.inspect != nil {
				c.inspect(t, d)
			}
		})
	}
}

// TestBudgetsLeaveRealAPKsAlone: the fixture, its config split and real APKs
// of the corpus hit none of the new budgets, under the same cap.
func TestBudgetsLeaveRealAPKsAlone(t *testing.T) {
	needSetup(t)
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	files := []string{"testdata/fixtures/apk/miitee.apk", "testdata/fixtures/code/codereads.apk",
		"testdata/external/npm/appium-uiautomator2-server-v10.6.6.apk",
		"testdata/external/sdk-binaries/jpush-react-native@1.3.4/android/app/build/outputs/apk/app-debug.apk"}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			file := filepath.Join(repo, f)
			if strings.HasPrefix(f, "testdata/external/") {
				if _, err := exec.Command("test", "-f", file).Output(); err != nil {
					t.Skip("external corpus not mounted")
				}
			}
			r := runWrapped(t, budgetTime, []string{prlimit, "--as=" + itoa(budgetAS), "--"}, "inspect", "--format", "json", file)
			require.Equal(t, 0, r.exit, "%v", r)
			d, ok := decode[inspectDoc](t, r)
			require.True(t, ok)
			for _, w := range []string{"InFlight", "041 container", "total uncompressed bytes", "as the base APK"} {
				assert.False(t, anyContains(d.Warnings, w), "no warning of %q: %q", w, d.Warnings)
			}
			assert.Empty(t, d.Unanalysed)
		})
	}
}
