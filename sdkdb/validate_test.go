package sdkdb

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// good is a valid entry; tests append or replace lines to break it.
const good = `- id: %ID%
  name: Good SDK
  name_zh: 好SDK
  aliases: [好]
  vendor: 好公司有限公司
  category: analytics
  privacy_policy_url: https://example.com/privacy
  signals:
    dex_packages: [com.good.%ID%]
`

func entryYAML(id string, extra string) string {
	return strings.ReplaceAll(good, "%ID%", strings.ReplaceAll(id, "-", "")) + extra
}

func validateYAML(t *testing.T, y string) []Problem {
	t.Helper()
	c, err := Load(fstest.MapFS{"v.yaml": {Data: []byte(y)}})
	require.NoError(t, err)
	return Validate(c)
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    string // substring of the only problem's message; "" = no problem
		line    int
		warning bool
	}{
		{"valid", entryYAML("a", ""), "", 0, false},
		{"missing name", "- id: a\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals: {meta_data: [K]}\n", "missing name", 1, false},
		{"missing id", "- name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals: {meta_data: [K]}\n", "missing id", 1, false},
		{"not kebab", "- id: Bad_Id\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals: {meta_data: [K]}\n", "not kebab-case", 1, false},
		{"no signals", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n", "no signals", 1, false},
		{"weak only", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals:\n    weak: [com.x]\n", "no signals", 6, false},
		{"bad prefix", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals:\n    dex_packages:\n      - com.ok\n      - com/slash/\n", `"com/slash/" is not a dotted Java name`, 9, false},
		{"bad glob", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: packer\n  signals:\n    native_libs: ['libjiagu[.so']\n", "bad glob", 7, false},
		{"lib path", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: packer\n  signals:\n    native_libs: [lib/arm64/libx.so]\n", "must be a file name", 7, false},
		{"bad component", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals:\n    components: [com.x.*.Foo]\n", "not a class name", 7, false},
		{"applicationId component ok", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals:\n    components: ['${applicationId}.wxapi.WXEntryActivity', '*.wxapi.WXPayEntryActivity', com.x.*]\n    permissions_defined: ['${applicationId}.permission.MIPUSH_RECEIVE']\n", "", 0, false},
		{"min_signals too high", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  min_signals: 2\n  signals: {meta_data: [K]}\n", "min_signals 2 but the entry has 1 signal kinds", 6, false},
		{"confidence", entryYAML("a", "  confidence: X\n"), `confidence "X"`, 10, false},
		{"unknown category", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: toys\n  signals: {meta_data: [K]}\n", "unknown category", 5, true},
		{"bad url", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  privacy_policy_url: ftp://x\n  signals: {meta_data: [K]}\n", "scheme must be http", 6, true},
		{"url no host", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  privacy_policy_url: 'https:///x'\n  signals: {meta_data: [K]}\n", "no host", 6, true},
		{"unknown platform permission", entryYAML("a", "  permissions: [android.permission.INTERNET, android.permission.READ_PHONE_STAT]\n"), "unknown platform permission", 10, true},
		{"vendor permission ok", entryYAML("a", "  permissions: [com.huawei.android.launcher.permission.CHANGE_BADGE, '${applicationId}.permission.JPUSH_MESSAGE']\n"), "", 0, false},
		{"bare permission", entryYAML("a", "  permissions: [READ_PHONE_STATE]\n"), "not a full permission name", 10, true},
		{"chinese without aliases", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: 甲公司\n  category: ads\n  privacy_policy_url: https://a.cn/p\n  signals: {meta_data: [K]}\n", "without aliases", 1, true},
		{"chinese without url", "- id: a\n  name: A\n  name_zh: 甲\n  aliases: [甲]\n  vendor: 甲公司\n  category: ads\n  signals: {meta_data: [K]}\n", "without privacy_policy_url", 1, true},
		{"chinese open-source library: no policy to link", "- id: a\n  name: A\n  name_zh: 甲\n  aliases: [甲]\n  vendor: 甲公司\n  category: ads\n  no_privacy_policy: Apache-2.0 library, collects nothing\n  signals: {meta_data: [K]}\n", "", 0, false},
		{"no policy and a policy", "- id: a\n  name: A\n  name_zh: 甲\n  aliases: [甲]\n  vendor: 甲公司\n  category: ads\n  privacy_policy_url: https://a.cn/p\n  no_privacy_policy: open source\n  signals: {meta_data: [K]}\n", "keep one of them", 8, false},
		{"foreign without aliases ok", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: Google LLC\n  category: ads\n  signals: {meta_data: [K]}\n", "", 0, false},
		{"unknown related", entryYAML("a", "  related: [nope]\n"), `unknown id "nope"`, 10, true},
		{"jni classes only", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: push\n  signals:\n    jni_classes: [cn.jpush.android.service.PushProtocol]\n", "", 0, false},
		{"bad jni class", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: push\n  signals:\n    jni_classes: [cn/jpush/android/service/PushProtocol]\n", "not a dotted Java name", 7, false},
		{"versions ok", entryYAML("a", "  version:\n    - manifest: com.alipay.sdk\n    - file: META-INF/x.version\n    - file: fabric/io.branch.properties\n      key: fabric-version\n    - pom: com.adjust.sdk:adjust-android\n    - class: com.tencent.mm.opensdk.constants.Build\n      field: SDK_VERSION_NAME\n      pattern: '^android (.+)$'\n"), "", 0, false},
		{"version two kinds", entryYAML("a", "  version:\n    - manifest: com.a\n      pom: g:a\n"), "exactly one of", 11, false},
		{"version none", entryYAML("a", "  version:\n    - pattern: '(.*)'\n"), "exactly one of", 11, false},
		{"version class without field", entryYAML("a", "  version:\n    - class: a.B\n"), "class and field go together", 11, false},
		{"version key without file", entryYAML("a", "  version:\n    - pom: g:a\n      key: v\n"), "key belongs to a file", 11, false},
		{"version bad pom", entryYAML("a", "  version:\n    - pom: adjust-android\n"), "not groupId:artifactId", 11, false},
		{"version file escapes", entryYAML("a", "  version:\n    - file: ../x.version\n"), "not a relative path", 11, false},
		{"version pattern no group", entryYAML("a", "  version:\n    - class: a.B\n      field: V\n      pattern: 'android .+'\n"), "no group", 11, false},
		{"version bad pattern", entryYAML("a", "  version:\n    - class: a.B\n      field: V\n      pattern: '(['\n"), "pattern", 11, false},
		{"version bad field", entryYAML("a", "  version:\n    - class: a.B\n      field: V.X\n"), "not a Java identifier", 11, false},
		{"duplicate value", "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: ads\n  signals:\n    meta_data: [K, K]\n", `lists "K" twice`, 7, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := validateYAML(t, tt.yaml)
			if tt.want == "" {
				assert.Empty(t, ps)
				return
			}
			require.Len(t, ps, 1, "%v", ps)
			assert.Contains(t, ps[0].Msg, tt.want)
			assert.Equal(t, tt.line, ps[0].Line)
			assert.Equal(t, tt.warning, ps[0].Warning)
			assert.Equal(t, "v.yaml", ps[0].File)
		})
	}
}

func TestValidateAcrossEntries(t *testing.T) {
	// Duplicate ids across files.
	c, err := Load(fstest.MapFS{
		"a.yaml": {Data: []byte(entryYAML("x", ""))},
		"b.yaml": {Data: []byte(entryYAML("x", ""))},
	})
	require.NoError(t, err)
	ps := Validate(c)
	var msgs []string
	for _, p := range ps {
		msgs = append(msgs, p.Error())
	}
	assert.Contains(t, msgs, "sdkdb: b.yaml:1: x: duplicate id (first at a.yaml:1)")
	// The duplicate's prefix also overlaps with the first.
	assert.Contains(t, msgs, `sdkdb: b.yaml:9: x: dex prefix "com.good.x" is also a dex_packages prefix of x: list it in one entry's weak, or relate the entries`)

	overlap := `- id: tencent-trtc
  name: TRTC
  name_zh: 实时音视频
  vendor: Tencent
  category: rtc-live
  signals:
    dex_packages: [com.tencent.trtc, com.tencent.liteav]
- id: tencent-im
  name: IM
  name_zh: 即时通信
  vendor: Tencent
  category: im
  signals:
    dex_packages: [com.tencent.imsdk]
    weak: [com.tencent.liteav]
- id: tencent-liteav
  name: LiteAV
  name_zh: 直播
  vendor: Tencent
  category: rtc-live
  signals:
    dex_packages: [com.tencent.liteav, com.tencent.rtmp]
`
	ps = validateYAML(t, overlap)
	require.Len(t, ps, 1)
	assert.Equal(t, "tencent-trtc", ps[0].ID)
	assert.Contains(t, ps[0].Msg, `"com.tencent.liteav" is also a dex_packages prefix of tencent-liteav`)
	assert.Equal(t, 7, ps[0].Line)
	assert.True(t, ps[0].Warning)

	// Relating them (either side) resolves the overlap; the nested prefix in weak is fine.
	ps = validateYAML(t, strings.Replace(overlap, "    dex_packages: [com.tencent.trtc, com.tencent.liteav]\n",
		"    dex_packages: [com.tencent.trtc, com.tencent.liteav]\n  related: [tencent-liteav]\n", 1))
	assert.Empty(t, ps)

	assert.Nil(t, Validate(nil))
}

func TestProblemError(t *testing.T) {
	assert.Equal(t, "sdkdb: a.yaml:3: x: bad", Problem{File: "a.yaml", Line: 3, ID: "x", Msg: "bad"}.Error())
	assert.Equal(t, "sdkdb: bad", Problem{Msg: "bad"}.Error())
}
