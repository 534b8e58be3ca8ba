package permissions

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name       string
		protection string
		sensitive  bool
		known      bool
		tc260      string
		group      string
		synonym    string // a phrase that must be among the synonyms, "" for none
	}{
		{"android.permission.CAMERA", "dangerous", true, true, "拍摄", "CAMERA", "相机权限"},
		{"android.permission.READ_PHONE_STATE", "dangerous", true, true, "读取电话状态", "PHONE", "读取手机状态"},
		{"android.permission.ACCESS_FINE_LOCATION", "dangerous", true, true, "访问精准定位", "LOCATION", "精准定位"},
		{"android.permission.INTERNET", "normal", false, true, "", "", "网络权限"},
		{"android.permission.QUERY_ALL_PACKAGES", "normal", true, true, "", "", "应用列表"},
		{"android.permission.ACCESS_AMBIENT_LIGHT_STATS", "signature", false, true, "", "", ""},
		{"com.meizu.flyme.push.permission.RECEIVE", "unknown", false, false, "", "", ""},
		{"", "unknown", false, false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lookup(tt.name)
			assert.Equal(t, tt.name, got.Name)
			assert.Equal(t, tt.protection, got.Protection)
			assert.Equal(t, tt.sensitive, got.Sensitive)
			assert.Equal(t, tt.known, got.Known)
			assert.Equal(t, tt.tc260, got.TC260Zh)
			assert.Equal(t, tt.group, got.Group)
			if tt.synonym == "" {
				return
			}
			var phrases []string
			for _, s := range got.Synonyms {
				phrases = append(phrases, s.Phrase)
				assert.Positive(t, s.DocFreq, s.Phrase)
				assert.NotContains(t, s.Phrase, "?")
			}
			assert.Contains(t, phrases, tt.synonym)
		})
	}
}

func TestDetails(t *testing.T) {
	cam := Lookup("android.permission.CAMERA")
	assert.Equal(t, []string{"instant"}, cam.Flags)
	assert.Equal(t, "拍摄照片和视频", cam.AospZh)
	assert.Equal(t, "拍摄", cam.Zh())
	// The first synonym and its frequency, and a noisy one, straight from the TSV row.
	assert.Equal(t, Synonym{Phrase: "相机权限", DocFreq: 87}, cam.Synonyms[0])
	assert.Equal(t, Synonym{Phrase: "扫一扫", Noisy: true, DocFreq: 42}, cam.Synonyms[len(cam.Synonyms)-1])

	cal := Lookup("android.permission.READ_CALENDAR")
	assert.Equal(t, "读取日历", cal.TC260Zh)
	assert.Equal(t, "读日历", cal.TC260Alt)

	// No TC260 name: Zh falls back to the AOSP label.
	assert.Equal(t, "拥有完全的网络访问权限", Lookup("android.permission.INTERNET").Zh())
	assert.Equal(t, "", Lookup("com.example.permission.C2D").Zh())
}

func TestAllAndPrivacy(t *testing.T) {
	all := All()
	// README.md of the reference data: 1,029 rows, base levels signature 762, internal 117, normal 100, dangerous 50.
	require.Len(t, all, 1029)
	count := map[string]int{}
	for i, p := range all {
		count[p.Protection]++
		assert.True(t, p.Known)
		if i > 0 {
			assert.Less(t, all[i-1].Name, p.Name)
		}
	}
	assert.Equal(t, map[string]int{"signature": 762, "internal": 117, "normal": 100, "dangerous": 50}, count)

	priv := Privacy()
	require.Len(t, priv, 73)
	dangerous, sensitive, withSynonyms := 0, 0, 0
	for i, p := range priv {
		if i > 0 {
			assert.Less(t, priv[i-1].Name, p.Name)
		}
		if len(p.Synonyms) > 0 {
			withSynonyms++
		}
		if p.Protection == "dangerous" {
			dangerous++
		}
		if p.Sensitive {
			sensitive++
		}
	}
	assert.Equal(t, 50, dangerous) // every dangerous permission is privacy-relevant
	assert.Greater(t, sensitive, 30)
	assert.Greater(t, withSynonyms, 50) // permissions with no corpus hit have no synonyms

	// Callers own the returned slices.
	all[0].Name = "mutated"
	assert.NotEqual(t, "mutated", All()[0].Name)
}

func TestParseErrors(t *testing.T) {
	_, err := parse("#c\nnot a header\n", privacyTSV)
	require.ErrorContains(t, err, "permissions: permissions-all.tsv:2: unexpected header")
	_, err = parse(allTSV, "#c\n"+privacyHeader+"\na\tb\n")
	require.ErrorContains(t, err, "2 fields")
	_, err = synonyms("a;b", "1")
	require.ErrorContains(t, err, "2 synonyms but 1 doc_freq")
	_, err = synonyms("a", "x")
	require.Error(t, err)
}

// TestEmbeddedMatchesShared regenerates the tables from ../shared/reference
// with gen.go and requires the embedded copies to be identical.
func TestEmbeddedMatchesShared(t *testing.T) {
	src := filepath.Dir(testenv.Shared(t, "reference", "permissions.tsv"))
	if testing.Short() {
		t.Skip("-short: skipping go run gen.go")
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "gen.go", "-src", src, "-out", out)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	for _, name := range []string{"permissions.tsv", "permissions-all.tsv"} {
		want, err := os.ReadFile(filepath.Join(out, name))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("data", name))
		require.NoError(t, err)
		assert.True(t, string(want) == string(got), "data/%s differs from the shared reference: run go generate ./pkg/permissions", name)
		assert.True(t, strings.HasPrefix(string(got), "# "), "data/%s lost its attribution header", name)
	}
}

// BenchmarkParseTables parses the two embedded tables, as the first Lookup
// of every scan does (on the scan pool, beside the largest DEX).
func BenchmarkParseTables(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(allTSV, privacyTSV); err != nil {
			b.Fatal(err)
		}
	}
}
