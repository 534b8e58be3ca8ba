package policy

import (
	"testing"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/sdkdb"
	"github.com/stretchr/testify/assert"
)

// TestSeed002EmbeddedCatalogue maps seed 002's SDK rows with the real
// embedded catalogue, once it holds its full data (300 entries or more).
func TestSeed002EmbeddedCatalogue(t *testing.T) {
	c, err := sdkdb.Embedded()
	if err != nil || c == nil || len(c.Entries) < 300 {
		n := 0
		if c != nil {
			n = len(c.Entries)
		}
		t.Skipf("embedded catalogue not complete yet (%d entries, err %v)", n, err)
	}
	d := Extract([]*doctext.Document{readDoc(t, seed002)}, Options{Catalogue: c})
	var got []string
	for _, r := range d.SDKs {
		got = append(got, r.ID)
	}
	assert.Equal(t, []string{"umeng-analytics", "wechat-opensdk", "tencent-x5", "hms-scankit", "tencent-trtc", "tencent-im",
		"shanyan", "sensors-analytics", "tencent-beacon", "tencent-cos", "tencent-iot-explorer", "wechat-opensdk",
		"qq-connect", "hms-core", "tencent-liteav", "tencent-teduboard"}, got)
	if len(d.SDKs) == 16 {
		assert.Equal(t, "hms", d.SDKs[13].Family)
	}
}
