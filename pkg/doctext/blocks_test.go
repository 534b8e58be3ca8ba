package doctext

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// block is the part of a Line the block model adds.
type block struct {
	No            int
	Text          string
	Kind          string
	Level         int
	Marker        string
	Strong, Table bool
}

func blocksOf(d *Document) []block {
	var out []block
	for _, l := range d.Lines {
		out = append(out, block{l.No, l.Text, l.Kind, l.Level, l.Marker, l.Strong, l.Table != 0})
	}
	return out
}

// TestBlockModel checks, per reader, the block kinds, levels, markers,
// emphasis and link targets that the SDK-list reader works on.
func TestBlockModel(t *testing.T) {
	tests := []struct {
		name, src string
		want      []block
	}{
		{"markdown", "# 隐私政策\n\n## 第三方SDK\n\n1. **友盟SDK**\n   - 使用目的：统计\n   - 链接：[隐私政策](https://www.umeng.com/page/policy)\n\n**使用目的：**统计\n第二行\n\n| SDK名称 | 公司 |\n|---|---|\n| 极光 | 和讯华谷 |\n", []block{
			{1, "隐私政策", KindHeading, 1, "", false, false},
			{3, "第三方SDK", KindHeading, 2, "", false, false},
			{5, "1. 友盟SDK", KindItem, 1, "1.", true, false},
			{6, "- 使用目的:统计", KindItem, 2, "-", false, false},
			{7, "- 链接:隐私政策 https://www.umeng.com/page/policy", KindItem, 2, "-", false, false},
			{9, "使用目的:统计", KindParagraph, 0, "", true, false},
			{10, "第二行", KindParagraph, 0, "", false, false},
			{12, "SDK名称 | 公司", "", 0, "", false, true},
			{14, "极光 | 和讯华谷", "", 0, "", false, true},
		}},
		{"html", "<html><body><h2>第三方SDK</h2><ul><li><b>友盟SDK</b><ul><li>使用目的：统计</li></ul></li></ul><p><a href=\"https://www.jiguang.cn/license/privacy\">隐私政策</a></p></body></html>", []block{
			{1, "第三方SDK", KindHeading, 2, "", false, false},
			{1, "友盟SDK", KindItem, 1, "", true, false},
			{1, "使用目的:统计", KindItem, 2, "", false, false},
			{1, "隐私政策 https://www.jiguang.cn/license/privacy", "", 0, "", false, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Extract("x", []byte(tt.src), limits.Limits{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, blocksOf(d))
		})
	}
	// LibreOffice writes <h2> and <h3> as the Heading 2 and Heading 3 styles.
	p := filepath.Join("..", "..", "testdata", "policies", "generated", "layouts", "kv-blocks.html.docx")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not built (make fixtures): %v", p, err)
	}
	d, err := ReadFile(p, limits.Limits{})
	require.NoError(t, err)
	levels := map[string]int{}
	for _, l := range d.Lines {
		if l.Kind == KindHeading {
			levels[l.Text] = l.Level
		}
	}
	assert.Equal(t, 2, levels["一、我们集成了哪些第三方SDK与功能组件"], "%v", levels)
	assert.Equal(t, 3, levels["穿山甲广告SDK"], "%v", levels)
}
