package sdk

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// nativeCatalogue exercises the native rules: a JNI class prefix, a package
// a library's exports match, a library name, and a class strings must not match.
const nativeCatalogue = `
- {id: jpush, name: J, name_zh: 极光推送, vendor: V, category: push,
   signals: {dex_packages: [cn.jpush.android], jni_classes: [cn.jpush.android.service.PushProtocol]}}
- {id: netease-nim, name: N, name_zh: 网易云信, vendor: V, category: im,
   signals: {dex_packages: [com.netease.nimlib, com.netease.share.media]}}
- {id: ctcc-auth, name: C, name_zh: 天翼, vendor: V, category: login-oneclick,
   signals: {native_libs: [libCtaApiLib.so], dex_packages: [cn.com.chinatelecom.account]}}
- {id: liteav, name: L, name_zh: 直播, vendor: V, category: rtc-live,
   signals: {dex_packages: [com.tencent.liteav], weak: {native_libs: [libtxffmpeg.so]}}}
- {id: alipay, name: A, name_zh: 支付宝, vendor: V, category: payment,
   signals: {classes: [com.alipay.sdk.app.PayTask], dex_packages: [com.alipay.sdk]}}
`

func loadTest(t *testing.T, yaml string) *Matcher {
	t.Helper()
	c, err := sdkdb.Load(fstest.MapFS{"test.yaml": {Data: []byte(yaml)}})
	require.NoError(t, err)
	return NewMatcher(c)
}

func TestMatchNative(t *testing.T) {
	m := loadTest(t, nativeCatalogue)
	tests := []struct {
		name string
		libs []string
		lib  inventory.NativeLib
		want []string
		ev   string
	}{
		{"class string under jni_classes", []string{"libjpush220.so"},
			inventory.NativeLib{Path: "libjpush220.so", ClassStrings: []string{"cn.jpush.android.service.PushProtocol"}},
			[]string{"jpush"}, "libjpush220.so: cn.jpush.android.service.PushProtocol"},
		{"a class string matches jni_classes only, never dex_packages", []string{"libgame.so"},
			inventory.NativeLib{Path: "libgame.so", ClassStrings: []string{"com.netease.nimlib.sdk.NIMClient", "com.alipay.sdk.app.PayTask"}},
			nil, ""},
		{"an exported class matches dex_packages", []string{"libne_audio.so"},
			inventory.NativeLib{Path: "libne_audio.so", JNIClasses: []string{"com.netease.share.media.internal.audio.AudioProcessModule"}},
			[]string{"netease-nim"}, "libne_audio.so: com.netease.share.media"},
		{"an exported class matches classes", []string{"libpay.so"},
			inventory.NativeLib{Path: "libpay.so", JNIClasses: []string{"com.alipay.sdk.app.PayTask"}},
			[]string{"alipay"}, "libpay.so: com.alipay.sdk.app.PayTask"},
		{"the soname of a renamed library", []string{"lib/x86/libcta-renamed.so"},
			inventory.NativeLib{Path: "lib/x86/libcta-renamed.so", Soname: "libCtaApiLib.so"},
			[]string{"ctcc-auth"}, "libCtaApiLib.so"},
		{"a weak library name alone", []string{"libtxffmpeg.so"},
			inventory.NativeLib{Path: "libtxffmpeg.so", Soname: "libtxffmpeg.so"}, nil, ""},
		{"whole segments: cn.jpush.androidx is not cn.jpush.android", []string{"libx.so"},
			inventory.NativeLib{Path: "libx.so", JNIClasses: []string{"cn.jpush.androidx.Foo"}, ClassStrings: []string{"cn.jpush.android.service.PushProtocolX"}},
			nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := m.Match(&inventory.Inventory{NativeLibs: tt.libs, Native: []inventory.NativeLib{tt.lib}})
			if len(tt.want) == 0 {
				assert.Empty(t, ids(ds))
				return
			}
			require.Equal(t, tt.want, ids(ds))
			var values []string
			for _, e := range ds[0].Evidence {
				values = append(values, e.Value)
			}
			assert.Contains(t, values, tt.ev)
		})
	}
}

func TestKeepRulesAreWeak(t *testing.T) {
	m := loadTest(t, nativeCatalogue)
	rules := []inventory.KeepRule{{Pattern: "com.alipay.sdk.**", Path: "proguard.txt"}, {Pattern: "com.alipay.sdk.app.PayTask", Path: "proguard.txt"}}
	assert.Empty(t, m.Match(&inventory.Inventory{KeepRules: rules}), "consumer rules alone never report an SDK")

	ds := m.Match(&inventory.Inventory{KeepRules: rules, Code: inventory.Code{Packages: pkgs("com/alipay/sdk/app")}})
	require.Equal(t, []string{"alipay"}, ids(ds))
	var keep []Evidence
	for _, e := range ds[0].Evidence {
		if e.Kind == sdkdb.EvidenceProguardKeep {
			keep = append(keep, e)
		}
	}
	assert.Equal(t, []Evidence{
		{Kind: sdkdb.EvidenceProguardKeep, Value: "com.alipay.sdk.**", Count: 1, Weak: true},
		{Kind: sdkdb.EvidenceProguardKeep, Value: "com.alipay.sdk.app.PayTask", Count: 1, Weak: true},
	}, keep)
}

// versionCatalogue has one entry per kind of version location, and one with several.
const versionCatalogue = `
- {id: alipay, name: A, name_zh: 支付宝, vendor: V, category: payment, signals: {dex_packages: [com.alipay.sdk]},
   version: [{manifest: com.alipay.sdk}]}
- {id: wechat, name: W, name_zh: 微信, vendor: V, category: social-login-share, signals: {dex_packages: [com.tencent.mm]},
   version: [{class: com.tencent.mm.opensdk.constants.Build, field: SDK_VERSION_NAME, pattern: '^android (.+)$'},
             {class: com.tencent.mm.sdk.constants.Build, field: SDK_VERSION_NAME, pattern: '^android (.+)$'}]}
- {id: branch, name: B, name_zh: B, vendor: V, category: attribution, signals: {dex_packages: [io.branch]},
   version: [{class: io.branch.referral.BuildConfig, field: VERSION_NAME},
             {file: fabric/io.branch.sdk.android.library.properties, key: fabric-version}]}
- {id: core, name: C, name_zh: C, vendor: V, category: network, signals: {dex_packages: [com.example.core]},
   version: [{pom: 'com.example:core'}, {file: META-INF/MANIFEST.MF, key: Implementation-Version}]}
- {id: androidx, name: X, name_zh: X, vendor: V, category: network, signals: {dex_packages: [androidx.core]},
   version: [{file: META-INF/androidx.core_core.version}]}
`

func TestVersions(t *testing.T) {
	m := loadTest(t, versionCatalogue)
	inv := func(pkg string, vals ...inventory.VersionValue) *inventory.Inventory {
		return &inventory.Inventory{Code: inventory.Code{Packages: pkgs(pkg)}, VersionValues: vals}
	}
	tests := []struct {
		name    string
		inv     *inventory.Inventory
		version string
		ev      *VersionEvidence
	}{
		{"manifest of the library's package", inv("com/alipay/sdk",
			inventory.VersionValue{Kind: inventory.VersionManifest, Key: "com.other", Path: "x.aar!/AndroidManifest.xml", Value: "9.9"},
			inventory.VersionValue{Kind: inventory.VersionManifest, Key: "com.alipay.sdk", Path: "AndroidManifest.xml", Value: "15.7.9"}),
			"15.7.9", &VersionEvidence{Kind: VersionFromManifest, Path: "AndroidManifest.xml", Field: "android:versionName", Value: "15.7.9"}},
		{"class constant through the pattern, second location", inv("com/tencent/mm",
			inventory.VersionValue{Kind: inventory.VersionClassConstant, Key: "com.tencent.mm.sdk.constants.Build.SDK_VERSION_NAME", Path: "com/tencent/mm/sdk/constants/Build.class", Value: "android 2.1.3"}),
			"2.1.3", &VersionEvidence{Kind: VersionFromClassConstant, Path: "com/tencent/mm/sdk/constants/Build.class", Field: "com.tencent.mm.sdk.constants.Build.SDK_VERSION_NAME", Value: "android 2.1.3"}},
		{"a value the pattern does not match is no version", inv("com/tencent/mm",
			inventory.VersionValue{Kind: inventory.VersionDexConstant, Key: "com.tencent.mm.opensdk.constants.Build.SDK_VERSION_NAME", Path: "classes.dex", Value: "5.5.3"}),
			"", nil},
		{"DEX constant", inv("io/branch",
			inventory.VersionValue{Kind: inventory.VersionDexConstant, Key: "io.branch.referral.BuildConfig.VERSION_NAME", Path: "classes2.dex", Value: "5.2.0"},
			inventory.VersionValue{Kind: inventory.VersionFileText, Key: "fabric/io.branch.sdk.android.library.properties", Path: "fabric/io.branch.sdk.android.library.properties", Value: "fabric-version=5.1.0\n"}),
			"5.2.0", &VersionEvidence{Kind: VersionFromDexConstant, Path: "classes2.dex", Field: "io.branch.referral.BuildConfig.VERSION_NAME", Value: "5.2.0"}},
		{"properties key when the constant is absent", inv("io/branch",
			inventory.VersionValue{Kind: inventory.VersionFileText, Key: "fabric/io.branch.sdk.android.library.properties", Path: "Branch.jar!/fabric/io.branch.sdk.android.library.properties", Value: "fabric-identifier=io.branch\nfabric-version=2.8.0\n"}),
			"2.8.0", &VersionEvidence{Kind: VersionFromFile, Path: "Branch.jar!/fabric/io.branch.sdk.android.library.properties", Field: "fabric-version", Value: "2.8.0"}},
		{"pom.properties", inv("com/example/core",
			inventory.VersionValue{Kind: inventory.VersionFileText, Key: "META-INF/MANIFEST.MF", Path: "META-INF/MANIFEST.MF", Value: "Manifest-Version: 1.0\nImplementation-Version: 1.7.0\n"},
			inventory.VersionValue{Kind: inventory.VersionFileText, Key: "META-INF/maven/com.example/core/pom.properties", Path: "META-INF/maven/com.example/core/pom.properties", Value: "#c\ngroupId=com.example\nversion=1.8.0\n"}),
			"1.8.0", &VersionEvidence{Kind: VersionFromPom, Path: "META-INF/maven/com.example/core/pom.properties", Field: "version", Value: "1.8.0"}},
		{"JAR manifest attribute", inv("com/example/core",
			inventory.VersionValue{Kind: inventory.VersionFileText, Key: "META-INF/MANIFEST.MF", Path: "META-INF/MANIFEST.MF", Value: "Manifest-Version: 1.0\r\nImplementation-Version: 1.7.0\r\n"}),
			"1.7.0", &VersionEvidence{Kind: VersionFromFile, Path: "META-INF/MANIFEST.MF", Field: "Implementation-Version", Value: "1.7.0"}},
		{"a whole file", inv("androidx/core",
			inventory.VersionValue{Kind: inventory.VersionFileText, Key: "META-INF/androidx.core_core.version", Path: "META-INF/androidx.core_core.version", Value: "1.9.0\n"}),
			"1.9.0", &VersionEvidence{Kind: VersionFromFile, Path: "META-INF/androidx.core_core.version", Value: "1.9.0"}},
		{"a file of several lines is no version", inv("androidx/core",
			inventory.VersionValue{Kind: inventory.VersionFileText, Key: "META-INF/androidx.core_core.version", Path: "META-INF/androidx.core_core.version", Value: "1.9.0\nbuilt by x\n"}),
			"", nil},
		{"nothing carried, nothing guessed", inv("io/branch"), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := m.Match(tt.inv)
			require.Len(t, ds, 1)
			assert.Equal(t, tt.version, ds[0].Version)
			assert.Equal(t, tt.ev, ds[0].VersionEvidence)
		})
	}
}

func TestVersionQuery(t *testing.T) {
	q := loadTest(t, versionCatalogue).VersionQuery()
	// In catalogue order (entries by id), each place once.
	assert.Equal(t, []string{"META-INF/androidx.core_core.version", "fabric/io.branch.sdk.android.library.properties",
		"META-INF/maven/com.example/core/pom.properties", "META-INF/MANIFEST.MF"}, q.Files)
	assert.Equal(t, []inventory.ClassField{
		{Class: "io.branch.referral.BuildConfig", Field: "VERSION_NAME"},
		{Class: "com.tencent.mm.opensdk.constants.Build", Field: "SDK_VERSION_NAME"},
		{Class: "com.tencent.mm.sdk.constants.Build", Field: "SDK_VERSION_NAME"},
	}, q.Constants)
}

func TestProperty(t *testing.T) {
	tests := []struct {
		text, key, want string
		ok              bool
	}{
		{"a=1\nversion=2.0\n", "version", "2.0", true},
		{"version : 3.0", "version", "3.0", true},
		{"version 4.0", "version", "4.0", true},
		{"# version=9\n!version=8\nversions=7", "version", "", false},
		{"Implementation-Version: 1.2\r\n", "Implementation-Version", "1.2", true},
	}
	for _, tt := range tests {
		got, ok := property(tt.text, tt.key)
		assert.Equal(t, tt.ok, ok, tt.text)
		assert.Equal(t, tt.want, got, tt.text)
	}
}
