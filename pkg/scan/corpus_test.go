package scan_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/scan"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// fetched are the folders of testdata/external that make corpus fetches
// (../shared/corpus/fetch-external.sh); tests that count files walk only these.
var fetched = []string{"androguard", "npm", "framework-res.apk"}

func options(t testing.TB) scan.Options {
	cat, err := sdkdb.Embedded()
	require.NoError(t, err)
	return scan.Options{Catalogue: cat}
}

// corpusAPKs lists the APKs and AABs the acceptance criteria name: the shared corpus,
// and in the external corpus androguard tests/, android/, axml/, dalvik/, the top level
// of signing/, framework-res.apk and the npm APKs.
func corpusAPKs(t testing.TB) []string {
	var files []string
	isApp := func(p string) bool {
		l := strings.ToLower(p)
		return strings.HasSuffix(l, ".apk") || strings.HasSuffix(l, ".aab")
	}
	walk := func(dir string, recurse bool) {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && p != dir && !recurse {
				return filepath.SkipDir
			}
			if !d.IsDir() && isApp(p) {
				files = append(files, p)
			}
			return nil
		})
	}
	walk(testenv.Shared(t, "corpus", "apk"), true)
	ext := testenv.External(t)
	for _, d := range []string{"tests", "android", "axml", "dalvik"} {
		walk(filepath.Join(ext, "androguard", d), true)
	}
	walk(filepath.Join(ext, "androguard", "signing"), false)
	walk(filepath.Join(ext, "npm"), true)
	files = append(files, filepath.Join(ext, "framework-res.apk"))
	sort.Strings(files)
	return files
}

var aaptPerm = regexp.MustCompile(`^uses-permission(?:-sdk-23)?: name='([^']*)'`)

// aaptPermissions runs the oracle; ok is false when aapt cannot read the file.
func aaptPermissions(t testing.TB, file string) (perms []string, ok bool) {
	out, err := exec.Command("aapt", "dump", "permissions", file).Output()
	if err != nil {
		return nil, false
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if m := aaptPerm.FindStringSubmatch(strings.TrimSpace(line)); m != nil && !seen[m[1]] {
			seen[m[1]] = true
			perms = append(perms, m[1])
		}
	}
	sort.Strings(perms)
	return perms, true
}

// TestPermissionsMatchAapt is the acceptance oracle: for every corpus APK and AAB
// that aapt reads, the permission names equal `aapt dump permissions`
// (uses-permission + uses-permission-sdk-23, duplicates folded).
func TestPermissionsMatchAapt(t *testing.T) {
	if _, err := exec.LookPath("aapt"); err != nil {
		t.Skip("aapt not installed (make deps installs it)")
	}
	opt := options(t)
	opt.NoCode = true
	compared, aaptFailed := 0, 0
	for _, f := range corpusAPKs(t) {
		want, ok := aaptPermissions(t, f)
		if !ok {
			aaptFailed++
			continue
		}
		r, err := scan.Inspect(context.Background(), f, opt)
		if !assert.NoError(t, err, f) {
			continue
		}
		got := []string{}
		for _, p := range r.Inventory.Permissions {
			got = append(got, p.Name)
		}
		if want == nil {
			want = []string{}
		}
		assert.Equal(t, want, got, f)
		compared++
	}
	t.Logf("permissions equal aapt on %d files (aapt could not read %d)", compared, aaptFailed)
	assert.GreaterOrEqual(t, compared, 70) // 74 files; aapt cannot read 4 (janus, multidex …)
}

// TestClassCountsMatchDexdump: code.classes equals the class definitions dexdump reports, for every real DEX file.
func TestClassCountsMatchDexdump(t *testing.T) {
	if _, err := exec.LookPath("dexdump"); err != nil {
		t.Skip("dexdump not installed (make deps installs it)")
	}
	var dexes []string
	ext := testenv.External(t)
	for _, dir := range fetched {
		_ = filepath.WalkDir(filepath.Join(ext, dir), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".dex") {
				dexes = append(dexes, p)
			}
			return nil
		})
	}
	require.Len(t, dexes, 31)
	re := regexp.MustCompile(`class_defs_size\s*:\s*(\d+)`)
	opt := options(t)
	for _, f := range dexes {
		out, err := exec.Command("dexdump", "-f", dexdumpable(t, f)).CombinedOutput()
		require.NoError(t, err, "%s: %s", f, firstLine(out))
		want := 0
		for _, m := range re.FindAllSubmatch(out, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			want += n
		}
		r, err := scan.Inspect(context.Background(), f, opt)
		require.NoError(t, err, f)
		assert.Equal(t, want, r.Inventory.Code.Classes, f)
		assert.Equal(t, "dex", r.Inventory.Artifact.Kind, f)
	}
}

// dexdumpable returns f, or for DEX 036 (which dexdump refuses although the
// format is 035's) a copy relabelled 035: checksum and signature do not cover
// the version bytes, so the copy stays a valid file with the same classes.
func dexdumpable(t *testing.T, f string) string {
	data, err := os.ReadFile(f)
	require.NoError(t, err)
	if len(data) < 8 || string(data[4:7]) != "036" {
		return f
	}
	tmp := filepath.Join(t.TempDir(), filepath.Base(f))
	copy(data[4:7], "035")
	require.NoError(t, os.WriteFile(tmp, data, 0o644))
	return tmp
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return string(line)
}

func detected(t *testing.T, path string) []string {
	r, err := scan.Inspect(context.Background(), path, options(t))
	require.NoError(t, err, path)
	ids := []string{}
	for _, d := range r.SDKs {
		ids = append(ids, d.ID())
	}
	return ids
}

// TestExodusTrackers: real apps with real trackers (exodus-core's own test APKs).
func TestExodusTrackers(t *testing.T) {
	dir := testenv.Shared(t, "corpus", "apk", "exodus-core")
	ids := detected(t, filepath.Join(dir, "instapaper.apk"))
	for _, want := range []string{"firebase-analytics", "firebase-crashlytics", "facebook-sdk"} {
		assert.Contains(t, ids, want, "instapaper.apk")
	}
	assert.Contains(t, detected(t, filepath.Join(dir, "blooddonation.apk")), "google-admob", "blooddonation.apk")
}

// TestFixtureSDKs: the miitee fixture embeds the SDKs of seed 002's list plus JPush,
// Pangle and Getui (testdata/fixtures/src/miitee): every one is found and nothing else.
func TestFixtureSDKs(t *testing.T) {
	root := testenv.RepoRoot(t)
	tests := []struct {
		file string
		want []string
	}{
		// Seed 002's 16 rows (15 SDKs), the parts they bundle (Umeng's common library, Beacon's
		// Qimei device id, Shanyan's China Mobile login, JPush's JCore), and the undisclosed
		// JPush, Pangle and Getui.
		{"testdata/fixtures/apk/miitee.apk", []string{
			"cmcc-auth", "getui-push", "hms-core", "hms-scankit", "jcore", "jpush", "pangle-ads", "qq-connect",
			"sensors-analytics", "shanyan", "tencent-beacon", "tencent-cos", "tencent-im", "tencent-iot-explorer",
			"tencent-liteav", "tencent-qimei", "tencent-teduboard", "tencent-trtc", "tencent-x5", "umeng-analytics",
			"umeng-common", "wechat-opensdk"}},
		{"testdata/demo/demo.apk", []string{"pangle-ads", "tencent-bugly", "umeng-analytics", "umeng-common", "wechat-opensdk"}},
		{"testdata/fixtures/apk/packed.apk", []string{"qihoo-jiagu"}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			got := detected(t, filepath.Join(root, tt.file))
			sort.Strings(tt.want)
			assert.Equal(t, tt.want, got)
		})
	}
}
