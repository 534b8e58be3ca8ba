package report

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"sync"

	"github.com/clipperhouse/displaywidth"
	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/pkg/twcache"
	"github.com/olekukonko/tablewriter/pkg/twwidth"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// The terminal's tables: ASCII borders, cells wrapped to fit a width, CJK
// ideographs and full-width punctuation counted as two columns (East Asian
// ambiguous characters as one, so the layout is the same in every locale),
// and optional colour that takes no column. We lay the cells out (column
// widths, wrapping, padding); github.com/olekukonko/tablewriter draws them.

// defaultWidth is the width tables fit when Options.Width is 0: a wide
// terminal, or a file or log that is read in an editor.
const defaultWidth = 120

// minColumn is the narrowest a column is squeezed to, unless the width
// cannot hold that many columns (then a share of it, but at least 3) and
// the table runs past it.
const minColumn = 8

// runeWidth is the number of terminal columns r takes, as tablewriter
// measures it (its twwidth sums displaywidth's width of each rune) with East
// Asian ambiguous characters narrow: the layout and the engine that draws it
// must agree on every character, or a padded cell would widen its column.
func runeWidth(r rune) int { return narrowAmbiguous.Rune(r) }

// narrowAmbiguous is the width measure of runeWidth.
var narrowAmbiguous = displaywidth.Options{EastAsianWidth: false}

// textWidth is the number of terminal columns s takes.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// wrapText breaks s into lines of at most w columns: at spaces where it can,
// next to a wide character (CJK text has no spaces) or, for a word longer
// than w, inside it. Explicit line breaks in s are kept.
func wrapText(s string, w int) []string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapLine(para, w)...)
	}
	return out
}

func wrapLine(s string, w int) []string {
	if w < 1 || textWidth(s) <= w {
		return []string{s}
	}
	var lines []string
	rs := []rune(s)
	for len(rs) > 0 {
		// i runes fit in w columns; brk is the last place the line may end
		// (before a space, or next to a wide character), 0 for none.
		col, i, brk := 0, 0, 0
		for i < len(rs) && col+runeWidth(rs[i]) <= w {
			if rs[i] == ' ' {
				brk = i
			}
			col += runeWidth(rs[i])
			i++
			if i < len(rs) && (runeWidth(rs[i-1]) == 2 || runeWidth(rs[i]) == 2) &&
				!strings.ContainsRune(noBreakBefore, rs[i]) && !strings.ContainsRune(noBreakAfter, rs[i-1]) {
				brk = i
			} else if i < len(rs) && i > 1 && strings.ContainsRune(breakAfter, rs[i-1]) && rs[i] != ' ' {
				brk = i // names break after their separators: undisclosed-|permission, com.example.|Foo
			}
		}
		if i == len(rs) {
			lines = append(lines, string(rs))
			break
		}
		if rs[i] == ' ' {
			brk = i
		}
		if brk == 0 { // one word longer than the column: break inside it
			brk = max(i, 1)
		}
		lines = append(lines, strings.TrimRight(string(rs[:brk]), " "))
		rs = rs[brk:]
		for len(rs) > 0 && rs[0] == ' ' {
			rs = rs[1:]
		}
	}
	return lines
}

// Chinese line breaking (禁则): no line starts with closing punctuation and
// none ends with opening punctuation. A long name breaks after one of its
// separators rather than inside a word.
const (
	breakAfter    = "-./_:,;$"
	noBreakBefore = "）」』】》〉，。、；：！？”’)]}"
	noBreakAfter  = "（「『【《〈“‘([{"
)

// fitColumns gives each column a width so that the table, borders
// included, fits total columns: columns that fit keep their natural width,
// and what remains is shared among the others, none below minColumn (or its
// natural width, if less; or less when total is too narrow for that many
// columns). A table that cannot fit even so runs past total.
func fitColumns(natural []int, total int) []int {
	n := len(natural)
	widths := make([]int, n)
	avail := total - (3*n + 1)
	sum := 0
	for _, w := range natural {
		sum += w
	}
	if sum <= avail {
		copy(widths, natural)
		return widths
	}
	left := avail
	open := make([]bool, n)
	floor := max(3, min(minColumn, avail/max(n, 1)))
	for i, w := range natural {
		widths[i] = min(w, floor)
		left -= widths[i]
		open[i] = w > widths[i]
	}
	for left > 0 {
		wanting := 0
		for i := range open {
			if open[i] {
				wanting++
			}
		}
		if wanting == 0 {
			break
		}
		share := max(left/wanting, 1)
		for i := range open {
			if !open[i] || left == 0 {
				continue
			}
			add := min(share, natural[i]-widths[i], left)
			widths[i] += add
			left -= add
			open[i] = widths[i] < natural[i]
		}
	}
	return widths
}

// termTable is one table to print: an optional header, rows of cells (a
// cell may hold line breaks), and a style per cell (an SGR sequence, ""
// for none) used when colour is on.
type termTable struct {
	header []string
	rows   [][]string
	style  func(row, col int) string
}

// write prints t within total columns (defaultWidth when total is 0), with
// colour when color is set. The layout is ours: fitColumns picks the column
// widths and wrapText breaks each cell to them, every line padded to its
// column (textWidth), so the engine's own width measure changes nothing.
// tablewriter draws the result: ASCII borders, a line under the header, no
// wrapping, trimming or header formatting of its own.
func (t termTable) write(w io.Writer, total int, color bool) error {
	n := len(t.header)
	if n == 0 && len(t.rows) > 0 {
		n = len(t.rows[0])
	}
	natural := make([]int, n)
	measure := func(cells []string) {
		for i, c := range cells {
			for _, l := range strings.Split(c, "\n") {
				natural[i] = max(natural[i], textWidth(l))
			}
		}
	}
	measure(t.header)
	for _, r := range t.rows {
		measure(r)
	}
	if total <= 0 {
		total = defaultWidth
	}
	widths := fitColumns(natural, total)

	// layout is one row's cells, each wrapped to its column and padded to it.
	layout := func(cells []string, ri int) []string {
		out := make([]string, n)
		for i := range n {
			c := ""
			if i < len(cells) {
				c = cells[i]
			}
			lines := wrapText(c, widths[i])
			sgr := t.cellStyle(ri, i)
			for l, text := range lines {
				pad := strings.Repeat(" ", max(widths[i]-textWidth(text), 0))
				if color && sgr != "" && text != "" {
					text = sgr + text + sgrReset
				}
				lines[l] = text + pad
			}
			out[i] = strings.Join(lines, "\n")
		}
		return out
	}
	d := drawers.Get().(*drawer)
	defer drawers.Put(d)
	d.buf.Reset()
	d.table.Reset()
	// tablewriter measures with a process-wide East Asian setting it takes
	// from the locale; ours is fixed (ambiguous characters narrow).
	twwidth.SetOptions(twwidth.Options{})
	if len(t.header) > 0 {
		d.table.Header(layout(t.header, -1))
	}
	for i, r := range t.rows {
		if err := d.table.Append(layout(r, i)); err != nil {
			return err
		}
	}
	if err := d.table.Render(); err != nil {
		return err
	}
	_, err := w.Write(d.buf.Bytes())
	return err
}

// drawer is a tablewriter table kept for reuse with the buffer it draws
// into: a new tablewriter.Table costs far more than drawing a small table
// (NewTable allocates a 10240-entry cache), so write reuses them.
type drawer struct {
	buf   bytes.Buffer
	table *tablewriter.Table
}

var drawers = sync.Pool{New: func() any {
	d := &drawer{}
	d.table = tablewriter.NewTable(&d.buf, tableOptions...)
	return d
}}

// tableOptions configure tablewriter to draw cells laid out by write as
// they are: ASCII borders all round, a line under the header and none
// between rows, one space either side of a cell, left-aligned, no wrapping,
// trimming or capitalising.
var tableOptions = func() []tablewriter.Option {
	asis := tw.CellConfig{
		Formatting: tw.CellFormatting{AutoWrap: tw.WrapNone, AutoFormat: tw.Off},
		Alignment:  tw.CellAlignment{Global: tw.AlignLeft},
		Padding:    tw.CellPadding{Global: tw.Padding{Left: " ", Right: " ", Overwrite: true}},
	}
	return []tablewriter.Option{
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{
			Borders: tw.Border{Left: tw.On, Right: tw.On, Top: tw.On, Bottom: tw.On},
			Symbols: tw.NewSymbols(tw.StyleASCII),
			Settings: tw.Settings{
				Separators: tw.Separators{ShowHeader: tw.On, BetweenRows: tw.Off, BetweenColumns: tw.On},
				Lines:      tw.Lines{ShowTop: tw.On, ShowBottom: tw.On, ShowHeaderLine: tw.On},
			},
		})),
		tablewriter.WithHeaderConfig(asis),
		tablewriter.WithRowConfig(asis),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithTrimLine(tw.Off),
		// Cells are strings, never Stringers: a one-entry stringer cache
		// keeps Reset from allocating a full-size one for every table.
		tablewriter.WithStringerCacheCustom(twcache.NewLRU[reflect.Type, reflect.Value](1)),
	}
}()

func (t termTable) cellStyle(row, col int) string {
	if t.style == nil || row < 0 {
		return ""
	}
	return t.style(row, col)
}

// SGR sequences of the colours a terminal report uses.
const (
	sgrReset  = "\x1b[0m"
	sgrHigh   = "\x1b[1;31m" // bold red
	sgrMedium = "\x1b[33m"   // yellow
	sgrLow    = "\x1b[36m"   // cyan
	sgrInfo   = "\x1b[2m"    // faint
	sgrPass   = "\x1b[1;32m" // bold green
	sgrFail   = "\x1b[1;31m" // bold red
)

// severityStyle is the colour of a severity name on a terminal.
func severityStyle(sev string) string {
	switch sev {
	case "high":
		return sgrHigh
	case "medium":
		return sgrMedium
	case "low":
		return sgrLow
	}
	return sgrInfo
}
