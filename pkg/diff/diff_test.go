package diff

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

func build(target int, perms []string, sdks ...string) Build {
	inv := &inventory.Inventory{App: inventory.App{TargetSDK: target, MinSDK: 21}}
	for _, p := range perms {
		inv.Permissions = append(inv.Permissions, inventory.Permission{Name: p})
	}
	var ds []sdk.Detection
	for _, id := range sdks {
		ds = append(ds, sdk.Detection{Entry: &sdkdb.Entry{ID: id}})
	}
	return Build{Inventory: inv, SDKs: ds}
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name                   string
		old, new               Build
		addP, remP, addS, remS []string
		target                 *Change
		empty                  bool
	}{
		{
			name: "one permission and one SDK added",
			old:  build(33, []string{"android.permission.INTERNET"}, "umeng-analytics"),
			new:  build(33, []string{"android.permission.INTERNET", "android.permission.READ_CONTACTS"}, "umeng-analytics", "xiaomi-push"),
			addP: []string{"android.permission.READ_CONTACTS"}, addS: []string{"xiaomi-push"},
		},
		{
			name: "removed and target change",
			old:  build(30, []string{"android.permission.CAMERA"}, "jpush"),
			new:  build(34, nil),
			remP: []string{"android.permission.CAMERA"}, remS: []string{"jpush"},
			target: &Change{30, 34},
		},
		{
			name:  "identical",
			old:   build(33, []string{"android.permission.INTERNET"}, "jpush"),
			new:   build(33, []string{"android.permission.INTERNET"}, "jpush"),
			empty: true,
		},
	}
	names := func(ps []inventory.Permission) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	ids := func(ds []sdk.Detection) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.ID())
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compare(tt.old, tt.new)
			require.NotNil(t, r)
			assert.Equal(t, tt.addP, names(r.AddedPermissions))
			assert.Equal(t, tt.remP, names(r.RemovedPermissions))
			assert.Equal(t, tt.addS, ids(r.AddedSDKs))
			assert.Equal(t, tt.remS, ids(r.RemovedSDKs))
			assert.Equal(t, tt.target, r.TargetSDK)
			assert.Equal(t, tt.empty, r.Empty())
			for _, s := range append(append([]string{}, tt.addP...), tt.addS...) {
				assert.True(t, r.Added(s), s)
			}
			for _, s := range append(append([]string{"android.permission.INTERNET"}, tt.remP...), tt.remS...) {
				assert.False(t, r.Added(s), s)
			}
		})
	}
}

// TestAddedReads: a read is new when no read of the old build has its API,
// data type, party and kind of reach; counts and callers do not matter. A
// data type is added when the old build read it nowhere.
func TestAddedReads(t *testing.T) {
	read := func(api, data, by string, count int) sdk.Read {
		return sdk.Read{API: api, Data: data, By: by, Count: count, Callers: []string{by + ".A"}}
	}
	old, new := build(34, nil, "jpush"), build(34, nil, "jpush")
	old.Reads = []sdk.Read{
		read("android.telephony.TelephonyManager.getDeviceId", "IMEI", "jpush", 1),
		read("android.location.LocationManager.getLastKnownLocation", "位置信息", "app", 1),
	}
	new.Reads = []sdk.Read{
		read("android.telephony.TelephonyManager.getDeviceId", "IMEI", "jpush", 5),        // more call sites: not new
		read("android.telephony.TelephonyManager.getImei", "IMEI", "jpush", 1),            // a new API for a type already read
		read("android.location.LocationManager.getLastKnownLocation", "位置信息", "jpush", 1), // a new party
		read("android.content.ClipboardManager.getPrimaryClip", "剪切板", "app", 2),          // a new type
	}
	r := Compare(old, new)
	var got []string
	for _, x := range r.AddedReads {
		got = append(got, x.By+" "+x.API)
	}
	assert.Equal(t, []string{"jpush android.telephony.TelephonyManager.getImei", "jpush android.location.LocationManager.getLastKnownLocation",
		"app android.content.ClipboardManager.getPrimaryClip"}, got)
	assert.False(t, r.Empty())
	assert.True(t, r.Added("剪切板"))
	assert.False(t, r.Added("IMEI"), "the old build read the IMEI too")
	assert.False(t, r.Added("位置信息"))
	assert.Empty(t, Compare(new, new).AddedReads)
}
