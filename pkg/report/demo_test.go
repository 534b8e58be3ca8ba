package report

import (
	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/diff"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// hostile is text that must come out escaped in HTML and Markdown.
const hostile = `<img src=x onerror=alert(1)> | *bold*`

func ptr[T any](v T) *T { return &v }

var (
	umeng = &sdkdb.Entry{ID: "umeng-analytics", Name: "Umeng Analytics", NameZh: "友盟统计",
		Vendor: "友盟同欣（北京）科技有限公司", Category: "analytics"}
	jpush = &sdkdb.Entry{ID: "jpush", Name: "JPush", NameZh: "极光推送",
		Vendor: "深圳市和讯华谷信息技术有限公司", Category: "push"}
)

func demoInventory() *inventory.Inventory {
	return &inventory.Inventory{
		Artifact: inventory.Artifact{Path: "testdata/demo/app-release.apk", Kind: "apk",
			SHA256: "9f2c4d1e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d", Size: 5242880},
		App: inventory.App{Package: "com.example.shop", VersionName: "3.2.1", VersionCode: 321,
			MinSDK: 21, TargetSDK: 34, CompileSDK: 34, Label: "示例商城"},
		Permissions: []inventory.Permission{
			{Name: "android.permission.ACCESS_FINE_LOCATION", Protection: "dangerous", Group: "LOCATION", Sensitive: true, Zh: "访问精准定位", Known: true},
			{Name: "android.permission.CAMERA", Protection: "dangerous", Group: "CAMERA", Sensitive: true, Zh: "使用摄像头", Known: true},
			{Name: "android.permission.INTERNET", Protection: "normal", Zh: "访问网络", Known: true},
			{Name: "android.permission.READ_PHONE_STATE", Protection: "dangerous", Group: "PHONE", Sensitive: true, Zh: "读取电话状态", Known: true},
			{Name: "android.permission.WRITE_EXTERNAL_STORAGE", MaxSDK: 28, Protection: "dangerous", Group: "STORAGE", Sensitive: true, Zh: "写入外部存储", Known: true},
			{Name: "com.example.shop.permission.JPUSH_MESSAGE", Protection: "unknown"},
		},
		Components: inventory.Components{
			Activities: []inventory.Component{
				{Name: "com.example.shop.MainActivity", Exported: ptr(true)},
				{Name: "com.example.shop.wxapi.WXEntryActivity", Exported: ptr(true)},
			},
			Services:  []inventory.Component{{Name: "cn.jpush.android.service.PushService", Exported: ptr(false)}},
			Receivers: []inventory.Component{{Name: "cn.jpush.android.service.PushReceiver"}},
			Providers: []inventory.Component{{Name: "cn.jpush.android.service.DataProvider", Exported: ptr(false),
				Authorities: []string{"com.example.shop.DataProvider"}}},
		},
		MetaData: []inventory.MetaData{{Name: "UMENG_APPKEY", Value: "5f1a2b3c4d5e6f7a8b9c0d1e"}, {Name: "JPUSH_CHANNEL", Value: "developer-default"}},
		AppFlags: inventory.AppFlags{AllowBackup: ptr(false), Name: "com.example.shop.ShopApp"},
		Code: inventory.Code{DexFiles: 2, Classes: 4711, Packages: []inventory.Package{
			{Name: "cn/jpush/android/service", Classes: 42},
			{Name: "com/example/shop", Classes: 310},
			{Name: "com/umeng/analytics", Classes: 120},
		}, ClassNames: []string{"com.example.shop.MainActivity", "com.example.shop.ShopApp"},
			CallScan: inventory.CallScan{Ran: true, DexFiles: 2, Methods: 38211, Instructions: 912004}},
		NativeLibs: []string{"lib/arm64-v8a/libjcore.so", "lib/armeabi-v7a/libjcore.so"},
		Splits:     []inventory.Split{{Name: "base", Base: true}},
		Warnings:   []inventory.Warning{{Source: "classes2.dex", Message: "string id 88 points past the data section; class skipped"}},
	}
}

func demoSDKs() []sdk.Detection {
	return []sdk.Detection{
		{Entry: umeng, Evidence: []sdk.Evidence{
			{Kind: sdkdb.EvidenceMetaData, Value: "UMENG_APPKEY", Count: 1},
			{Kind: sdkdb.EvidenceDexPackage, Value: "com/umeng/analytics", Count: 120},
			{Kind: sdkdb.EvidenceCodeCall, Value: "android.telephony.TelephonyManager.getDeviceId in com.umeng.analytics.pro.DeviceConfig, com.umeng.analytics.pro.Env, com.umeng.analytics.pro.Id (+1 more)", Count: 6},
		}, Version: "9.6.3", VersionEvidence: &sdk.VersionEvidence{Kind: sdk.VersionFromDexConstant, Path: "classes.dex",
			Field: "com.umeng.commonsdk.statistics.SdkVersion.SDK_VERSION", Value: "9.6.3"}},
		{Entry: jpush, Evidence: []sdk.Evidence{
			{Kind: sdkdb.EvidenceDexPackage, Value: "cn/jpush/android/service", Count: 42},
			{Kind: sdkdb.EvidenceNativeLib, Value: "lib/arm64-v8a/libjcore.so", Count: 1},
			{Kind: sdkdb.EvidenceComponent, Value: "cn.jpush.android.service.PushService", Count: 1},
		}},
	}
}

// demoReads are the demo build's code reads: Umeng reads the IMEI (from
// four classes) and the Android ID, JPush the clipboard by reflection, the
// app the location, and obfuscated code the installed-app list.
func demoReads() []sdk.Read {
	phone := []string{"android.permission.READ_PHONE_STATE"}
	return []sdk.Read{
		{API: "android.location.LocationManager.getLastKnownLocation", Data: "位置信息", By: sdk.ByApp, Count: 2,
			Permissions: []string{"android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"},
			Callers:     []string{"com.example.shop.StoreFinder"}, Classes: 1},
		{API: "android.content.ClipboardManager.getPrimaryClip", Data: "剪切板", By: "jpush", Count: 1,
			Callers: []string{"cn.jpush.android.service.PushService"}, Classes: 1, Reflective: true},
		{API: "android.provider.Settings$Secure.getString", Constants: []string{"android_id"}, Data: "Android ID", By: "umeng-analytics", Count: 1,
			Callers: []string{"com.umeng.analytics.pro.DeviceConfig"}, Classes: 1},
		{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", By: "umeng-analytics", Count: 6, Permissions: phone,
			Callers: []string{"com.umeng.analytics.pro.DeviceConfig", "com.umeng.analytics.pro.Env", "com.umeng.analytics.pro.Id"}, Classes: 4},
		{API: "android.content.pm.PackageManager.getInstalledPackages", Data: "应用列表", Detail: "已安装应用", By: sdk.ByUnattributed, Count: 1,
			Permissions: []string{"android.permission.QUERY_ALL_PACKAGES"}, Callers: []string{"a.b.c"}, Classes: 1},
	}
}

func demoDisclosure() *policy.Disclosure {
	return &policy.Disclosure{
		Documents: []policy.DocumentInfo{{Path: "testdata/demo/privacy.html", Format: "html", Chars: 12034},
			{Path: "testdata/demo/sdk-list.md", Format: "markdown", Chars: 2410}},
		Permissions: []policy.PermissionDisclosure{
			{Name: "android.permission.ACCESS_FINE_LOCATION", Phrases: []string{"位置信息"},
				Lines: []policy.LineRef{{File: "testdata/demo/privacy.html", Line: 60}}},
			{Name: "android.permission.CAMERA", Phrases: []string{"相机", "摄像头"},
				Lines: []policy.LineRef{{File: "testdata/demo/privacy.html", Line: 42}, {File: "testdata/demo/privacy.html", Line: 57}}},
			{Name: "android.permission.RECORD_AUDIO", Phrases: []string{"麦克风"},
				Lines: []policy.LineRef{{File: "testdata/demo/privacy.html", Line: 63}}},
		},
		SDKs: []policy.SDKRow{
			{ID: "umeng-analytics", Name: "友盟+统计SDK", Company: "友盟同欣（北京）科技有限公司", Purpose: "统计分析",
				Data: "设备信息（IMEI/MAC/Android ID/OAID）、地理位置", PolicyURL: "https://www.umeng.com/page/policy",
				DataTypes: []string{"设备标识符", "位置信息"}, Line: policy.LineRef{File: "testdata/demo/sdk-list.md", Line: 5}},
			{ID: "tencent-bugly", Name: "腾讯Bugly", Company: "深圳市腾讯计算机系统有限公司", Purpose: "崩溃日志上报",
				Data: "设备型号、系统版本", Line: policy.LineRef{File: "testdata/demo/sdk-list.md", Line: 7}},
			{Name: "某某推送SDK", Company: "某某科技有限公司", Purpose: hostile,
				Line: policy.LineRef{File: "testdata/demo/sdk-list.md", Line: 9}},
		},
		DataTypes:            []string{"位置信息", "设备标识符"},
		HasSDKList:           true,
		HasPermissionSection: true,
		Warnings:             []string{"testdata/demo/privacy.html: table 3 has merged cells; read row by row"},
	}
}

func demoFindings() []audit.Finding {
	return []audit.Finding{
		{Rule: audit.RuleStalePermissionDisclosure, Severity: audit.Info, Subject: "android.permission.RECORD_AUDIO",
			Message:   "The policy describes android.permission.RECORD_AUDIO (麦克风) but the build does not declare it",
			MessageZh: "隐私政策描述了麦克风权限（android.permission.RECORD_AUDIO），但构建未声明该权限",
			Evidence: audit.Evidence{Artifact: []string{"AndroidManifest.xml: no uses-permission android.permission.RECORD_AUDIO"},
				Policy: []string{"testdata/demo/privacy.html:63: 麦克风"}},
			Reference: "GB/T 35273-2020 5.5 (accuracy of the policy)"},
		{Rule: audit.RuleUndisclosedSDK, Severity: audit.High, Subject: "jpush",
			Message:   "JPush (极光推送) is embedded in the build but the policy does not disclose it",
			MessageZh: "构建中嵌入了极光推送SDK，但隐私政策未披露",
			Evidence: audit.Evidence{Artifact: []string{"classes.dex: cn/jpush/android/service (42 classes)",
				"lib/arm64-v8a/libjcore.so", "AndroidManifest.xml: service cn.jpush.android.service.PushService"},
				Policy: []string{"no SDK row or mention in testdata/demo/privacy.html, testdata/demo/sdk-list.md"}},
			Reference: "《App违法违规收集使用个人信息行为认定方法》二.1"},
		{Rule: audit.RuleUndisclosedSDKData, Severity: audit.Medium, Subject: "umeng-analytics",
			Message:   "The policy row for Umeng Analytics omits data it collects: 剪切板, 设备序列号",
			MessageZh: "隐私政策中友盟统计的条目遗漏了其收集的信息：剪切板、设备序列号",
			Evidence: audit.Evidence{Artifact: []string{"classes.dex: com/umeng/analytics (120 classes)"},
				Policy: []string{"testdata/demo/sdk-list.md:5: 设备信息（IMEI/MAC/Android ID/OAID）、地理位置"}},
			Reference: "工信部信管函〔2023〕26号 (收集信息范围)"},
		{Rule: audit.RuleUndisclosedPermission, Severity: audit.High, Subject: "android.permission.READ_PHONE_STATE",
			Message:   "android.permission.READ_PHONE_STATE (读取电话状态) is declared but the policy does not disclose it",
			MessageZh: "声明了读取电话状态权限（android.permission.READ_PHONE_STATE），但隐私政策未说明",
			Evidence: audit.Evidence{Artifact: []string{"AndroidManifest.xml: uses-permission android.permission.READ_PHONE_STATE"},
				Policy: []string{"no wording found in testdata/demo/privacy.html, testdata/demo/sdk-list.md"}},
			Reference: "《App违法违规收集使用个人信息行为认定方法》一.3",
			Waived:    true, WaiverReason: "disclosed in the in-app consent dialog (legal@example.com)"},
		{Rule: audit.RuleUnknownPolicySDK, Severity: audit.Low, Subject: "某某推送SDK",
			Message:   "The policy row 某某推送SDK matches no known SDK",
			MessageZh: "隐私政策中的“某某推送SDK”无法与已知SDK匹配",
			Evidence:  audit.Evidence{Policy: []string{"testdata/demo/sdk-list.md:9: 某某推送SDK | 某某科技有限公司"}},
			Reference: "apkaudit catalogue coverage"},
		{Rule: audit.RuleIncompleteSDKDisclosure, Severity: audit.Medium, Subject: "tencent-bugly",
			Message:   "The policy row for tencent-bugly lacks: privacy policy link",
			MessageZh: "隐私政策中腾讯Bugly的条目缺少：隐私政策链接",
			Evidence:  audit.Evidence{Policy: []string{"testdata/demo/sdk-list.md:7: 腾讯Bugly | 深圳市腾讯计算机系统有限公司 | 崩溃日志上报"}},
			Reference: "工信部信管函〔2023〕26号"},
	}
}

// demoCheck is a check result with findings of every severity, one waived.
func demoCheck() *audit.Result {
	f := demoFindings()
	return &audit.Result{Inventory: demoInventory(), SDKs: demoSDKs(), Reads: demoReads(), Disclosure: demoDisclosure(), Findings: f}
}

// demoInspect is an inspect result.
func demoInspect() *audit.Result {
	return &audit.Result{Inventory: demoInventory(), SDKs: demoSDKs(), Reads: demoReads()}
}

// demoPolicy is a policy result.
func demoPolicy() *audit.Result {
	return &audit.Result{Disclosure: demoDisclosure()}
}

// testOptions are Options with the command the view is built for.
type testOptions struct {
	Options
	cmd Command
}

// demoOptions are deterministic options for goldens; command "" is check.
func demoOptions(command Command, lang string) testOptions {
	if command == "" {
		command = CommandCheck
	}
	return testOptions{Options{Lang: lang, FailOn: audit.High, NoTimestamp: true,
		Tool: Tool{Name: "apkaudit", Version: "0.1.0-test", SDKDBVersion: "2026.01.01"}}, command}
}

// demoDiff is a release that adds READ_PHONE_STATE (its finding waived),
// JPush (undisclosed) and three code reads (the clipboard undisclosed),
// upgrades Umeng Analytics from 9.5.0 to 9.6.3, drops the Bugly SDK, raises
// the target SDK from 33 and was checked against the demo policy.
func demoDiff(checked bool) *View {
	oldInv := demoInventory()
	oldInv.Artifact = inventory.Artifact{Path: "testdata/demo/app-3.1.0.apk", Kind: "apk", SHA256: "0badc0de", Size: 5000000}
	oldInv.App.VersionName, oldInv.App.VersionCode, oldInv.App.TargetSDK = "3.1.0", 310, 33
	var perms []inventory.Permission
	for _, p := range oldInv.Permissions {
		if p.Name != "android.permission.READ_PHONE_STATE" {
			perms = append(perms, p)
		}
	}
	oldInv.Permissions = perms
	bugly := sdk.Detection{Entry: &sdkdb.Entry{ID: "tencent-bugly", Name: "Tencent Bugly", NameZh: "腾讯Bugly",
		Vendor: "深圳市腾讯计算机系统有限公司", Category: "crash-apm"},
		Evidence: []sdk.Evidence{{Kind: sdkdb.EvidenceDexPackage, Value: "com/tencent/bugly", Count: 88}}}
	oldUmeng := demoSDKs()[0]
	oldUmeng.Version, oldUmeng.VersionEvidence = "9.5.0", &sdk.VersionEvidence{Kind: sdk.VersionFromDexConstant,
		Path: "classes.dex", Field: "com.umeng.commonsdk.statistics.SdkVersion.SDK_VERSION", Value: "9.5.0"}
	oldSDKs := []sdk.Detection{oldUmeng, bugly}
	// The old build read the IMEI and the location already; the clipboard
	// read by JPush and the others are new.
	oldReads := []sdk.Read{demoReads()[0], demoReads()[3]}
	d := diff.Compare(diff.Build{Inventory: oldInv, SDKs: oldSDKs, Reads: oldReads},
		diff.Build{Inventory: demoInventory(), SDKs: demoSDKs(), Reads: demoReads()})
	r := &audit.Result{Inventory: demoInventory(), SDKs: demoSDKs(), Reads: demoReads()}
	if checked {
		r.Disclosure = demoDisclosure()
		for _, f := range demoFindings() {
			if d.Added(f.Subject) {
				r.Findings = append(r.Findings, f)
			}
		}
		r.Notes = []string{"waiver for undisclosed-sdk no-such-sdk matches no finding"}
	}
	return NewDiffView(d, r, demoOptions(CommandDiff, "en").Options)
}
