package doctext

import (
	"strings"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// flow turns a stream of text, block breaks and table events (from the HTML
// tokenizer or the DOCX XML decoder) into Lines. It holds no recursion and
// no per-element stack except one small record per open table, so deeply
// nested input costs linear time and memory.
type flow struct {
	b      *builder
	cur    segment // the line being built outside any table cell
	tables []*tableState
	// strong counts the open emphasis elements (<b>, <strong>, a bold DOCX run).
	strong int
	// tabTable is the table id of the TAB-separated lines just read, 0 after any other line.
	tabTable int
	// flatTables counts the open tables nested past maxTableDepth, read as text.
	flatTables int
	// wideWarned is set once a row had more than maxColumns cells.
	wideWarned bool
	// lists counts the open HTML lists, the nesting of their items.
	lists int
	// ols holds, per open HTML list, its type ("" for <ul>) and the number
	// of its next item.
	ols []olState
	// heldLines and heldBytes count the cell lines the open table rows hold
	// and their bytes, charged as they are read (see hold).
	heldLines, heldBytes int
}

// hold charges one more cell line of n bytes to the open table rows; the
// first time the rows hold more lines than a document may have, or more
// text than is left of its budget, it stops the builder with the limit's
// warning and reports false. The budget is spent before the row ends: a
// row of a million cells (or one cell of a million lines) stops the
// reader, not the memory.
func (f *flow) hold(n int) bool {
	if f.b.full {
		return false
	}
	f.heldLines++
	f.heldBytes += n
	switch {
	case f.heldLines > MaxLines:
		f.b.stop(&limits.LimitError{What: "doctext: lines", Limit: MaxLines, Value: -1})
	case f.heldBytes > f.b.rawRoom():
		f.b.stop(&limits.LimitError{What: "doctext: text bytes", Limit: MaxTextBytes, Value: -1})
	default:
		return true
	}
	return false
}

// olState is one open HTML list: its <ol type> ("1", "a", "A", "i", "I";
// "" for <ul>) and the number of its next item.
type olState struct {
	typ  string
	next int
}

// tabMark stands for a DOCX w:tab in flow text; normalize turns a stray one into a space.
const tabMark = "\x1f"

// tabCells splits a line at tab marks when it has two or more non-empty fields.
func tabCells(text string) []string {
	if !strings.Contains(text, tabMark) {
		return nil
	}
	cells := strings.Split(text, tabMark)
	n := 0
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			n++
		}
	}
	if n < 2 {
		return nil
	}
	return cells
}

// segment is one line of text being built, with the source line of its
// first visible character.
type segment struct {
	sb      strings.Builder
	line    int
	heading bool
	visible bool
	// strong is set when the first visible text of the segment is emphasised.
	strong bool
	// kind and level are the block the segment is part of (heading level, list nesting).
	kind  string
	level int
	// marker is a numbered list item's marker ("1.", "一、"), written before its text.
	marker string
}

func (s *segment) write(text string, line int, strong bool) {
	if s.sb.Len() > MaxTextBytes {
		return // past the document's text budget: builder.room refuses the line and warns
	}
	if !s.visible {
		if i := strings.IndexFunc(text, func(r rune) bool { return !isSpaceRune(r) }); i >= 0 {
			s.visible = true
			s.strong = strong
			s.line = line + strings.Count(text[:i], "\n")
		}
	}
	s.sb.WriteString(text)
}

func (s *segment) reset() {
	s.sb.Reset()
	s.visible = false
	s.heading = false
	s.strong = false
	s.kind, s.level, s.marker = "", 0, ""
	s.line = 0
}

func isSpaceRune(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\f', '\v', '\u00a0', '\u3000', '\u200b', '\ufeff':
		return true
	}
	return false
}

// tableState is one open table; its rows become Lines when they end.
type tableState struct {
	id      int
	rowOpen bool
	rowLine int
	inCell  bool
	cells   [][]segmentText // per cell, its lines
	spans   []int           // per cell, its column span
	rowSpan []int           // per cell, its row span
	cell    segment
	// joined is set while the cells past maxColumns of the open row are
	// read into the open line of its last cell.
	joined bool
	// below holds, per column slot, how many more rows a cell of an earlier
	// row covers (HTML rowspan, DOCX vMerge).
	below []int
}

type segmentText struct {
	text    string
	line    int
	heading bool
	strong  bool
}

// Bounds on table geometry: a span beyond these is clipped, so a hostile
// colspan or rowspan cannot make rows of millions of cells.
const (
	maxColSpan = 64
	maxRowSpan = 10000
	maxColumns = 256
)

func (f *flow) cell() *tableState {
	if n := len(f.tables); n > 0 && f.tables[n-1].inCell {
		return f.tables[n-1]
	}
	return nil
}

// text adds text whose first byte sits on source line line.
func (f *flow) text(s string, line int) {
	if t := f.cell(); t != nil {
		t.cell.write(s, line, f.strong > 0)
		return
	}
	f.cur.write(s, line, f.strong > 0)
}

// emphasis opens (on) or closes an emphasised span of text.
func (f *flow) emphasis(on bool) {
	if on {
		f.strong++
	} else if f.strong > 0 {
		f.strong--
	}
}

// lineBreak ends the current line (a block boundary or <br>).
func (f *flow) lineBreak() {
	if t := f.cell(); t != nil {
		t.endSegment(f)
		return
	}
	if f.cur.visible {
		text := f.cur.sb.String()
		if cells := tabCells(text); len(cells) >= 2 && !f.cur.heading {
			// Columns set with TABs (a DOCX made from a TAB-separated text):
			// consecutive such lines are one table.
			if f.tabTable == 0 {
				f.tabTable = f.b.newTable()
			}
			f.b.addTableRow(f.cur.line, f.tabTable, cells, nil)
		} else {
			f.tabTable = 0
			if m := f.cur.marker; m != "" {
				text = m + " " + text
			}
			f.b.addLine(Line{No: f.cur.line, Text: text, Heading: f.cur.heading, Strong: f.cur.strong, Kind: f.cur.kind, Level: f.cur.level, Marker: f.cur.marker})
		}
	}
	f.cur.reset()
}

// heading ends the current line and marks the next one as a heading of
// level (1-6), or as no heading when level is 0.
func (f *flow) heading(level int) {
	f.lineBreak()
	if t := f.cell(); t != nil {
		t.cell.heading = level > 0
		return
	}
	f.cur.heading = level > 0
	f.cur.kind, f.cur.level = "", 0
	if level > 0 {
		f.cur.kind, f.cur.level = KindHeading, level
	}
}

// item ends the current line and marks the next one as a list item nested
// level deep, numbered with marker ("" for none). In a table cell only the
// line break is kept.
func (f *flow) item(level int, marker string) {
	f.lineBreak()
	if f.cell() == nil {
		f.cur.kind, f.cur.level, f.cur.marker = KindItem, level, marker
	}
}

// endSegment ends the open line of the open cell, charged to f.hold.
func (t *tableState) endSegment(f *flow) {
	if t.cell.visible && len(t.cells) > 0 && f.hold(t.cell.sb.Len()) {
		c := &t.cells[len(t.cells)-1]
		*c = append(*c, segmentText{t.cell.sb.String(), t.cell.line, t.cell.heading, t.cell.strong})
	}
	t.cell.reset()
}

// maxTableDepth bounds how deeply tables nest in cells; a table deeper
// than this is read as text of the cell that holds it.
const maxTableDepth = 16

func (f *flow) startTable() {
	if len(f.tables) >= maxTableDepth {
		if f.flatTables == 0 {
			f.b.warn("%v: deeper tables are read as text", &limits.LimitError{What: "doctext: table nesting", Limit: maxTableDepth, Value: -1})
		}
		f.flatTables++
		f.lineBreak()
		return
	}
	if f.cell() == nil {
		f.lineBreak()
	}
	f.tables = append(f.tables, &tableState{})
}

func (f *flow) endTable() {
	if f.flatTables > 0 {
		f.flatTables--
		f.lineBreak()
		return
	}
	if len(f.tables) == 0 {
		return
	}
	f.endRow()
	f.tables = f.tables[:len(f.tables)-1]
}

func (f *flow) startRow(line int) {
	if f.flatTables > 0 {
		f.lineBreak()
		return
	}
	if len(f.tables) == 0 {
		f.startTable()
	}
	f.endRow()
	t := f.tables[len(f.tables)-1]
	t.rowOpen, t.rowLine = true, line
}

// startCell opens a cell spanning span columns and rowSpan rows (1 when unknown).
func (f *flow) startCell(line, span, rowSpan int) {
	if f.flatTables > 0 {
		f.text(" ", line)
		return
	}
	if len(f.tables) == 0 {
		f.startTable()
	}
	t := f.tables[len(f.tables)-1]
	if !t.rowOpen {
		f.startRow(line)
	}
	if len(t.cells) >= maxColumns {
		// A row of more cells than any table has: the rest joins the last
		// cell, in the line it has open (endCell keeps it open), not as a
		// line per cell.
		if !f.wideWarned {
			f.wideWarned = true
			f.b.warn("%v: further cells join the last one", &limits.LimitError{What: "doctext: cells in a table row", Limit: maxColumns, Value: -1})
		}
		if !t.joined {
			f.endCell()
			t.joined = true
		}
		t.inCell = true
		t.cell.write(" ", line, false)
		return
	}
	f.endCell()
	t.inCell = true
	t.cells = append(t.cells, nil)
	t.spans = append(t.spans, max(1, min(span, maxColSpan)))
	t.rowSpan = append(t.rowSpan, max(1, min(rowSpan, maxRowSpan)))
}

// setColSpan sets the column span of the open cell (DOCX w:gridSpan).
func (f *flow) setColSpan(n int) {
	if t := f.cell(); t != nil {
		t.spans[len(t.spans)-1] = max(1, min(n, maxColSpan))
	}
}

// mergeDown marks the open cell as the continuation of the cell above it
// (DOCX w:vMerge without restart): the cell above gets one more row.
func (f *flow) mergeDown() {
	if t := f.cell(); t != nil {
		t.rowSpan[len(t.rowSpan)-1] = 0
	}
}

func (f *flow) endCell() {
	if len(f.tables) == 0 || f.flatTables > 0 {
		return
	}
	t := f.tables[len(f.tables)-1]
	if t.inCell {
		if !t.joined {
			t.endSegment(f)
		}
		t.inCell = false
	}
}

// endRow emits the open row of the innermost table. The rows of a table
// nested in a cell become lines of that cell. Cells covered by a
// cell above that spans rows become empty slots marked Covered, so every
// row keeps the columns of the header. A row with two or more non-empty
// cells, or one non-empty cell and covered slots, becomes one table Line; a
// row with a single non-empty cell and nothing covered (a layout table, a
// caption row) becomes ordinary lines.
func (f *flow) endRow() {
	if f.flatTables > 0 {
		f.lineBreak()
		return
	}
	if len(f.tables) == 0 {
		return
	}
	f.endCell()
	t := f.tables[len(f.tables)-1]
	if t.joined {
		t.endSegment(f)
		t.joined = false
	}
	if !t.rowOpen {
		return
	}
	var cells []string
	var covered []bool
	var spansFrom []int // rowspans this row starts, applied after it
	col, anyCovered, filled := 0, false, 0
	skipCovered := func() {
		for col < len(t.below) && t.below[col] > 0 && col < maxColumns {
			t.below[col]--
			cells = append(cells, "")
			covered = append(covered, true)
			anyCovered = true
			col++
		}
	}
	for i, c := range t.cells {
		if t.rowSpan[i] == 0 { // a DOCX continuation cell: it lengthens the span above
			skipCovered()
			for k := 0; k < t.spans[i] && col < maxColumns; k++ {
				cells = append(cells, "")
				covered = append(covered, true)
				anyCovered = true
				col++
			}
			continue
		}
		skipCovered()
		if col >= maxColumns {
			break
		}
		parts := make([]string, len(c))
		for j, s := range c {
			parts[j] = s.text
		}
		text := strings.Join(parts, " ")
		if len(c) > 0 {
			filled++
		}
		start := col
		cells = append(cells, text)
		covered = append(covered, false)
		col++
		for k := 1; k < t.spans[i] && col < maxColumns; k++ {
			cells = append(cells, "")
			covered = append(covered, false)
			col++
		}
		if t.rowSpan[i] > 1 {
			for s := start; s < col; s++ {
				spansFrom = append(spansFrom, s, t.rowSpan[i]-1)
			}
		}
	}
	for col < len(t.below) && col < maxColumns {
		skipCovered()
		if col < len(t.below) && t.below[col] == 0 {
			cells = append(cells, "")
			covered = append(covered, false)
			col++
		}
	}
	for k := 0; k+1 < len(spansFrom); k += 2 {
		s, n := spansFrom[k], spansFrom[k+1]
		for len(t.below) <= s {
			t.below = append(t.below, 0)
		}
		t.below[s] = max(t.below[s], n)
	}
	if n := len(f.tables); n > 1 && f.tables[n-2].inCell && filled > 0 {
		// A table nested in a cell is part of that cell: its rows become lines of the cell's text.
		outer := f.tables[n-2]
		outer.endSegment(f)
		var parts []string
		for _, c := range cells {
			if strings.TrimSpace(c) != "" {
				parts = append(parts, c)
			}
		}
		text := strings.Join(parts, " ")
		if len(outer.cells) > 0 && f.hold(len(text)) {
			oc := &outer.cells[len(outer.cells)-1]
			*oc = append(*oc, segmentText{text: text, line: t.rowLine})
		}
		filled = 0
		anyCovered = false
	}
	switch {
	case filled == 1 && !anyCovered:
		for _, c := range t.cells {
			for _, s := range c {
				f.b.addLine(Line{No: s.line, Text: s.text, Heading: s.heading, Strong: s.strong})
			}
		}
	case filled >= 1:
		if t.id == 0 {
			t.id = f.b.newTable()
		}
		f.b.addTableRow(t.rowLine, t.id, cells, covered)
	}
	t.rowOpen = false
	if len(f.tables) == 1 {
		f.heldLines, f.heldBytes = 0, 0 // the outermost row is out: its lines are the builder's
	}
	t.cells = t.cells[:0]
	t.spans = t.spans[:0]
	t.rowSpan = t.rowSpan[:0]
}

// finish closes everything still open at the end of the input.
func (f *flow) finish() {
	for len(f.tables) > 0 {
		f.endTable()
	}
	f.lineBreak()
}
