package piapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/permissions"
	"github.com/apkaudit/apkaudit/pkg/policy"
)

func entries(t *testing.T) []Entry {
	t.Helper()
	es, err := Table()
	require.NoError(t, err)
	return es
}

// TestTableSize: the issue asks for at least 80 APIs (VioDroid-Finder checks 45).
func TestTableSize(t *testing.T) {
	es := entries(t)
	assert.GreaterOrEqual(t, len(es), 80)
	n := map[Kind]int{}
	for _, e := range es {
		n[e.Kind]++
	}
	t.Logf("%d entries: %d methods, %d fields, %d strings", len(es), n[Method], n[Field], n[String])
	assert.Positive(t, n[Method])
	assert.Positive(t, n[Field])
	assert.Positive(t, n[String])
}

// TestDataIsPolicyVocabulary: every entry's data type is a canonical name of
// the vocabulary pkg/policy reads policies with, so a rule can compare code
// reads with disclosures by equality.
func TestDataIsPolicyVocabulary(t *testing.T) {
	vocab := policy.DataTypes()
	for _, e := range entries(t) {
		assert.Contains(t, vocab, e.Data, "%s: data %q", e.API, e.Data)
	}
}

// TestCoversTheIssueTypes: each type the issue names has an API, OAID
// through each vendor SDK it names.
func TestCoversTheIssueTypes(t *testing.T) {
	es := entries(t)
	has := func(data, detail string) bool {
		return slices.ContainsFunc(es, func(e Entry) bool { return e.Data == data && (detail == "" || strings.HasPrefix(e.Detail, detail)) })
	}
	for _, want := range []struct{ data, detail string }{
		{"IMEI", ""}, {"IMSI", ""}, {"ICCID", ""}, {"MAC地址", ""}, {"Android ID", ""}, {"OAID", ""},
		{"设备序列号", "序列号"}, {"手机号码", ""}, {"应用列表", ""}, {"位置信息", ""}, {"位置信息", "基站信息"},
		{"网络信息", "WLAN信息 (SSID)"}, {"网络信息", "WLAN信息 (BSSID)"}, {"剪切板", ""}, {"通讯录", ""}, {"短信", ""},
		{"通话记录", ""}, {"日历", ""}, {"摄像头", ""}, {"麦克风", ""}, {"传感器", ""}, {"运行中进程", ""}, {"账户", ""},
	} {
		assert.True(t, has(want.data, want.detail), "no API for %s %s", want.data, want.detail)
	}
	for _, pkg := range []string{"com.bun.miitmdid.", "com.huawei.hms.ads.identifier.", "com.hihonor.ads.identifier."} {
		assert.True(t, slices.ContainsFunc(es, func(e Entry) bool { return strings.HasPrefix(e.Class, pkg) && e.Data == "OAID" }), pkg)
	}
}

// TestPermissions checks the permissions the issue spells out (from the
// Android API reference) and that every permission named is a real one.
func TestPermissions(t *testing.T) {
	es := entries(t)
	find := func(kind Kind, name string) *Entry {
		for i := range es {
			if es[i].Kind == kind && (es[i].API == name || es[i].Value == name) {
				return &es[i]
			}
		}
		t.Fatalf("no entry %s", name)
		return nil
	}
	for _, c := range []struct {
		kind       Kind
		name, perm string
	}{
		{Method, "android.telephony.TelephonyManager.getDeviceId", "android.permission.READ_PHONE_STATE"},
		{Method, "android.net.wifi.WifiManager.getConnectionInfo", "android.permission.ACCESS_WIFI_STATE"},
		{String, "content://sms", "android.permission.READ_SMS"},
		{Method, "android.content.pm.PackageManager.getInstalledPackages", "android.permission.QUERY_ALL_PACKAGES"},
		{Method, "android.telephony.TelephonyManager.getLine1Number", "android.permission.READ_PHONE_NUMBERS"},
		{Method, "android.telephony.TelephonyManager.getAllCellInfo", "android.permission.ACCESS_FINE_LOCATION"},
		{Field, "android.provider.CallLog$Calls.CONTENT_URI", "android.permission.READ_CALL_LOG"},
		{Method, "android.accounts.AccountManager.getAccounts", "android.permission.GET_ACCOUNTS"},
		{Method, "android.hardware.Camera.open", "android.permission.CAMERA"},
		{Method, "android.media.AudioRecord.<init>", "android.permission.RECORD_AUDIO"},
	} {
		e := find(c.kind, c.name)
		assert.Equal(t, c.perm, e.Permissions[0], "%s needs %s first", c.name, c.perm)
	}
	for _, e := range es {
		for _, p := range e.Permissions {
			if strings.HasPrefix(p, "android.permission.") {
				assert.True(t, permissions.Lookup(p).Known, "%s: %s is not a platform permission", e.API, p)
			}
		}
	}
	assert.True(t, Covers("android.permission.READ_PHONE_STATE"))
	assert.True(t, Covers("android.permission.READ_CALENDAR"))
	assert.False(t, Covers("android.permission.SEND_SMS"), "no SMS-sending API in the table: unused-permission must not judge SEND_SMS")
}

func TestDescriptor(t *testing.T) {
	es := entries(t)
	i := slices.IndexFunc(es, func(e Entry) bool {
		return e.API == "android.provider.ContactsContract$CommonDataKinds$Phone.CONTENT_URI"
	})
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, "Landroid/provider/ContactsContract$CommonDataKinds$Phone;", es[i].Descriptor())
	assert.Equal(t, "CONTENT_URI", es[i].Member)
	j := slices.IndexFunc(es, func(e Entry) bool { return e.Value == "android_id" })
	require.GreaterOrEqual(t, j, 0)
	assert.Equal(t, "", es[j].Descriptor())
	assert.Equal(t, "android.provider.Settings$Secure.getString", es[j].API)
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"two kinds", "- method: a.B.c\n  field: a.B.d\n  data: IMEI\n", "apis.yaml:1: exactly one of"},
		{"no kind", "- data: IMEI\n", "apis.yaml:1: exactly one of"},
		{"bad class", "- method: getDeviceId\n  data: IMEI\n", "not a dotted class name"},
		{"descriptor given", "- method: Landroid/a/B;.c\n  data: IMEI\n", "not a dotted class name"},
		{"no data", "- method: a.b.C.d\n", "data is missing"},
		{"string without api", "- string: android_id\n  data: Android ID\n", "needs the api"},
		{"bad proto", "- method: a.b.C.d\n  proto: I\n  data: IMEI\n", "not a method descriptor"},
		{"type on method", "- method: a.b.C.d\n  type: I\n  data: IMEI\n", "type is for field entries"},
		{"bad permission", "- method: a.b.C.d\n  data: IMEI\n  permissions: [READ_PHONE_STATE]\n", "not a permission name"},
		{"unknown key", "- method: a.b.C.d\n  datas: IMEI\n", "field datas not found"},
		{"duplicate", "- method: a.b.C.d\n  data: IMEI\n- method: a.b.C.d\n  data: IMSI\n", "apis.yaml:3: duplicate of the entry at line 1"},
		{"not a list", "method: a.b.C.d\n", "cannot unmarshal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse([]byte(tc.src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "piapi: "), err.Error())
		})
	}
}
