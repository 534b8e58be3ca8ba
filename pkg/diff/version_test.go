package diff

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// versioned is a build whose SDKs carry the given versions ("" for none), by id.
func versioned(versions map[string]string) Build {
	b := Build{Inventory: &inventory.Inventory{}}
	for id, v := range versions {
		b.SDKs = append(b.SDKs, sdk.Detection{Entry: &sdkdb.Entry{ID: id}, Version: v})
	}
	return b
}

func TestVersionChanges(t *testing.T) {
	tests := []struct {
		name     string
		old, new map[string]string
		want     [][3]string // id, old, new
	}{
		{"upgrade and downgrade, sorted by id",
			map[string]string{"wechat-opensdk": "6.8.0", "alipay": "15.8.0", "jpush": "5.0.0"},
			map[string]string{"wechat-opensdk": "6.8.24", "alipay": "15.7.9", "jpush": "5.0.0"},
			[][3]string{{"alipay", "15.8.0", "15.7.9"}, {"wechat-opensdk", "6.8.0", "6.8.24"}}},
		{"a version one build does not carry is no change",
			map[string]string{"alipay": "", "jpush": "5.0.0"}, map[string]string{"alipay": "15.7.9", "jpush": ""}, nil},
		{"added and removed SDKs are not version changes",
			map[string]string{"alipay": "15.7.9"}, map[string]string{"jpush": "5.0.0"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compare(versioned(tt.old), versioned(tt.new))
			var got [][3]string
			for _, c := range r.VersionChanges {
				got = append(got, [3]string{c.ID(), c.Old.Version, c.New.Version})
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
