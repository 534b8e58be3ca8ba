package manifest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// protoAPK writes the manifest and resources.pb of one bundle module as an
// APK in aapt2's proto format, which aapt2 dump reads.
func protoAPK(t *testing.T, manifest, table []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "module.apk")
	f, err := os.Create(p)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	for name, data := range map[string][]byte{"AndroidManifest.xml": manifest, "resources.pb": table} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
	return p
}

var (
	aapt2Resource = regexp.MustCompile(`^\s+resource (0x[0-9a-f]{8}) string/`)
	aapt2Default  = regexp.MustCompile(`^\s+\(\) "(.*)"$`)
)

// TestProtoResourcesMatchAapt2 opens the resources.pb of every module of the
// corpus bundles and checks it against aapt2 (the independent oracle): the
// application label of dump badging, and the default-configuration value of
// every string resource of dump resources.
func TestProtoResourcesMatchAapt2(t *testing.T) {
	aapt2, err := exec.LookPath("aapt2")
	if err != nil {
		t.Skip("aapt2 not installed (make deps: Debian's aapt)")
	}
	dir := filepath.Join(corpusDir(t), "apk", "bundletool")
	labels, strs := 0, 0
	for _, aab := range []string{"install-time-permanent-modules.aab", "watch-face-from-tool.aab"} {
		for _, mod := range []string{"base", "runtime", "java", "assets", "initialInstall"} {
			man, err := zipEntry(filepath.Join(dir, aab), mod+"/manifest/AndroidManifest.xml")
			require.NoError(t, err)
			table, err := zipEntry(filepath.Join(dir, aab), mod+"/resources.pb")
			require.NoError(t, err)
			if man == nil || table == nil {
				continue
			}
			t.Run(aab+"/"+mod, func(t *testing.T) {
				res, err := LoadProtoResources(table)
				require.NoError(t, err)
				m, err := ParseProto(man, res)
				require.NoError(t, err)
				apk := protoAPK(t, man, table)

				out, err := exec.Command(aapt2, "dump", "badging", apk).CombinedOutput()
				require.NoError(t, err, "%s", out)
				for _, line := range strings.Split(string(out), "\n") {
					v, ok := strings.CutPrefix(line, "application-label:")
					if !ok {
						continue
					}
					if v = strings.Trim(v, "'"); strings.HasPrefix(v, "@") {
						// A feature module's label points into the base module's
						// table: unresolvable from the module alone, for both.
						assert.True(t, strings.HasPrefix(m.Label, "@0x"), m.Label)
						continue
					}
					assert.Equal(t, v, m.Label)
					labels++
				}

				out, err = exec.Command(aapt2, "dump", "resources", apk).Output()
				require.NoError(t, err)
				sc := bufio.NewScanner(bytes.NewReader(out))
				sc.Buffer(nil, 1<<20)
				var id uint32
				for sc.Scan() {
					if g := aapt2Resource.FindStringSubmatch(sc.Text()); g != nil {
						v, _ := strconv.ParseUint(g[1], 0, 32)
						id = uint32(v)
						continue
					}
					g := aapt2Default.FindStringSubmatch(sc.Text())
					if g == nil || id == 0 || strings.ContainsAny(g[1], `\"`) {
						continue // escaped values are printed differently
					}
					got, ok := res.String(id)
					assert.True(t, ok, "%#08x", id)
					assert.Equal(t, g[1], got, "%#08x", id)
					strs++
					id = 0
				}
			})
		}
	}
	assert.Equal(t, 2, labels, "both bundles' base modules have a label")
	assert.Greater(t, strs, 100, "string resources compared")
	t.Logf("%d labels and %d string resources agree with aapt2", labels, strs)
}

func TestProtoResourcesMalformed(t *testing.T) {
	data, err := zipEntry(filepath.Join(corpusDir(t), "apk", "bundletool", "watch-face-from-tool.aab"), "base/resources.pb")
	require.NoError(t, err)
	for _, cut := range []int{1, 7, len(data) / 2, len(data) - 1} {
		_, err := LoadProtoResources(data[:cut])
		assert.ErrorIs(t, err, ErrFormat, "cut at %d", cut)
	}
	r, err := LoadProtoResources(nil)
	require.NoError(t, err, "an empty table is a valid, empty message")
	_, ok := r.String(0x7f030004)
	assert.False(t, ok)
}
