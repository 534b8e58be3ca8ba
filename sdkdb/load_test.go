package sdkdb

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const umengYAML = `# Umeng
- id: umeng-analytics
  name: Umeng Analytics
  name_zh: 友盟统计
  aliases: [友盟, umeng]
  vendor: 友盟同欣(北京)科技有限公司
  category: analytics
  family: umeng
  signals:
    dex_packages: [com.umeng.analytics]
    meta_data: [UMENG_APPKEY]
  privacy_policy_url: https://www.umeng.com/page/policy
- id: umeng-push
  name: Umeng Push
  name_zh: 友盟推送
  aliases: [友盟推送]
  vendor: 友盟同欣(北京)科技有限公司
  category: push
  family: umeng
  signals:
    dex_packages: [com.umeng.message]
    weak: [com.taobao.accs, org.android.agoo]
  min_signals: 1
  related: [umeng-analytics]
  privacy_policy_url: https://www.umeng.com/page/policy
`

const firebaseYAML = `version: "2026.11.23"
entries:
  - id: firebase-analytics
    name: Firebase Analytics
    name_zh: Firebase 分析
    vendor: Google LLC
    category: analytics
    signals:
      version_files: [com.google.firebase_firebase-analytics]
`

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"sdks/umeng.yaml":    {Data: []byte(umengYAML)},
		"sdks/firebase.yaml": {Data: []byte(firebaseYAML)},
		"sdks/empty.yaml":    {Data: []byte("# nothing yet\n")},
		"sdks/README.md":     {Data: []byte("not yaml: [")},
	}
	c, err := Load(fsys)
	require.NoError(t, err)
	assert.Equal(t, "2026.11.23", c.Version)
	var ids []string
	for _, e := range c.Entries {
		ids = append(ids, e.ID)
	}
	assert.Equal(t, []string{"firebase-analytics", "umeng-analytics", "umeng-push"}, ids)

	push := c.Lookup("umeng-push")
	require.NotNil(t, push)
	assert.Equal(t, WeakSignals{DexPackages: []string{"com.taobao.accs", "org.android.agoo"}}, push.Signals.Weak)
	file, line := push.Source()
	assert.Equal(t, "sdks/umeng.yaml", file)
	assert.Equal(t, 13, line)
	assert.Equal(t, 22, push.lineOf("signals.weak.dex_packages.0"))
	assert.Equal(t, 22, push.lineOf("signals.weak.dex_packages.9")) // unknown item: the key's line
	assert.Nil(t, c.Lookup("nope"))
	assert.Nil(t, (*Catalogue)(nil).Lookup("umeng-push"))

	fam := c.Families()
	require.Len(t, fam["umeng"], 2)
	assert.Equal(t, "umeng-analytics", fam["umeng"][0].ID)
	assert.NotContains(t, fam, "")

	assert.Empty(t, Validate(c))
}

// TestWeakSignals: signals.weak is a mapping by kind, like the strong
// signals; the flat list of older files is sorted into kinds by shape, and
// every value keeps its line for Validate.
func TestWeakSignals(t *testing.T) {
	entry := func(weak string) string {
		return "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: push\n  signals:\n    dex_packages: [com.a]\n    weak:" + weak
	}
	tests := []struct {
		name string
		weak string
		want WeakSignals
	}{
		{"typed", "\n      dex_packages: [com.taobao.accs]\n      native_libs: [libx.so]\n      components: [com.b.Service]\n      meta_data: [B_KEY]\n",
			WeakSignals{DexPackages: []string{"com.taobao.accs"}, NativeLibs: []string{"libx.so"}, Components: []string{"com.b.Service"}, MetaData: []string{"B_KEY"}}},
		{"flat list by shape", "\n      - com.taobao.accs\n      - libx.so\n      - libvad*\n      - com.b.*\n      - '*.wxapi.WXEntryActivity'\n      - ${applicationId}.push.Receiver\n",
			WeakSignals{DexPackages: []string{"com.taobao.accs"}, NativeLibs: []string{"libx.so", "libvad*"},
				Components: []string{"com.b.*", "*.wxapi.WXEntryActivity", "${applicationId}.push.Receiver"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(entry(tt.weak))}})
			require.NoError(t, err)
			assert.Equal(t, tt.want, c.Entries[0].Signals.Weak)
		})
	}
	// A bad value is reported at its own line, in either form.
	for weak, line := range map[string]int{"\n      native_libs: [ok.so, 'lib[.so']\n": 9, "\n      - ok.so\n      - lib[.so\n": 10} {
		c, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(entry(weak))}})
		require.NoError(t, err)
		ps := Validate(c)
		require.Len(t, ps, 1, "%v", ps)
		assert.Contains(t, ps[0].Msg, "signals.weak.native_libs: bad glob")
		assert.Equal(t, line, ps[0].Line)
	}
	_, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(entry("\n      classes: [com.a.B]\n"))}})
	require.Error(t, err, "classes cannot be weak")
	assert.Contains(t, err.Error(), "a.yaml:9: unknown field signals.weak.classes")
}

// TestSignalKindTable: the table names every list of Signals and of
// WeakSignals by its YAML key, once, and orders evidence code first.
func TestSignalKindTable(t *testing.T) {
	keys := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			if tag, _, _ := strings.Cut(rt.Field(i).Tag.Get("yaml"), ","); tag != "weak" {
				out = append(out, tag)
			}
		}
		sort.Strings(out)
		return out
	}
	var all, weak []string
	for _, k := range SignalKinds() {
		all = append(all, k.Key)
		if k.CanBeWeak() {
			weak = append(weak, k.Key)
		}
		assert.NotEmpty(t, k.Evidence, k.Key)
	}
	sort.Strings(all)
	sort.Strings(weak)
	assert.Equal(t, keys(Signals{}), all)
	assert.Equal(t, keys(WeakSignals{}), weak)
	assert.Equal(t, 0, EvidenceOrder(EvidenceDexPackage))
	assert.Less(t, EvidenceOrder(EvidenceString), EvidenceOrder(EvidenceVersionFile))
	assert.Equal(t, len(SignalKinds()), EvidenceOrder("code-call"), "kinds no signal reports sort last")

	s := Signals{DexPackages: []string{"a.b", "a.c"}, Weak: WeakSignals{DexPackages: []string{"x.y"}, NativeLibs: []string{"l.so"}}}
	assert.Equal(t, map[string]int{"dex_packages": 2, "weak": 2}, s.Count())
}

func TestLoadVersionDigest(t *testing.T) {
	a, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(umengYAML)}})
	require.NoError(t, err)
	b, err := Load(fstest.MapFS{"a.yaml": {Data: []byte(umengYAML + "\n")}})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(a.Version, "sha256-"), a.Version)
	assert.NotEqual(t, a.Version, b.Version)
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"unknown field", "- id: a\n  name: A\n  foo: 1\n", []string{"sdkdb: x.yaml:3: unknown field foo"}},
		{"unknown signal field", "- id: a\n  signals:\n    dex_package: [a.b]\n", []string{"sdkdb: x.yaml:3: unknown field signals.dex_package"}},
		{"unknown version field", "- id: a\n  version:\n    - manifest: a.b\n      mainfest: a.b\n", []string{"sdkdb: x.yaml:4: unknown field version.0.mainfest"}},
		{"reference key hint", "- id: a\n  dex_prefixes: [a.b]\n", []string{"x.yaml:2: unknown field dex_prefixes (did you mean signals.dex_packages?)"}},
		{"wrong type", "- id: a\n  min_signals: two\n", []string{"sdkdb: x.yaml:2: cannot unmarshal"}},
		{"entry not a mapping", "- just a string\n", []string{"x.yaml:1: an entry must be a mapping"}},
		{"scalar file", "hello\n", []string{"x.yaml:1: want a list of entries"}},
		{"bad top-level key", "version: x\nentry: []\n", []string{"x.yaml:2: unknown field entry"}},
		{"syntax", "- id: a\n  name: [unclosed\n", []string{"sdkdb: x.yaml:"}},
		{"duplicate key", "- id: a\n  id: b\n", []string{"x.yaml:2:", "already defined"}},
		{"two bad entries", "- id: a\n  x: 1\n- id: b\n  y: 2\n", []string{"x.yaml:2: unknown field x", "x.yaml:4: unknown field y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(tt.yaml)}})
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}

	_, err := Load(fstest.MapFS{
		"a.yaml": {Data: []byte("version: one\nentries: []\n")},
		"b.yaml": {Data: []byte("version: two\nentries: []\n")},
	})
	require.ErrorContains(t, err, `b.yaml: version "two" differs from "one" in a.yaml`)
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "extra.yaml")
	require.NoError(t, os.WriteFile(p, []byte(firebaseYAML), 0o644))
	c, err := LoadFile(p)
	require.NoError(t, err)
	require.Len(t, c.Entries, 1)
	f, _ := c.Entries[0].Source()
	assert.Equal(t, p, f)

	_, err = LoadFile(filepath.Join(dir, "missing.yaml"))
	require.ErrorContains(t, err, "sdkdb: ")

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("- id: a\n  bogus: 1\n"), 0o644))
	_, err = LoadFile(bad)
	require.EqualError(t, err, "sdkdb: "+bad+":2: unknown field bogus")
}

func TestMerge(t *testing.T) {
	base, err := Load(fstest.MapFS{"umeng.yaml": {Data: []byte(umengYAML)}})
	require.NoError(t, err)
	extra, err := Load(fstest.MapFS{"user.yaml": {Data: []byte(firebaseYAML + `  - id: umeng-push
    name: Umeng Push (patched)
    name_zh: 友盟推送
    vendor: Umeng
    category: push
    signals:
      dex_packages: [com.umeng.message, com.umeng.newpush]
`)}})
	require.NoError(t, err)
	m := Merge(base, extra)
	require.Len(t, m.Entries, 3)
	assert.Equal(t, "Umeng Push (patched)", m.Lookup("umeng-push").Name)
	assert.Equal(t, "Umeng Analytics", m.Lookup("umeng-analytics").Name)
	assert.NotNil(t, m.Lookup("firebase-analytics"))
	assert.Equal(t, base.Version+"+2026.11.23", m.Version)
	// base is untouched
	assert.Equal(t, "Umeng Push", base.Lookup("umeng-push").Name)
	assert.Len(t, base.Entries, 2)

	assert.Len(t, Merge(base, nil).Entries, 2)
	assert.Len(t, Merge(nil, extra).Entries, 2)
}

// TestEvidenceNamesZh: every evidence kind a signal reports has a Chinese name.
func TestEvidenceNamesZh(t *testing.T) {
	for _, k := range SignalKinds() {
		assert.NotEqual(t, k.Evidence, EvidenceNameZh(k.Evidence), k.Evidence)
	}
	assert.Equal(t, "no-such-kind", EvidenceNameZh("no-such-kind"))
}

// TestLoadLimits: a catalogue over a count limit is refused before its
// entries are decoded, with the limit named and the line of the entry that
// crossed it; one at the limits loads; a merge of files each within the
// limits is held to them as a whole.
func TestLoadLimits(t *testing.T) {
	entries := func(n, aliases int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "- id: e-%d\n  aliases: [", i)
			for j := range aliases {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "a%d-%d", i, j)
			}
			b.WriteString("]\n")
		}
		return b.String()
	}
	tests := []struct {
		name string
		yaml string
		want string // substring of the error; "" loads
	}{
		{"entries at the limit", entries(limits.CatalogueEntries, 1), ""},
		{"one entry too many", entries(limits.CatalogueEntries+1, 0), fmt.Sprintf("x.yaml:%d: catalogue entries: %d exceeds the limit of %d", 2*limits.CatalogueEntries+1, limits.CatalogueEntries+1, limits.CatalogueEntries)},
		{"aliases of one entry at the limit", entries(1, limits.CatalogueEntryAliases), ""},
		{"one alias too many in an entry", entries(1, limits.CatalogueEntryAliases+1), "x.yaml:1: aliases of one catalogue entry: 257 exceeds the limit of 256"},
		{"too many aliases in all", entries(limits.CatalogueAliases/100+1, 100), "catalogue aliases exceeds the limit of 25000"},
		{"too many values in one entry", "- id: x\n  signals:\n    classes: [" + strings.Repeat("a.B, ", limits.CatalogueEntryItems) + "a.B]\n", "x.yaml:1: values in one catalogue entry exceeds the limit of 4000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(tt.yaml)}})
			if tt.want == "" {
				require.NoError(t, err)
				assert.NoError(t, WithinLimits(c))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}

	half, err := Load(fstest.MapFS{"x.yaml": {Data: []byte(entries(limits.CatalogueEntries/2+1, 0))}})
	require.NoError(t, err)
	other, err := Load(fstest.MapFS{"y.yaml": {Data: []byte(strings.ReplaceAll(entries(limits.CatalogueEntries/2+1, 0), "id: e-", "id: f-"))}})
	require.NoError(t, err)
	assert.ErrorContains(t, WithinLimits(Merge(half, other)), "catalogue entries, all files together: 5002 exceeds the limit of 5000")
}
