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
	tests = append(tests, struct {
		name, src string
		want      []block
	}{"html ordered lists", "<html><body><ol><li>推送类<ol type=\"a\" start=\"3\"><li>极光推送</li><li value=\"7\">个推</li><li>友盟推送</li></ol></li><li>统计类<ul><li>友盟统计</li></ul></li></ol></body></html>", []block{
		{1, "1. 推送类", KindItem, 1, "1.", false, false},
		{1, "c. 极光推送", KindItem, 2, "c.", false, false},
		{1, "g. 个推", KindItem, 2, "g.", false, false},
		{1, "h. 友盟推送", KindItem, 2, "h.", false, false},
		{1, "2. 统计类", KindItem, 1, "2.", false, false},
		{1, "友盟统计", KindItem, 2, "", false, false},
	}})
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

// TestDOCXNumbering reads the markers of automatically numbered DOCX
// paragraphs from word/numbering.xml: LibreOffice's DOCX of the numbered
// layout fixture numbers 一、 / 1. / a), each level restarting under its parent.
func TestDOCXNumbering(t *testing.T) {
	p := filepath.Join("..", "..", "testdata", "policies", "generated", "layouts", "numbered.fodt.docx")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not built (make fixtures): %v", p, err)
	}
	d, err := ReadFile(p, limits.Limits{})
	require.NoError(t, err)
	var got []block
	for _, b := range blocksOf(d) {
		if b.Kind == KindItem && b.Level <= 2 || b.Marker == "a)" || b.Marker == "d)" {
			got = append(got, b)
		}
	}
	require.GreaterOrEqual(t, len(got), 8, "%v", got)
	want := []struct{ marker, text string }{
		{"一、", "一、 推送类SDK"}, {"1.", "1. 极光推送SDK"}, {"a)", "a) 第三方主体:深圳市和讯华谷信息技术有限公司"},
		{"d)", "d) 隐私政策链接:https://www.jiguang.cn/license/privacy"}, {"2.", "2. 个推推送SDK"}, {"a)", "a) 第三方主体:每日互动股份有限公司"},
	}
	for i, w := range want {
		assert.Equal(t, w.marker, got[i].Marker, "item %d", i)
		assert.Equal(t, w.text, got[i].Text, "item %d", i)
	}
	var top []string
	for _, b := range got {
		if b.Level == 1 {
			top = append(top, b.Marker)
		}
	}
	assert.Equal(t, []string{"一、", "二、", "1.", "2."}, top, "top-level markers of the SDK and the permission list")
}

// TestListNumber writes list numbers in Word's and HTML's formats.
func TestListNumber(t *testing.T) {
	for _, tt := range []struct {
		format string
		n      int
		want   string
	}{
		{"decimal", 12, "12"}, {"lowerLetter", 2, "b"}, {"upperLetter", 27, "AA"}, {"lowerRoman", 4, "iv"}, {"I", 1994, "MCMXCIV"},
		{"chineseCounting", 1, "一"}, {"taiwaneseCountingThousand", 10, "十"}, {"chineseCountingThousand", 15, "十五"},
		{"chineseCounting", 20, "二十"}, {"chineseCounting", 99, "九十九"}, {"chineseCounting", 100, "100"},
		{"decimalEnclosedCircle", 3, "③"}, {"unknownFormat", 5, "5"},
	} {
		assert.Equal(t, tt.want, listNumber(tt.format, tt.n), "%s %d", tt.format, tt.n)
	}
}
