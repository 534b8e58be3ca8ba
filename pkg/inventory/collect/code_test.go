package collect

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/dex"
	"github.com/apkaudit/apkaudit/pkg/inventory"
)

// codereads is the smali-built code-evidence fixture (testdata/fixtures/src/codereads).
func codereads(t *testing.T) string { return fixture(t, "../code/codereads.apk") }

// TestCodeCalls checks the calls the scan records for the codereads
// fixture against an annotation written by reading its smali sources
// (testdata/fixtures/smali/codereads and codereads-sdks): API, string
// constant, calling class, count and kind of reach, through virtual,
// range, interface and static invokes, sget, const-string(/jumbo) and
// reflection.
func TestCodeCalls(t *testing.T) {
	inv, err := build(t, codereads(t), Options{})
	require.NoError(t, err)
	type call struct {
		api, constant, class string
		count                int
		reflective           bool
	}
	const umeng, jpush, app = "com.umeng.commonsdk.statistics.common.DeviceConfig", "cn.jpush.android.helper.DeviceInfo", "com.example.codereads."
	want := []call{
		{"android.accounts.AccountManager.getAccounts", "", app + "MainActivity$Accounts", 1, false},
		{"android.app.ActivityManager.getRunningAppProcesses", "", jpush, 1, false},
		{"android.bluetooth.BluetoothAdapter.getAddress", "", "a.a", 1, false},
		{"android.content.ClipboardManager.getPrimaryClip", "", app + "MainActivity", 2, false},
		{"android.content.ContentResolver.query", "content://call_log", app + "MainActivity", 1, false},
		{"android.content.ContentResolver.query", "content://sms", jpush, 1, false},
		{"android.content.pm.PackageManager.getInstalledPackages", "", umeng, 1, false},
		{"android.hardware.Camera.open", "", app + "CameraActivity", 2, false},
		{"android.location.LocationManager.getLastKnownLocation", "", app + "MainActivity", 1, false},
		{"android.location.LocationManager.requestLocationUpdates", "", app + "MainActivity", 1, false},
		{"android.net.wifi.WifiInfo.getMacAddress", "", umeng, 1, false},
		{"android.net.wifi.WifiManager.getConnectionInfo", "", umeng, 1, false},
		{"android.os.Build.SERIAL", "", umeng, 1, false},
		{"android.provider.ContactsContract$Contacts.CONTENT_URI", "", app + "MainActivity", 1, false},
		{"android.provider.Settings$Secure.getString", "android_id", umeng, 1, false},
		{"android.telephony.TelephonyManager.getDeviceId", "", umeng, 2, false},
		{"android.telephony.TelephonyManager.getImei", "", jpush, 1, true},
		{"android.telephony.TelephonyManager.getLine1Number", "", "a.a", 1, false},
		{"android.telephony.TelephonyManager.getSubscriberId", "", umeng, 1, false},
		{"com.bun.miitmdid.core.MdidSdkHelper.InitSdk", "", jpush, 1, false},
		{"com.bun.miitmdid.interfaces.IdSupplier.getOAID", "", jpush, 1, false},
	}
	var got []call
	for _, c := range inv.Code.Calls {
		got = append(got, call{c.API, c.Constant, c.Class, c.Count, c.Reflective})
	}
	assert.Equal(t, want, got)

	byAPI := map[string]inventory.Call{}
	for _, c := range inv.Code.Calls {
		byAPI[c.API+c.Constant] = c
	}
	assert.Equal(t, "IMEI", byAPI["android.telephony.TelephonyManager.getDeviceId"].Data)
	assert.Equal(t, []string{"android.permission.READ_PHONE_STATE"}, byAPI["android.telephony.TelephonyManager.getDeviceId"].Permissions)
	assert.Equal(t, "Android ID", byAPI["android.provider.Settings$Secure.getStringandroid_id"].Data)
	assert.Empty(t, byAPI["android.provider.Settings$Secure.getStringandroid_id"].Permissions)

	cs := inv.Code.CallScan
	assert.True(t, cs.Ran)
	assert.Equal(t, 2, cs.DexFiles)
	assert.Equal(t, 16, cs.Methods, "methods with code in the smali sources")
	assert.Empty(t, cs.Incomplete)
	assert.Empty(t, cs.Loaders)
	assert.True(t, inv.CodeScanComplete())
}

// TestCodeScanCoverage: the scan says when it did not see all the code.
func TestCodeScanCoverage(t *testing.T) {
	t.Run("no code", func(t *testing.T) {
		inv, err := build(t, codereads(t), Options{NoCode: true})
		require.NoError(t, err)
		assert.False(t, inv.Code.CallScan.Ran)
		assert.Empty(t, inv.Code.Calls)
		assert.False(t, inv.CodeScanComplete())
	})
	t.Run("partial scan", func(t *testing.T) {
		defer func(f func(*dex.File, *dex.Query, int) (*dex.CodeScan, error)) { scanCode = f }(scanCode)
		scanCode = func(f *dex.File, q *dex.Query, _ int) (*dex.CodeScan, error) {
			s, _ := f.ScanCode(q)
			return s, &dex.FormatError{Off: 0x70, Msg: "instruction runs past the end of its code_item", Val: "1 methods"}
		}
		inv, err := build(t, codereads(t), Options{})
		require.NoError(t, err)
		require.Len(t, inv.Unanalysed, 2, "both DEX files")
		assert.Contains(t, inv.Unanalysed[0].Reason, "code only partly analysed")
		assert.NotEmpty(t, inv.Code.Calls, "what the partial scans found is kept")
		assert.Zero(t, inv.Code.CallScan.DexFiles)
		assert.False(t, inv.CodeScanComplete())
	})
}
