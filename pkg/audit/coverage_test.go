package audit

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/pkg/policy"
)

// TestPermissionCoveredByGroupWording: an API-33 app's READ_MEDIA_IMAGES
// under a policy that discloses 存储权限 is reported low, in both languages,
// naming the group wording and its line, not high; a permission the policy
// names itself, or a normal successor, gets no finding; one nothing covers
// stays high; and the group wording that covers a declared successor is not
// stale.
func TestPermissionCoveredByGroupWording(t *testing.T) {
	text := "权限说明\n我们会申请存储权限，用于保存您上传的图片。\n我们会申请蓝牙权限，用于连接您的设备。\n"
	doc, err := doctext.Extract("privacy.txt", []byte(text), limits.Limits{})
	require.NoError(t, err)
	d := policy.Extract([]*doctext.Document{doc}, policy.Options{})
	perm := func(name string, sensitive bool) inventory.Permission {
		prot := "normal"
		if sensitive {
			prot = "dangerous"
		}
		return inventory.Permission{Name: "android.permission." + name, Protection: prot, Sensitive: sensitive}
	}
	inv := &inventory.Inventory{App: inventory.App{Package: "com.example"}, Permissions: []inventory.Permission{
		perm("READ_MEDIA_IMAGES", true),  // covered by 存储权限
		perm("BLUETOOTH_SCAN", true),     // covered by 蓝牙权限
		perm("BLUETOOTH_CONNECT", true),  // disclosed by 蓝牙权限 itself
		perm("READ_PHONE_NUMBERS", true), // nothing covers it
		perm("READ_MEDIA_AUDIO", true),   // covered by 存储权限
	}}
	got := map[string]Finding{}
	for _, f := range Evaluate(Input{Inventory: inv, Disclosure: d}, nil) {
		if strings.HasPrefix(f.Rule, "undisclosed-permission") || f.Rule == RuleStalePermissionDisclosure {
			_, dup := got[f.Subject]
			assert.False(t, dup, "one finding per permission: %s", f.Subject)
			got[f.Subject] = f
		}
	}
	img := got["android.permission.READ_MEDIA_IMAGES"]
	assert.Equal(t, RuleUndisclosedPermission, img.Rule)
	assert.Equal(t, Low, img.Severity)
	assert.Contains(t, img.Message, "only as 存储权限")
	assert.Contains(t, img.Message, "android.permission.READ_EXTERNAL_STORAGE")
	assert.Contains(t, img.MessageZh, "仅以「存储权限」概括说明")
	assert.Equal(t, []string{"privacy.txt:2: disclosed only as 存储权限"}, img.Evidence.Policy)
	assert.Equal(t, Low, got["android.permission.READ_MEDIA_AUDIO"].Severity)
	scan := got["android.permission.BLUETOOTH_SCAN"]
	assert.Equal(t, Low, scan.Severity)
	assert.Contains(t, scan.MessageZh, "蓝牙权限")
	assert.NotContains(t, got, "android.permission.BLUETOOTH_CONNECT")
	assert.Equal(t, High, got["android.permission.READ_PHONE_NUMBERS"].Severity)
	// READ/WRITE_EXTERNAL_STORAGE and BLUETOOTH are not declared, but their
	// wording covers declared successors: not stale.
	for _, p := range []string{"READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE", "BLUETOOTH"} {
		assert.NotContains(t, got, "android.permission."+p)
	}
	// The policy's own permission list keeps to what the text discloses.
	var names []string
	for _, p := range d.Permissions {
		names = append(names, strings.TrimPrefix(p.Name, "android.permission."))
	}
	assert.NotContains(t, names, "READ_MEDIA_IMAGES")
	assert.NotContains(t, names, "BLUETOOTH_SCAN")
}
