package manifest

import (
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	aaptPermRE    = regexp.MustCompile(`^(?:uses-permission|uses-permission-sdk-23|optional-permission): name='([^']*)'`)
	aaptUsesRE    = regexp.MustCompile(`^(uses-permission|uses-permission-sdk-23): name='([^']*)'(?: maxSdkVersion='([0-9]+)')?`)
	aaptPackageRE = regexp.MustCompile(`^package: name='([^']*)' versionCode='([^']*)' versionName='([^']*)'`)
	aaptLabelRE   = regexp.MustCompile(`^application-label:'(.*)'$`)
	aaptCompileRE = regexp.MustCompile(` compileSdkVersion='([0-9]+)'`)
	aaptMinRE     = regexp.MustCompile(`^sdkVersion:'([0-9]+)'`)
	aaptTargetRE  = regexp.MustCompile(`^targetSdkVersion:'([0-9]+)'`)
)

// aaptEscape mirrors ResTable::normalizeForOutput, which aapt applies to the
// strings it prints.
func aaptEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(s)
}

func foldPermissions(ps []UsesPermission) []string {
	set := map[string]bool{}
	for _, p := range ps {
		set[p.Name] = true
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// TestAXMLAgainstAapt decodes every corpus APK and compares the folded
// permission set with `aapt dump permissions`, and package, version and
// label with `aapt dump badging`.
func TestAXMLAgainstAapt(t *testing.T) {
	files := corpusAPKs(t)
	var (
		mu                                       sync.Mutex
		compared, skipped, badging, badgingSkips int
	)
	t.Run("files", func(t *testing.T) {
		for _, path := range files {
			name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				if testing.Short() && strings.Contains(path, "framework-res") {
					t.Skip("framework-res is slow under aapt; skipped with -short")
				}
				out, err := aapt(t, "dump", "permissions", path)
				if err != nil {
					mu.Lock()
					skipped++
					mu.Unlock()
					t.Skipf("aapt dump permissions fails on this file: %v", err)
				}
				var want []string
				set := map[string]bool{}
				for _, line := range strings.Split(out, "\n") {
					if m := aaptPermRE.FindStringSubmatch(line); m != nil && !set[m[1]] {
						set[m[1]] = true
						want = append(want, m[1])
					}
				}
				sort.Strings(want)
				m, err := readManifest(t, path)
				require.NoError(t, err)
				got := foldPermissions(m.Permissions)
				if len(want) == 0 {
					want = []string{}
				}
				assert.Equal(t, want, got, "permissions")

				// Element kind and maxSdkVersion, as sets of lines.
				wantLines, gotLines := map[string]bool{}, map[string]bool{}
				for _, line := range strings.Split(out, "\n") {
					if u := aaptUsesRE.FindStringSubmatch(line); u != nil {
						wantLines[u[1]+" "+u[2]+" "+u[3]] = true
					}
				}
				for _, p := range m.Permissions {
					kind, max := "uses-permission", ""
					if p.SDK23 {
						kind = "uses-permission-sdk-23"
					}
					if p.MaxSDK > 0 {
						max = strconv.Itoa(p.MaxSDK)
					}
					gotLines[kind+" "+p.Name+" "+max] = true
				}
				assert.Equal(t, wantLines, gotLines, "uses-permission kind and maxSdkVersion")
				mu.Lock()
				compared++
				mu.Unlock()

				out, err = aapt(t, "dump", "badging", path)
				if err != nil {
					mu.Lock()
					badgingSkips++
					mu.Unlock()
					return
				}
				var label string
				var pkg []string
				sdks := map[string]string{"min": "0", "target": "0", "compile": "0"}
				for _, line := range strings.Split(out, "\n") {
					if p := aaptPackageRE.FindStringSubmatch(line); p != nil {
						pkg = p
						if c := aaptCompileRE.FindStringSubmatch(line); c != nil {
							sdks["compile"] = c[1]
						}
					}
					if v := aaptMinRE.FindStringSubmatch(line); v != nil {
						sdks["min"] = v[1]
					}
					if v := aaptTargetRE.FindStringSubmatch(line); v != nil {
						sdks["target"] = v[1]
					}
					if l := aaptLabelRE.FindStringSubmatch(line); l != nil {
						label = l[1]
					}
				}
				require.NotNil(t, pkg, "no package line in aapt badging")
				assert.Equal(t, pkg[1], m.Package, "package")
				code := ""
				if m.VersionCode > 0 {
					code = strconv.FormatInt(m.VersionCode, 10)
				}
				assert.Equal(t, pkg[2], code, "versionCode")
				assert.Equal(t, pkg[3], aaptEscape(m.VersionName), "versionName")
				assert.Equal(t, label, aaptEscape(m.Label), "label")
				assert.Equal(t, sdks, map[string]string{
					"min":     strconv.Itoa(m.MinSDK),
					"target":  strconv.Itoa(m.TargetSDK),
					"compile": strconv.Itoa(m.CompileSDK),
				}, "SDK versions")
				mu.Lock()
				badging++
				mu.Unlock()
			})
		}
	})
	t.Logf("permissions compared with aapt on %d files, %d skipped (aapt failed); badging compared on %d, %d skipped",
		compared, skipped, badging, badgingSkips)
}
