package scan_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// codeFixture is one of the smali-built code-evidence fixtures (testdata/fixtures/src/code*).
func codeFixture(t *testing.T, name string) string {
	return testenv.Fixture(t, "../code/"+name)
}

// codereadsPolicy is the hand-written policy of the codereads fixture: it
// discloses the device identifiers (IMEI, Android ID, OAID) and the
// location, camera and phone-state permissions; it lists Umeng (by a name
// the policy reader takes for the Umeng family) and JPush, whose row names
// IMEI and Android ID but not the OAID, SMS or running processes its code
// reads; it says nothing of the clipboard, contacts, call log, accounts.
func codereadsPolicy(t *testing.T) string {
	return testenv.RepoRoot(t, "testdata", "fixtures", "code", "codereads-policy.txt")
}

// TestCodeReadsAttribution: inspect of the codereads fixture attributes each
// call site to Umeng's common library, JPush, the app or no one, with the
// counts and callers of the smali sources (see the manifest's comment).
func TestCodeReadsAttribution(t *testing.T) {
	r, err := scan.Inspect(context.Background(), codeFixture(t, "codereads.apk"), options(t))
	require.NoError(t, err)
	const umeng, jpush, app = "com.umeng.commonsdk.statistics.common.DeviceConfig", "cn.jpush.android.helper.DeviceInfo", "com.example.codereads."
	var got []string
	for _, x := range r.Reads {
		kind := ""
		if x.Reflective {
			kind = " reflective"
		}
		got = append(got, fmt.Sprintf("%s %s %s%s ×%d %s", x.By, x.Data, x.API, kind, x.Count, strings.Join(x.Callers, ",")))
	}
	assert.Equal(t, []string{
		"app 位置信息 android.location.LocationManager.getLastKnownLocation ×1 " + app + "MainActivity",
		"app 位置信息 android.location.LocationManager.requestLocationUpdates ×1 " + app + "MainActivity",
		"app 剪切板 android.content.ClipboardManager.getPrimaryClip ×2 " + app + "MainActivity",
		"app 摄像头 android.hardware.Camera.open ×2 " + app + "CameraActivity",
		"app 账户 android.accounts.AccountManager.getAccounts ×1 " + app + "MainActivity$Accounts",
		"app 通讯录 android.provider.ContactsContract$Contacts.CONTENT_URI ×1 " + app + "MainActivity",
		"app 通话记录 android.content.ContentResolver.query ×1 " + app + "MainActivity",
		"jpush IMEI android.telephony.TelephonyManager.getImei reflective ×1 " + jpush,
		"jpush OAID com.bun.miitmdid.core.MdidSdkHelper.InitSdk ×1 " + jpush,
		"jpush OAID com.bun.miitmdid.interfaces.IdSupplier.getOAID ×1 " + jpush,
		"jpush 短信 android.content.ContentResolver.query ×1 " + jpush,
		"jpush 运行中进程 android.app.ActivityManager.getRunningAppProcesses ×1 " + jpush,
		"umeng-common Android ID android.provider.Settings$Secure.getString ×1 " + umeng,
		"umeng-common IMEI android.telephony.TelephonyManager.getDeviceId ×2 " + umeng,
		"umeng-common IMSI android.telephony.TelephonyManager.getSubscriberId ×1 " + umeng,
		"umeng-common MAC地址 android.net.wifi.WifiInfo.getMacAddress ×1 " + umeng,
		"umeng-common 应用列表 android.content.pm.PackageManager.getInstalledPackages ×1 " + umeng,
		"umeng-common 网络信息 android.net.wifi.WifiManager.getConnectionInfo ×1 " + umeng,
		"umeng-common 设备序列号 android.os.Build.SERIAL ×1 " + umeng,
		"unattributed MAC地址 android.bluetooth.BluetoothAdapter.getAddress ×1 a.a",
		"unattributed 手机号码 android.telephony.TelephonyManager.getLine1Number ×1 a.a",
	}, got)

	// used_by for every declared permission: the manifest's annotation.
	usedBy := map[string]string{}
	for _, p := range r.Inventory.Permissions {
		usedBy[strings.TrimPrefix(p.Name, "android.permission.")] = strings.Join(sdk.UsedBy(r.Reads, p.Name), " ")
	}
	assert.Equal(t, map[string]string{
		"INTERNET":               "",
		"READ_PHONE_STATE":       "jpush umeng-common unattributed", // getImei by reflection, getDeviceId, getLine1Number
		"READ_PHONE_NUMBERS":     "unattributed",
		"ACCESS_FINE_LOCATION":   "app",
		"ACCESS_COARSE_LOCATION": "app",
		"READ_CONTACTS":          "app",
		"READ_CALL_LOG":          "app",
		"READ_SMS":               "jpush unattributed", // content://sms; getLine1Number accepts READ_SMS too
		"GET_ACCOUNTS":           "app",
		"CAMERA":                 "app",
		"ACCESS_WIFI_STATE":      "umeng-common",
		"QUERY_ALL_PACKAGES":     "umeng-common",
		"BLUETOOTH_CONNECT":      "unattributed",
		"RECORD_AUDIO":           "",
		"READ_CALENDAR":          "",
		"SEND_SMS":               "",
	}, usedBy)

	// The SDKs carry their reads as code-call evidence.
	for _, d := range r.SDKs {
		n := 0
		for _, e := range d.Evidence {
			if e.Kind == "code-call" {
				n++
			}
		}
		assert.Equal(t, map[string]int{"jpush": 5, "umeng-common": 7}[d.ID()], n, d.ID())
	}
}

// TestCodeRules: check of the codereads fixture against its policy fires the
// three code rules exactly where the annotation says, in both languages.
func TestCodeRules(t *testing.T) {
	r, err := scan.Check(context.Background(), codeFixture(t, "codereads.apk"), []string{codereadsPolicy(t)}, options(t))
	require.NoError(t, err)
	byRule := map[string][]audit.Finding{}
	for _, f := range r.Findings {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	subjects := func(rule string) []string {
		out := []string{}
		for _, f := range byRule[rule] {
			out = append(out, f.Subject)
		}
		return out
	}

	// Read by the app or an SDK, mentioned nowhere: not the identifiers the
	// policy names, not the location or camera whose permissions it
	// discloses, and not 手机号码, read only by unattributed code.
	assert.Equal(t, []string{"剪切板", "短信", "账户", "运行中进程", "通讯录", "通话记录"}, subjects(audit.RuleUndisclosedDataAccess))
	// English messages name the data in English, the canonical name beside it.
	english := map[string]string{"剪切板": "clipboard (剪切板)", "短信": "SMS (短信)", "账户": "accounts (账户)",
		"运行中进程": "running processes (运行中进程)", "通讯录": "contacts (通讯录)", "通话记录": "call log (通话记录)"}
	for _, f := range byRule[audit.RuleUndisclosedDataAccess] {
		assert.Equal(t, audit.Medium, f.Severity)
		assert.Contains(t, f.Message, ") reads "+english[f.Subject]+" through android.")
		assert.Contains(t, f.MessageZh, "调用了读取「"+f.Subject+"」的API")
		assert.Contains(t, f.Evidence.Policy[0], "no wording found")
		require.NotEmpty(t, f.Evidence.Artifact)
		assert.Contains(t, f.Evidence.Artifact[0], "code-call (")
	}

	// JPush's row names IMEI and Android ID; its code reads the IMEI (by
	// reflection), and the OAID, SMS and running processes the row omits.
	var code *audit.Finding
	for i, f := range byRule[audit.RuleUndisclosedSDKData] {
		if strings.Contains(f.Message, "code evidence") {
			require.Nil(t, code, "one code-evidence finding per row")
			code = &byRule[audit.RuleUndisclosedSDKData][i]
		}
	}
	require.NotNil(t, code)
	assert.Equal(t, "jpush", code.Subject)
	assert.Contains(t, code.Message, "own code in this build calls APIs to read: OAID, SMS (短信), running processes (运行中进程) (code evidence: call sites in the DEX code, not catalogue data)")
	assert.Contains(t, code.MessageZh, "OAID、短信、运行中进程（代码证据：DEX代码中的调用点，而非SDK目录资料）")
	assert.Equal(t, []string{
		"code-call (jpush): com.bun.miitmdid.core.MdidSdkHelper.InitSdk in cn.jpush.android.helper.DeviceInfo (1 call site, OAID)",
		"code-call (jpush): com.bun.miitmdid.interfaces.IdSupplier.getOAID in cn.jpush.android.helper.DeviceInfo (1 call site, OAID)",
		"code-call (jpush): android.content.ContentResolver.query \"content://sms\" in cn.jpush.android.helper.DeviceInfo (1 call site, SMS (短信))",
		"code-call (jpush): android.app.ActivityManager.getRunningAppProcesses in cn.jpush.android.helper.DeviceInfo (1 call site, running processes (运行中进程))",
	}, code.Evidence.Artifact)
	assert.Contains(t, code.Evidence.Policy[0], "codereads-policy.txt:")

	// Dangerous, covered by the table, no call site: RECORD_AUDIO and
	// READ_CALENDAR; SEND_SMS is dangerous and unused but no API of the
	// table needs it, so nothing can be inferred.
	assert.Equal(t, []string{"android.permission.READ_CALENDAR", "android.permission.RECORD_AUDIO"}, subjects(audit.RuleUnusedPermission))
	for _, f := range byRule[audit.RuleUnusedPermission] {
		assert.Equal(t, audit.Low, f.Severity)
		assert.Contains(t, f.Message, "no call site of an API that needs it was found")
		assert.NotContains(t, f.Message, "not used")
		assert.Contains(t, f.MessageZh, "未找到需要该权限的API调用点")
		assert.Contains(t, f.Evidence.Artifact[1], "code scan: 2 DEX files, 16 methods")
	}
}

// TestUnusedPermissionSilent: unused-permission infers from an absence, so
// it stays silent wherever code may hold the call the scan did not see.
func TestUnusedPermissionSilent(t *testing.T) {
	noCode := options(t)
	noCode.NoCode = true
	tests := []struct {
		name, apk string
		opt       scan.Options
		want      []string
	}{
		// Baselines: the same policy rule fires where the scan saw everything.
		{"codereads", codeFixture(t, "codereads.apk"), options(t), []string{"android.permission.READ_CALENDAR", "android.permission.RECORD_AUDIO"}},
		// CAMERA is reached by Class.forName + getMethod only; READ_CONTACTS by nothing.
		{"visible reflection", codeFixture(t, "codereflect.apk"), options(t), []string{"android.permission.READ_CONTACTS"}},
		{"code loaded at run time", codeFixture(t, "codeloader.apk"), options(t), nil},
		{"packed", testenv.Fixture(t, "packed.apk"), options(t), nil},
		{"code not scanned", codeFixture(t, "codereads.apk"), noCode, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := scan.Check(context.Background(), tt.apk, []string{codereadsPolicy(t)}, tt.opt)
			require.NoError(t, err)
			var got []string
			for _, f := range r.Findings {
				if f.Rule == audit.RuleUnusedPermission {
					got = append(got, f.Subject)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
	r, err := scan.Inspect(context.Background(), codeFixture(t, "codeloader.apk"), options(t))
	require.NoError(t, err)
	assert.Equal(t, []string{"com.example.codeloader.MainActivity"}, r.Inventory.Code.CallScan.Loaders)
}

// TestCodeReadsJSON: the inspect JSON of the codereads fixture carries
// code.reads, sdks[].reads and permissions[].used_by as DESIGN.md names them.
func TestCodeReadsJSON(t *testing.T) {
	r, err := scan.Inspect(context.Background(), codeFixture(t, "codereads.apk"), options(t))
	require.NoError(t, err)
	v, err := report.NewView(report.CommandInspect, []*audit.Result{r}, report.Options{NoTimestamp: true})
	require.NoError(t, err)
	j, err := report.Lookup("json")
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, j.Render(&buf, v))
	var doc struct {
		Permissions []struct {
			Name   string   `json:"name"`
			UsedBy []string `json:"used_by"`
		} `json:"permissions"`
		SDKs []struct {
			ID    string `json:"id"`
			Reads []struct {
				Data string   `json:"data"`
				APIs []string `json:"apis"`
			} `json:"reads"`
		} `json:"sdks"`
		Code struct {
			Reads []map[string]any `json:"reads"`
		} `json:"code"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Code.Reads, 21)
	var androidID map[string]any
	for _, x := range doc.Code.Reads {
		if x["api"] == "android.provider.Settings$Secure.getString" {
			androidID = x
		}
	}
	assert.Equal(t, map[string]any{"api": "android.provider.Settings$Secure.getString", "constants": []any{"android_id"},
		"data": "Android ID", "permission": "", "permissions": []any{}, "by": "umeng-common", "count": 1.0,
		"callers": []any{"com.umeng.commonsdk.statistics.common.DeviceConfig"}, "classes": 1.0}, androidID)
	for _, s := range doc.SDKs {
		if s.ID == "jpush" {
			var data []string
			for _, x := range s.Reads {
				data = append(data, x.Data+" "+strings.Join(x.APIs, ","))
			}
			assert.Equal(t, []string{"IMEI android.telephony.TelephonyManager.getImei",
				"OAID com.bun.miitmdid.core.MdidSdkHelper.InitSdk,com.bun.miitmdid.interfaces.IdSupplier.getOAID",
				"短信 android.content.ContentResolver.query", "运行中进程 android.app.ActivityManager.getRunningAppProcesses"}, data)
		}
	}
	for _, p := range doc.Permissions {
		if p.Name == "android.permission.READ_SMS" {
			assert.Equal(t, []string{"jpush", "unattributed"}, p.UsedBy)
		}
	}
}
