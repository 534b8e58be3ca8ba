package sdk

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/apkaudit/apkaudit/pkg/inventory"
)

// TestAttributeOwner: which party a calling class is attributed to.
func TestAttributeOwner(t *testing.T) {
	m := testMatcher(t)
	inv := &inventory.Inventory{App: inventory.App{Package: "com.example.app"}, Code: inventory.Code{Packages: pkgs(
		"com/umeng/analytics", "com/tencent/trtc", "com/tencent/liteav/trtc/impl", "com/tencent/liteav/basic",
		"com/alipay/sdk/app", "com/tencent/mm/opensdk/openapi")}}
	dets := m.Match(inv)
	assert.Equal(t, []string{"alipay", "tencent-trtc"}, ids(dets)[:2])
	tests := []struct{ class, want string }{
		{"com.umeng.analytics.pro.Collector", "umeng-analytics"},
		{"com.umengx.analytics.Collector", ByUnattributed},                // whole segments only
		{"com.tencent.liteav.trtc.impl.Engine", "tencent-trtc"},           // longest prefix
		{"com.tencent.liteav.basic.Util", "tencent-trtc"},                 // a weak prefix of a detected SDK
		{"com.tencent.imsdk.Im", ByUnattributed},                          // the prefix of an SDK not detected
		{"com.alipay.sdk.app.PayTask", "alipay"},                          // a distinctive class
		{"com.alipay.sdk.app.H5PayActivity", "alipay"},                    // its package
		{"com.example.app.MainActivity", ByApp},                           // the app's package
		{"com.example.app.wxapi.WXEntryActivity", ByApp},                  // a sub-package
		{"com.example.application.Main", ByUnattributed},                  // not the app's package
		{"a.a", ByUnattributed},                                           // obfuscated, top level
		{"Root", ByUnattributed},                                          // no package
		{"com.tencent.mm.opensdk.openapi.WXApiImplV10", "wechat-opensdk"}, // an SDK under no app package
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) {
			inv.Code.Calls = []inventory.Call{{API: "x.Y.z", Data: "IMEI", Class: tt.class, Count: 1}}
			reads := m.Attribute(inv, dets)
			if assert.Len(t, reads, 1) {
				assert.Equal(t, tt.want, reads[0].By)
			}
		})
	}
	t.Run("an SDK inside the app's package", func(t *testing.T) {
		inv := &inventory.Inventory{App: inventory.App{Package: "com.tencent.mm"}, Code: inventory.Code{Packages: pkgs("com/tencent/mm/opensdk/openapi")}}
		inv.Code.Calls = []inventory.Call{{API: "x.Y.z", Data: "IMEI", Class: "com.tencent.mm.opensdk.openapi.A", Count: 1},
			{API: "x.Y.z", Data: "IMEI", Class: "com.tencent.mm.ui.B", Count: 1}}
		reads := m.Attribute(inv, m.Match(inv))
		assert.Equal(t, []string{ByApp, "wechat-opensdk"}, []string{reads[0].By, reads[1].By})
	})
}

// TestAttributeSums: calls are summed per API, data type, party and kind
// of reach; callers are the classes with most call sites, at most three.
func TestAttributeSums(t *testing.T) {
	m := testMatcher(t)
	perm := []string{"android.permission.READ_PHONE_STATE"}
	inv := &inventory.Inventory{App: inventory.App{Package: "com.example.app"}, Code: inventory.Code{
		Packages: pkgs("com/umeng/analytics"),
		Calls: []inventory.Call{
			{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", Permissions: perm, Class: "com.umeng.analytics.A", Count: 1},
			{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", Permissions: perm, Class: "com.umeng.analytics.B", Count: 3},
			{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", Permissions: perm, Class: "com.umeng.analytics.C", Count: 2},
			{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", Permissions: perm, Class: "com.umeng.analytics.D", Count: 2},
			{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", Permissions: perm, Class: "com.umeng.analytics.E", Count: 1, Reflective: true},
			{API: "android.content.ContentResolver.query", Constant: "content://sms", Data: "短信", Class: "com.example.app.Sms", Count: 1},
			{API: "android.content.ContentResolver.query", Constant: "content://mms-sms", Data: "短信", Class: "com.example.app.Mms", Count: 1},
			{API: "android.content.ContentResolver.query", Constant: "content://call_log", Data: "通话记录", Class: "com.example.app.Sms", Count: 1},
		}}}
	reads := m.Attribute(inv, m.Match(inv))
	assert.Equal(t, []Read{
		{API: "android.content.ContentResolver.query", Constants: []string{"content://mms-sms", "content://sms"}, Data: "短信", By: ByApp, Count: 2,
			Callers: []string{"com.example.app.Mms", "com.example.app.Sms"}, Classes: 2},
		{API: "android.content.ContentResolver.query", Constants: []string{"content://call_log"}, Data: "通话记录", By: ByApp, Count: 1,
			Callers: []string{"com.example.app.Sms"}, Classes: 1},
		{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", Permissions: perm, By: "umeng-analytics", Count: 8,
			Callers: []string{"com.umeng.analytics.B", "com.umeng.analytics.C", "com.umeng.analytics.D"}, Classes: 4},
		{API: "android.telephony.TelephonyManager.getDeviceId", Data: "IMEI", Permissions: perm, By: "umeng-analytics", Count: 1,
			Callers: []string{"com.umeng.analytics.E"}, Classes: 1, Reflective: true},
	}, reads)
	assert.Equal(t, []string{"umeng-analytics"}, UsedBy(reads, "android.permission.READ_PHONE_STATE"))
	assert.Empty(t, UsedBy(reads, "android.permission.READ_SMS"))
	assert.Equal(t, []string{"短信", "通话记录"}, DataReadBy(reads, ByApp))
	assert.Nil(t, m.Attribute(&inventory.Inventory{}, nil))
}
