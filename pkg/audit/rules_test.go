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
