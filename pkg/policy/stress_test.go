package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/stretchr/testify/assert"
)

// TestHostileRows bounds the matcher's work on rows built to be expensive:
// 500 SDK blocks whose names are long lists of unknown Han names.
func TestHostileRows(t *testing.T) {
	name := strings.Repeat("腾讯云物联网未知设备、", 60)
	var b strings.Builder
	for range 500 {
		b.WriteString("SDK名称：" + name + "\n公司名称：腾讯\n使用目的：" + name + "\n")
	}
	doc := docFromText("h.txt", []byte(b.String()))
	start := time.Now()
	d := Extract([]*doctext.Document{doc}, Options{Catalogue: testCatalogue(t)})
	assert.Len(t, d.SDKs, 500)
	assert.Less(t, time.Since(start), 20*time.Second)
	t.Logf("%d rows in %v", len(d.SDKs), time.Since(start))
}
