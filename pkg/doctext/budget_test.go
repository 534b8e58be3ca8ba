package doctext

import (
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// TestReadFileHoldsOneCopy reads a 24 MB UTF-8 policy that is all blank
// lines but the last, and checks what reading it allocates in all: the
// document once (read into a buffer sized by fstat, decoded in place, its
// lines walked without a slice of them). Read by doubling, copied to a
// string and split, as before, it cost twenty times its size.
func TestReadFileHoldsOneCopy(t *testing.T) {
	const size = 24 << 20
	data := []byte(strings.Repeat("\n", size) + "我们会申请相机权限。\n")
	path := filepath.Join(t.TempDir(), "big.txt")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	data = nil

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	doc, err := ReadFile(path, limits.Default())
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	require.Len(t, doc.Lines, 1)
	assert.Equal(t, size+1, doc.Lines[0].No)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("read %d MiB, allocated %d MiB", size>>20, alloc>>20)
	assert.Less(t, alloc, uint64(size)*5/4, "allocated while reading")
}

// TestDecodeTextInPlace checks that valid UTF-8 without CR comes back as
// the same string (no copy), and that line ends become LF in one pass.
func TestDecodeTextInPlace(t *testing.T) {
	src := strings.Repeat("隐私政策\n", 1000)
	text, enc, err := decodeText(src)
	require.NoError(t, err)
	assert.Equal(t, "utf-8", enc)
	assert.Equal(t, len(src), len(text))
	assert.Equal(t, src, text)
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { _, _, _ = decodeText(src) }), "UTF-8 without CR is not copied")

	tests := []struct{ in, want string }{
		{"a\r\nb", "a\nb"},
		{"a\rb\r", "a\nb\n"},
		{"a\r\r\nb", "a\n\nb"},
		{"\r\n\r\n", "\n\n"},
		{"no cr", "no cr"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, lineFeeds(tt.in), "%q", tt.in)
		assert.Equal(t, strings.ReplaceAll(strings.ReplaceAll(tt.in, "\r\n", "\n"), "\r", "\n"), lineFeeds(tt.in), "%q", tt.in)
	}
}

// TestLineCursor checks that lineCursor yields the lines strings.Split
// yields, and wrapWidth's histogram the width a sort of all widths gives.
func TestLineCursor(t *testing.T) {
	wrappedText := strings.Repeat("我们会收集您的设备信息用于统计分析，我们会收集您的设备信息用于\n统计分析。\n", 20)
	for _, text := range []string{"", "\n", "a", "a\n", "a\nb", "\n\nx\n\n", wrappedText, strings.Repeat("x\n", 7) + strings.Repeat("y", 300)} {
		var got []string
		for c := (lineCursor{text: text}); c.more(); {
			got = append(got, c.take())
		}
		assert.Equal(t, strings.Split(text, "\n"), got, "%q", text)
		assert.Equal(t, sortedWrapWidth(strings.Split(text, "\n")), wrapWidth(text), "%q", text)
	}
	assert.NotZero(t, wrapWidth(wrappedText), "a hard-wrapped text")
}

// sortedWrapWidth is wrapWidth as it was written before the histogram:
// every width kept and sorted.
func sortedWrapWidth(lines []string) int {
	var ws []int
	for _, l := range lines {
		if w := width(strings.TrimSpace(l)); w > 0 {
			ws = append(ws, w)
		}
	}
	if len(ws) < 6 {
		return 0
	}
	sort.Ints(ws)
	w := ws[len(ws)*9/10]
	if w > 200 || w < 20 {
		return 0
	}
	near := 0
	for _, x := range ws {
		if x*100 >= w*85 && x <= w {
			near++
		}
	}
	if near < 3 || near*5 < len(ws) {
		return 0
	}
	return w
}

// TestTableRowBudget: the lines and text an open HTML table row holds are
// charged as they are read, so a row that could never be kept stops the
// reader with the limit's warning instead of growing until the row ends;
// and the cells past maxColumns join the last cell's open line, not a line
// each.
func TestTableRowBudget(t *testing.T) {
	tests := []struct {
		name, html, warning string
	}{
		{"a cell of many lines", "<p>我们会申请相机权限。</p><table><tr><td>a</td><td>" + strings.Repeat("x<br>", MaxLines+10) + "</td></tr></table>",
			"lines exceeds the limit of 100000"},
		{"a row of much text", "<p>我们会申请相机权限。</p><table><tr><td>a</td><td>" + strings.Repeat("<p>"+strings.Repeat("x", 1000)+"</p>", 2*MaxTextBytes/1000+10) + "</td></tr></table>",
			"text bytes exceeds the limit of 8388608"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &builder{doc: &Document{}}
			readHTMLText(b, tt.html, 1)
			assert.True(t, b.full)
			assert.Contains(t, strings.Join(b.doc.Warnings, "\n"), tt.warning)
			assert.Equal(t, "我们会申请相机权限。", b.doc.Lines[0].Text)
		})
	}

	wide := "<table><tr><td>SDK名称</td><td>使用目的</td></tr><tr>" + strings.Repeat("<td>x</td>", 10*maxColumns) + "</tr></table>"
	b := &builder{doc: &Document{}}
	f := &flow{b: b}
	for _, tag := range []string{"table", "tr"} {
		htmlStartTag(f, tag, 1, tagAttrs{span: 1, rowSpan: 1})
	}
	for i := 0; i < 10*maxColumns; i++ {
		htmlStartTag(f, "td", 1, tagAttrs{span: 1, rowSpan: 1})
		f.text("x", 1)
		htmlEndTag(f, "td")
	}
	tbl := f.tables[0]
	assert.Len(t, tbl.cells, maxColumns)
	f.endCell()
	f.lineBreak()
	assert.LessOrEqual(t, len(tbl.cells[maxColumns-1])+boolInt(tbl.cell.visible), 2, "the joined cells are one line")
	htmlEndTag(f, "tr")
	htmlEndTag(f, "table")
	require.Len(t, b.doc.Lines, 1)
	cells := b.doc.Lines[0].Cells
	assert.Len(t, cells, maxColumns)
	assert.Equal(t, strings.TrimSpace(strings.Repeat("x ", 9*maxColumns+1)), cells[maxColumns-1])
	assert.Contains(t, strings.Join(b.doc.Warnings, "\n"), "cells in a table row exceeds the limit of 256")

	doc, err := Extract("wide.html", []byte(wide), limits.Default())
	require.NoError(t, err)
	assert.Len(t, doc.Lines, 2)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
