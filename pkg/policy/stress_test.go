package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// TestRowsPastMaxRows reads SDK lists longer than MaxRows, as a table and
// as key:value blocks: the first MaxRows rows are kept, the warning counts
// them all, and the segmenter holds at most one row past the limit while it
// reads (a 60 MB table of 100,000 rows built every record, 150 MB).
func TestRowsPastMaxRows(t *testing.T) {
	const n = 3 * MaxRows
	var table, blocks strings.Builder
	table.WriteString("| SDK名称 | 使用目的 | 收集个人信息类型 |\n| --- | --- | --- |\n")
	for i := range n {
		table.WriteString("| 友盟SDK" + itoa(i) + " | 统计 | 设备标识符 |\n")
		blocks.WriteString("SDK名称：友盟SDK" + itoa(i) + "\n使用目的：统计\n\n")
	}
	for _, tt := range []struct{ name, text string }{{"table.md", table.String()}, {"blocks.txt", blocks.String()}} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := doctext.Extract(tt.name, []byte(tt.text), limits.Default())
			require.NoError(t, err)
			rows, _, total := extractRows(doc.Path, prepare(doc), matcherFor(nil))
			assert.Len(t, rows, MaxRows+1, "rows kept while reading")
			assert.Equal(t, n, total)
			d := Extract([]*doctext.Document{doc}, Options{})
			require.Len(t, d.SDKs, MaxRows)
			assert.Equal(t, "友盟SDK0", d.SDKs[0].Name)
			assert.Equal(t, "友盟SDK"+itoa(MaxRows-1), d.SDKs[MaxRows-1].Name)
			assert.Contains(t, strings.Join(d.Warnings, "\n"), "policy: SDK rows: 6000 exceeds the limit of 2000")
		})
	}
}

func itoa(n int) string {
	s := ""
	for ; n >= 10; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return string(rune('0'+n)) + s
}
