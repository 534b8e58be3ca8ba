package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeTable renders t at total columns.
func writeTable(t *testing.T, tt termTable, total int, color bool) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, tt.write(&buf, total, color))
	return buf.String()
}

// TestTermTableDrawing pins what tablewriter is asked to draw: ASCII
// borders, a line under the header only, cells left-aligned with one space
// either side, headers as given (not capitalised), cells wrapped by our
// layout and a table without header.
func TestTermTableDrawing(t *testing.T) {
	tests := []struct {
		name  string
		table termTable
		total int
		want  string
	}{
		{"header and rows", termTable{header: []string{"Rule", "数量"}, rows: [][]string{{"a", "1"}, {"longer name", "22"}}}, 80,
			"+-------------+------+\n" +
				"| Rule        | 数量 |\n" +
				"+-------------+------+\n" +
				"| a           | 1    |\n" +
				"| longer name | 22   |\n" +
				"+-------------+------+\n"},
		{"no header", termTable{rows: [][]string{{"Label", "示例商城"}}}, 80,
			"+-------+----------+\n" +
				"| Label | 示例商城 |\n" +
				"+-------+----------+\n"},
		{"wrapped to the width", termTable{header: []string{"id", "text"}, rows: [][]string{{"x", "undisclosed-permission android.permission.CAMERA"}}}, 30,
			"+----+-----------------------+\n" +
				"| id | text                  |\n" +
				"+----+-----------------------+\n" +
				"| x  | undisclosed-          |\n" +
				"|    | permission android.   |\n" +
				"|    | permission.CAMERA     |\n" +
				"+----+-----------------------+\n"},
		{"spaces kept, cell line breaks kept", termTable{rows: [][]string{{"  lead", "a\nb"}}}, 80,
			"+--------+---+\n" +
				"|   lead | a |\n" +
				"|        | b |\n" +
				"+--------+---+\n"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, writeTable(t, tt.table, tt.total, false), tt.name)
	}
}

// TestTermTableWidthAgreement: characters whose width measures disagree
// (soft hyphen, format characters, trigrams, combining marks, emoji) still
// give a table whose every line is as wide as its border, by our measure and
// by tablewriter's, since both are the same measure.
func TestTermTableWidthAgreement(t *testing.T) {
	cells := []string{"x\u00ady", "\u2060word", "☰☱☲", "e\u0301te\u0301", "😀 ok", "中文，标点。", "a\u200db"}
	for _, c := range cells {
		assert.Equal(t, twwidth.WidthWithOptions(c, twwidth.Options{}), textWidth(c), "%q", c)
	}
	out := writeTable(t, termTable{header: []string{"cell", "more"}, rows: [][]string{cells[:2], cells[2:4], cells[4:6], {cells[6], "-"}}}, 40, false)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 8)
	for _, l := range lines {
		assert.Equal(t, textWidth(lines[0]), textWidth(l), "%q", l)
		assert.Equal(t, twwidth.WidthWithOptions(lines[0], twwidth.Options{}), twwidth.WidthWithOptions(l, twwidth.Options{}), "%q", l)
	}
}

// TestTermTableLocale: tablewriter's global East Asian setting (which it
// takes from the locale, e.g. RUNEWIDTH_EASTASIAN=1 or LANG=zh_CN) changes
// nothing: ambiguous characters stay one column.
func TestTermTableLocale(t *testing.T) {
	tt := termTable{header: []string{"名称", "± ambiguous §"}, rows: [][]string{{"α", "“引号”"}}}
	want := writeTable(t, tt, 60, false)
	twwidth.SetEastAsian(true)
	t.Cleanup(func() { twwidth.SetEastAsian(false) })
	assert.Equal(t, want, writeTable(t, tt, 60, false))
	assert.Equal(t, want, writeTable(t, tt, 60, true), "no style, no colour")
}

// FuzzTermTable: any cells (sanitised, as every caller does) at any width
// draw without error into a table whose lines are all as wide as its top
// border, and whose text is all there.
func FuzzTermTable(f *testing.F) {
	f.Add("undisclosed-permission", "隐私政策中友盟统计的条目", "a\nb", uint8(40))
	f.Add("x\u00ady", "☰ e\u0301", "", uint8(3))
	f.Fuzz(func(t *testing.T, a, b, c string, w uint8) {
		row := cleanCells([]string{a, b, c})
		out := writeTable(t, termTable{header: []string{"A", "列", "C"}, rows: [][]string{row}}, int(w), false)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, l := range lines {
			require.Equal(t, textWidth(lines[0]), textWidth(l), "%q", l)
		}
		flat := strings.Map(func(r rune) rune {
			if r == ' ' || r == '|' || r == '\n' {
				return -1
			}
			return r
		}, strings.Join(lines[3:len(lines)-1], ""))
		for _, cell := range row {
			for _, r := range strings.Map(func(r rune) rune {
				if r == ' ' || r == '|' || r == '\n' {
					return -1
				}
				return r
			}, cell) {
				require.Contains(t, flat, string(r), "%q lost from %q", r, cell)
			}
		}
	})
}
