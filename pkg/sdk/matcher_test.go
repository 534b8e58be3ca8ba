package sdk

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// testCatalogue is a small hand-written catalogue exercising every matcher rule.
const testCatalogue = `
- {id: umeng-analytics, name: UA, name_zh: 友盟统计, vendor: V, category: analytics,
   signals: {dex_packages: [com.umeng.analytics], meta_data: [UMENG_APPKEY]}}
- {id: umeng-push, name: UP, name_zh: 友盟推送, vendor: V, category: push,
   signals: {dex_packages: [com.umeng.message], weak: [com.taobao.accs, org.android.agoo]}}
- {id: aliyun-push, name: AP, name_zh: 阿里云推送, vendor: V, category: push,
   signals: {dex_packages: [com.alibaba.sdk.android.push, com.taobao.accs],
             weak: [org.android.agoo, 'com.taobao.accs.ChannelService$KernelService']}}
- {id: tencent-liteav, name: L, name_zh: 直播, vendor: V, category: rtc-live,
   signals: {dex_packages: [com.tencent.liteav, com.tencent.rtmp], native_libs: [libliteavsdk.so]}}
- {id: tencent-trtc, name: T, name_zh: 实时音视频, vendor: V, category: rtc-live,
   signals: {dex_packages: [com.tencent.trtc, com.tencent.liteav.trtc], weak: [com.tencent.liteav, libliteavsdk.so]}}
- {id: tencent-im, name: I, name_zh: 即时通信, vendor: V, category: im,
   signals: {dex_packages: [com.tencent.imsdk], weak: [com.tencent.liteav]}}
- {id: wechat-opensdk, name: W, name_zh: 微信, vendor: V, category: social-login-share,
   signals: {dex_packages: [com.tencent.mm.opensdk], components: ['*.wxapi.WXEntryActivity']}}
- {id: xiaomi-push, name: X, name_zh: 小米推送, vendor: V, category: push-channel,
   signals: {dex_packages: [com.xiaomi.mipush.sdk], components: [com.xiaomi.push.service.*],
             permissions_defined: ['${applicationId}.permission.MIPUSH_RECEIVE']}}
- {id: unicom-login, name: U, name_zh: 联通, vendor: V, category: login-oneclick, min_signals: 2,
   signals: {dex_packages: [com.sdk], components: [com.sdk.base.module.manager.SDKManager]}}
- {id: shanyan, name: S, name_zh: 闪验, vendor: V, category: login-oneclick,
   signals: {dex_packages: [com.chuanglan.shanyan_sdk]}}
- {id: cmic-sso, name: C, name_zh: 移动认证, vendor: V, category: login-oneclick, nested_in: [shanyan],
   signals: {dex_packages: [com.cmic.sso.sdk]}}
- {id: qihoo-jiagu, name: J, name_zh: 360加固, vendor: V, category: packer,
   signals: {native_libs: ['libjiagu*.so'], assets: ['libjiagu*.so']}}
- {id: firebase-analytics, name: F, name_zh: F, vendor: V, category: analytics,
   signals: {version_files: [com.google.firebase_firebase-analytics]}}
- {id: example-strings, name: E, name_zh: E, vendor: V, category: network,
   signals: {strings: [api.example-sdk.com, cfg.example-sdk.com]}}
- {id: alipay, name: A, name_zh: 支付宝, vendor: V, category: payment,
   signals: {classes: [com.alipay.sdk.app.PayTask], weak: [com.alipay]}}
`

func testMatcher(t testing.TB) *Matcher {
	t.Helper()
	c, err := sdkdb.Load(fstest.MapFS{"test.yaml": {Data: []byte(testCatalogue)}})
	require.NoError(t, err)
	for _, p := range sdkdb.Validate(c) {
		if !p.Warning {
			t.Fatalf("test catalogue: %v", p)
		}
	}
	return NewMatcher(c)
}

func pkgs(names ...string) []inventory.Package {
	var out []inventory.Package
	for _, n := range names {
		out = append(out, inventory.Package{Name: n, Classes: 3})
	}
	return out
}

func comps(names ...string) []inventory.Component {
	var out []inventory.Component
	for _, n := range names {
		out = append(out, inventory.Component{Name: n})
	}
	return out
}

func ids(ds []Detection) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.ID())
	}
	return out
}

func TestMatch(t *testing.T) {
	m := testMatcher(t)
	tests := []struct {
		name string
		inv  inventory.Inventory
		want []string
	}{
		{"empty", inventory.Inventory{}, []string{}},
		{"segment boundary", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/umengx/analytics", "com/umeng/analyticsx", "com/umeng")}}, []string{}},
		{"package itself and sub-packages", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/umeng/analytics", "com/umeng/analytics/pro/a")}}, []string{"umeng-analytics"}},
		{"meta-data alone", inventory.Inventory{MetaData: []inventory.MetaData{{Name: "UMENG_APPKEY", Value: "x"}}}, []string{"umeng-analytics"}},
		{"weak only not reported", inventory.Inventory{Code: inventory.Code{Packages: pkgs("org/android/agoo/x", "com/alipay/mobile")}}, []string{}},
		{"weak component only", inventory.Inventory{Components: inventory.Components{Services: comps("com.taobao.accs.ChannelService$KernelService")}}, []string{}},
		{"umeng push with accs", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/umeng/message", "com/taobao/accs", "com/taobao/accs/net", "org/android/agoo")}}, []string{"umeng-push"}},
		{"aliyun push with accs", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/alibaba/sdk/android/push", "com/taobao/accs", "org/android/agoo")}}, []string{"aliyun-push"}},
		{"accs alone", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/taobao/accs")}}, []string{"aliyun-push"}},
		{"both pushes", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/alibaba/sdk/android/push", "com/umeng/message", "com/taobao/accs")}}, []string{"aliyun-push", "umeng-push"}},
		{"trtc bundles liteav core", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/tencent/trtc", "com/tencent/liteav/trtc/impl", "com/tencent/liteav/basic", "com/tencent/liteav/audio")}, NativeLibs: []string{"lib/arm64-v8a/libliteavsdk.so"}}, []string{"tencent-trtc"}},
		{"liteav alone", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/tencent/liteav/basic")}}, []string{"tencent-liteav"}},
		{"liteav with its own evidence next to trtc", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/tencent/trtc", "com/tencent/liteav/basic", "com/tencent/rtmp")}}, []string{"tencent-liteav", "tencent-trtc"}},
		{"im over liteav", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/tencent/imsdk", "com/tencent/liteav/basic")}}, []string{"tencent-im"}},
		{"wechat by component suffix", inventory.Inventory{Components: inventory.Components{Activities: comps("com.example.app.wxapi.WXEntryActivity")}}, []string{"wechat-opensdk"}},
		{"wechat suffix needs a dot boundary", inventory.Inventory{Components: inventory.Components{Activities: comps("com.example.appwxapi.WXEntryActivity", "com.example.wxapi.WXEntryActivityX")}}, []string{}},
		{"component package prefix", inventory.Inventory{Components: inventory.Components{Services: comps("com.xiaomi.push.service.XMPushService")}}, []string{"xiaomi-push"}},
		{"component package prefix boundary", inventory.Inventory{Components: inventory.Components{Services: comps("com.xiaomi.push.servicex.XMPushService")}}, []string{}},
		{"applicationId permission", inventory.Inventory{App: inventory.App{Package: "com.example.app"}, PermissionDefs: []inventory.PermissionDef{{Name: "com.example.app.permission.MIPUSH_RECEIVE"}}}, []string{"xiaomi-push"}},
		{"applicationId of another app", inventory.Inventory{App: inventory.App{Package: "com.example.app"}, PermissionDefs: []inventory.PermissionDef{{Name: "com.other.permission.MIPUSH_RECEIVE"}}}, []string{}},
		{"applicationId, package unknown", inventory.Inventory{PermissionDefs: []inventory.PermissionDef{{Name: "com.other.permission.MIPUSH_RECEIVE"}}}, []string{"xiaomi-push"}},
		{"min_signals 2 with one kind", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/sdk/base", "com/sdk/a")}}, []string{}},
		{"min_signals 2 with two kinds", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/sdk/base")}, Components: inventory.Components{Activities: comps("com.sdk.base.module.manager.SDKManager")}}, []string{"unicom-login"}},
		{"native glob", inventory.Inventory{NativeLibs: []string{"lib/armeabi-v7a/libjiagu_a64.so", "lib/x86/libjiagu_a64.so"}}, []string{"qihoo-jiagu"}},
		{"native glob no match", inventory.Inventory{NativeLibs: []string{"lib/armeabi-v7a/libjiag.so", "lib/arm64-v8a/xlibjiagu.so"}}, []string{}},
		{"asset glob", inventory.Inventory{Assets: []string{"assets/libjiagu.so"}}, []string{"qihoo-jiagu"}},
		{"version file", inventory.Inventory{VersionFiles: []inventory.VersionFile{{Name: "com.google.firebase_firebase-analytics", Version: "21.5.0"}}}, []string{"firebase-analytics"}},
		{"version file other", inventory.Inventory{VersionFiles: []inventory.VersionFile{{Name: "com.google.firebase_firebase-analytics-ktx", Version: "21.5.0"}}}, []string{}},
		{"string", inventory.Inventory{Strings: map[string]int{"api.example-sdk.com": 2}}, []string{"example-strings"}},
		{"string counted zero", inventory.Inventory{Strings: map[string]int{"api.example-sdk.com": 0}}, []string{}},
		{"class by package when names absent", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/alipay/sdk/app", "com/alipay/mobile")}}, []string{"alipay"}},
		{"class names kept: exact class", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/alipay/sdk/app"), ClassNames: []string{"com.alipay.sdk.app.PayTask"}}}, []string{"alipay"}},
		{"class names kept: class absent", inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/alipay/sdk/app"), ClassNames: []string{"com.alipay.sdk.app.H5PayActivity"}}}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ids(m.Match(&tt.inv)))
		})
	}
}

func TestMatchEvidence(t *testing.T) {
	m := testMatcher(t)
	inv := &inventory.Inventory{
		Code: inventory.Code{Packages: []inventory.Package{
			{Name: "com/tencent/trtc", Classes: 10},
			{Name: "com/tencent/liteav/trtc", Classes: 4},
			{Name: "com/tencent/liteav/trtc/impl", Classes: 6},
			{Name: "com/tencent/liteav/basic", Classes: 20},
			{Name: "com/tencent/liteav/audio", Classes: 7},
		}},
		NativeLibs: []string{"lib/arm64-v8a/libliteavsdk.so", "lib/armeabi-v7a/libliteavsdk.so"},
	}
	ds := m.Match(inv)
	require.Equal(t, []string{"tencent-trtc"}, ids(ds))
	assert.Equal(t, []Evidence{
		{Kind: sdkdb.EvidenceDexPackage, Value: "com.tencent.liteav.trtc", Count: 10}, // longest prefix: both trtc packages summed
		{Kind: sdkdb.EvidenceDexPackage, Value: "com.tencent.trtc", Count: 10},
		{Kind: sdkdb.EvidenceDexPackage, Value: "com.tencent.liteav", Count: 37, Weak: true}, // every package under it
		{Kind: sdkdb.EvidenceNativeLib, Value: "libliteavsdk.so", Count: 1, Weak: true},
	}, ds[0].Evidence)
	assert.Empty(t, ds[0].Via)

	// The LiteAV core's own evidence excludes the packages TRTC's longer prefix took.
	inv.Code.Packages = append(inv.Code.Packages, inventory.Package{Name: "com/tencent/rtmp", Classes: 2})
	ds = m.Match(inv)
	require.Equal(t, []string{"tencent-liteav", "tencent-trtc"}, ids(ds))
	assert.Equal(t, []Evidence{
		{Kind: sdkdb.EvidenceDexPackage, Value: "com.tencent.liteav", Count: 27},
		{Kind: sdkdb.EvidenceDexPackage, Value: "com.tencent.rtmp", Count: 2},
		{Kind: sdkdb.EvidenceNativeLib, Value: "libliteavsdk.so", Count: 1},
	}, ds[0].Evidence)
}

func TestMatchClassPackageNotCountedTwice(t *testing.T) {
	c, err := sdkdb.Load(fstest.MapFS{"c.yaml": {Data: []byte(`
- {id: umeng-common, name: U, name_zh: U, vendor: V, category: analytics,
   signals: {dex_packages: [com.umeng.commonsdk], classes: [com.umeng.commonsdk.UMConfigure]}}
`)}})
	require.NoError(t, err)
	ds := NewMatcher(c).Match(&inventory.Inventory{Code: inventory.Code{Packages: []inventory.Package{{Name: "com/umeng/commonsdk", Classes: 5}}}})
	require.Len(t, ds, 1)
	assert.Equal(t, []Evidence{{Kind: sdkdb.EvidenceDexPackage, Value: "com.umeng.commonsdk", Count: 5}}, ds[0].Evidence)
}

func TestMatchNested(t *testing.T) {
	m := testMatcher(t)
	inv := &inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/cmic/sso/sdk/auth")}}
	ds := m.Match(inv)
	require.Equal(t, []string{"cmic-sso"}, ids(ds))
	assert.Equal(t, "", ds[0].Via)

	inv.Code.Packages = pkgs("com/chuanglan/shanyan_sdk/tool", "com/cmic/sso/sdk/auth")
	ds = m.Match(inv)
	require.Equal(t, []string{"cmic-sso", "shanyan"}, ids(ds))
	assert.Equal(t, "shanyan", ds[0].Via)
	assert.Equal(t, "", ds[1].Via)
}

func TestMatchEvidenceLimit(t *testing.T) {
	m := testMatcher(t)
	var cs []inventory.Component
	for i := 0; i < 25; i++ {
		cs = append(cs, inventory.Component{Name: fmt.Sprintf("com.xiaomi.push.service.S%02d", i)})
	}
	ds := m.Match(&inventory.Inventory{Components: inventory.Components{Services: cs}})
	require.Len(t, ds, 1)
	assert.Len(t, ds[0].Evidence, maxValues)
	assert.Equal(t, "com.xiaomi.push.service.S00", ds[0].Evidence[0].Value)
}

func TestWantStrings(t *testing.T) {
	assert.Equal(t, []string{"api.example-sdk.com", "cfg.example-sdk.com"}, testMatcher(t).WantStrings())
	assert.Empty(t, NewMatcher(nil).WantStrings())
	assert.Empty(t, NewMatcher(nil).Match(&inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/umeng/analytics")}}))
	assert.Empty(t, testMatcher(t).Match(nil))
}

func TestMatchEmbedded(t *testing.T) {
	c, err := sdkdb.Embedded()
	require.NoError(t, err)
	if c.Lookup("umeng-analytics") == nil {
		t.Skip("embedded catalogue has no umeng-analytics yet")
	}
	m := NewMatcher(c)
	ds := m.Match(&inventory.Inventory{Code: inventory.Code{Packages: pkgs("com/umeng/analytics", "com/umengx/analytics")}})
	assert.Contains(t, ids(ds), "umeng-analytics")
	for _, d := range ds {
		for _, e := range d.Evidence {
			assert.NotEqual(t, "com.umengx.analytics", e.Value)
		}
	}
}

// BenchmarkMatch matches 50,000 synthetic packages (a few real SDK packages
// among them) against the embedded catalogue.
func BenchmarkMatch(b *testing.B) {
	c, err := sdkdb.Embedded()
	require.NoError(b, err)
	m := NewMatcher(c)
	if len(c.Entries) == 0 {
		m = testMatcher(b) // the catalogue data has not landed yet
	}
	inv := &inventory.Inventory{App: inventory.App{Package: "com.example.app"}}
	real := []string{"com/umeng/analytics", "com/tencent/mm/opensdk/openapi", "com/xiaomi/mipush/sdk", "com/huawei/hms/push", "cn/jpush/android/api"}
	for i := 0; i < 50000; i++ {
		name := fmt.Sprintf("com/vendor%d/module%d/sub%d", i%997, i%31, i)
		if i%1000 == 0 {
			name = real[(i/1000)%len(real)] + fmt.Sprintf("/p%d", i)
		}
		inv.Code.Packages = append(inv.Code.Packages, inventory.Package{Name: name, Classes: 1 + i%40})
	}
	for i := 0; i < 200; i++ {
		inv.Components.Activities = append(inv.Components.Activities, inventory.Component{Name: fmt.Sprintf("com.example.app.ui.Activity%d", i)})
	}
	inv.NativeLibs = []string{"lib/arm64-v8a/libfoo.so", "lib/arm64-v8a/libjiagu_a64.so"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Match(inv)
	}
}
