package audit

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// TestUndisclosedSDKSeverity: an SDK missing from the policy's list is high;
// one with no privacy policy of its own (open source, in-house) is low, and
// one bundled inside another SDK is info.
func TestUndisclosedSDKSeverity(t *testing.T) {
	tests := []struct {
		name  string
		entry sdkdb.Entry
		via   string
		want  Severity
	}{
		{"third-party SDK", sdkdb.Entry{ID: "jpush", Name: "JPush", Vendor: "深圳市和讯华谷信息技术有限公司", Category: "push"}, "", High},
		{"open-source library", sdkdb.Entry{ID: "bytedance-lynx", Name: "Lynx", Vendor: "北京字节跳动科技有限公司", Category: "platform",
			NoPrivacyPolicy: "Open-source library (Apache-2.0)"}, "", Low},
		{"bundled in an undisclosed SDK", sdkdb.Entry{ID: "cmic-login", Name: "CMIC", Vendor: "中移互联网有限公司", Category: "login-oneclick"}, "shanyan", Info},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.entry
			in := Input{
				Inventory:  &inventory.Inventory{App: inventory.App{Package: "com.example"}},
				SDKs:       []sdk.Detection{{Entry: &e, Via: tt.via}},
				Disclosure: &policy.Disclosure{HasSDKList: true},
			}
			var got []Finding
			for _, f := range Evaluate(in, nil) {
				if f.Rule == RuleUndisclosedSDK {
					got = append(got, f)
				}
			}
			require.Len(t, got, 1)
			assert.Equal(t, tt.want, got[0].Severity)
			assert.Equal(t, e.ID, got[0].Subject)
		})
	}
}

// TestEvidenceInChinese: the evidence lines the rules write in words have a
// Chinese line for each English one; lines of names stay as they are.
func TestEvidenceInChinese(t *testing.T) {
	umeng := &sdkdb.Entry{ID: "umeng-analytics", Name: "Umeng", Vendor: "友盟", Category: "analytics", DataCollected: []string{"IMEI"}}
	in := Input{
		Inventory: &inventory.Inventory{App: inventory.App{Package: "com.example"},
			Permissions: []inventory.Permission{{Name: "android.permission.CAMERA", Sensitive: true, Protection: "dangerous"}}},
		SDKs: []sdk.Detection{{Entry: umeng, Evidence: []sdk.Evidence{{Kind: sdkdb.EvidenceDexPackage, Value: "com/umeng/analytics", Count: 3},
			{Kind: sdkdb.EvidenceMetaData, Value: "UMENG_APPKEY", Count: 1}}}},
		Disclosure: &policy.Disclosure{Documents: []policy.DocumentInfo{{Path: "p.html"}}, HasSDKList: true, HasPermissionSection: true,
			Permissions: []policy.PermissionDisclosure{{Name: "android.permission.RECORD_AUDIO", Phrases: []string{"麦克风"}, Lines: []policy.LineRef{{File: "p.html", Line: 9}}}}},
	}
	got := map[string]Evidence{}
	for _, f := range Evaluate(in, nil) {
		got[f.Rule] = f.Evidence
	}
	perm := got[RuleUndisclosedPermission]
	assert.Equal(t, []string{"no wording found in p.html"}, perm.Policy)
	assert.Equal(t, []string{"在 p.html 中未找到相关说明"}, perm.PolicyZh)
	assert.Nil(t, perm.ArtifactZh, "the manifest line is the same in both languages")
	sdkEv := got[RuleUndisclosedSDK]
	assert.Equal(t, []string{"dex-package: com/umeng/analytics (3 classes)", "meta-data: UMENG_APPKEY"}, sdkEv.Artifact)
	assert.Equal(t, []string{"DEX包: com/umeng/analytics（3 个类）", "元数据: UMENG_APPKEY"}, sdkEv.ArtifactZh)
	stale := got[RuleStalePermissionDisclosure]
	assert.Equal(t, []string{"AndroidManifest.xml 中未声明"}, stale.ArtifactZh)
	assert.Nil(t, stale.PolicyZh)
}

// TestConfigKeyTypos: an unknown config key is named as written, with its
// line and the key most likely meant, never as a Go type.
func TestConfigKeyTypos(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"fail_on: medium\n", `config: line 1: unknown key "fail_on" (did you mean "fail-on"?)`},
		{"policies: [a.html]\nsevrity:\n  undisclosed-sdk: low\n", `config: line 2: unknown key "sevrity" (did you mean "severity"?)`},
		{"waivers:\n  - rule: undisclosed-sdk\n    subject: x\n    reson: y\n", `config: line 4: unknown key "waivers[0].reson" (did you mean "waivers[0].reason"?)`},
		{"colour: red\n", `config: line 1: unknown key "colour"`},
		{"Fail-On: high\n", `config: line 1: unknown key "Fail-On" (did you mean "fail-on"?)`},
	}
	for _, tt := range tests {
		_, err := ParseConfig([]byte(tt.yaml))
		require.Error(t, err, tt.yaml)
		assert.Equal(t, tt.want, err.Error())
		assert.NotContains(t, err.Error(), "audit.")
		var ke *KeyError
		assert.ErrorAs(t, err, &ke)
	}
	_, err := ParseConfig([]byte("fail-on: medium\nwaivers:\n  - {rule: undisclosed-sdk, subject: x, reason: y, expires: 2030-01-01, owner: me}\n"))
	assert.NoError(t, err)
}

// TestConfigOneDocument: a second YAML document in a config file is an
// error naming its line, since its settings would otherwise not apply.
func TestConfigOneDocument(t *testing.T) {
	tests := []struct{ name, yaml, wantErr string }{
		{"one", "fail-on: medium\n", ""},
		{"leading marker", "---\nfail-on: medium\n", ""},
		{"end marker", "fail-on: medium\n...\n", ""},
		{"second", "fail-on: medium\n---\nfail-on: info\n", "config: line 2: a second YAML document starts here (---): a config file holds one"},
		{"second waivers", "fail-on: medium\n---\nwaivers: []\n", "config: line 2: a second YAML document starts here (---): a config file holds one"},
		{"second broken", "fail-on: medium\n---\n[\n", "config: yaml: line 3: did not find expected node content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tt.yaml))
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, "medium", c.FailOn)
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.wantErr, err.Error())
		})
	}
}
