package doctext

import "strings"

// flow turns a stream of text, block breaks and table events (from the HTML
// tokenizer or the DOCX XML decoder) into Lines. It holds no recursion and
// no per-element stack except one small record per open table, so deeply
// nested input costs linear time and memory.
type flow struct {
	b      *builder
	cur    segment // the line being built outside any table cell
	tables []*tableState
}

// segment is one line of text being built, with the source line of its
// first visible character.
type segment struct {
	sb      strings.Builder
	line    int
	heading bool
	visible bool
}

func (s *segment) write(text string, line int) {
	if !s.visible {
		if i := strings.IndexFunc(text, func(r rune) bool { return !isSpaceRune(r) }); i >= 0 {
			s.visible = true
			s.line = line + strings.Count(text[:i], "\n")
		}
	}
	s.sb.WriteString(text)
}

func (s *segment) reset() {
	s.sb.Reset()
	s.visible = false
	s.heading = false
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
	spans   []int
	cell    segment
}

type segmentText struct {
	text    string
	line    int
	heading bool
}

func (f *flow) cell() *tableState {
	if n := len(f.tables); n > 0 && f.tables[n-1].inCell {
		return f.tables[n-1]
	}
	return nil
}

// text adds text whose first byte sits on source line line.
func (f *flow) text(s string, line int) {
	if t := f.cell(); t != nil {
		t.cell.write(s, line)
		return
	}
	f.cur.write(s, line)
}

// lineBreak ends the current line (a block boundary or <br>).
func (f *flow) lineBreak() {
	if t := f.cell(); t != nil {
		t.endSegment()
		return
	}
	if f.cur.visible {
		f.b.add(f.cur.line, f.cur.sb.String(), f.cur.heading)
	}
	f.cur.reset()
}

// heading ends the current line and marks the next one as a heading (or not).
func (f *flow) heading(on bool) {
	f.lineBreak()
	if t := f.cell(); t != nil {
		t.cell.heading = on
		return
	}
	f.cur.heading = on
}

func (t *tableState) endSegment() {
	if t.cell.visible && len(t.cells) > 0 {
		c := &t.cells[len(t.cells)-1]
		*c = append(*c, segmentText{t.cell.sb.String(), t.cell.line, t.cell.heading})
	}
	t.cell.reset()
}

func (f *flow) startTable() {
	if f.cell() == nil {
		f.lineBreak()
	}
	f.tables = append(f.tables, &tableState{})
}

func (f *flow) endTable() {
	if len(f.tables) == 0 {
		return
	}
	f.endRow()
	f.tables = f.tables[:len(f.tables)-1]
}

func (f *flow) startRow(line int) {
	if len(f.tables) == 0 {
		f.startTable()
	}
	f.endRow()
	t := f.tables[len(f.tables)-1]
	t.rowOpen, t.rowLine = true, line
}

// startCell opens a cell spanning span columns (1 when unknown).
func (f *flow) startCell(line, span int) {
	if len(f.tables) == 0 {
		f.startTable()
	}
	t := f.tables[len(f.tables)-1]
	if !t.rowOpen {
		f.startRow(line)
	}
	f.endCell()
	t.inCell = true
	t.cells = append(t.cells, nil)
	t.spans = append(t.spans, max(1, min(span, 64)))
}

func (f *flow) endCell() {
	if len(f.tables) == 0 {
		return
	}
	t := f.tables[len(f.tables)-1]
	if t.inCell {
		t.endSegment()
		t.inCell = false
	}
}

// endRow emits the open row of the innermost table. A row with two or more
// non-empty cells becomes one table Line; a row with a single non-empty
// cell (a layout table, a caption row) becomes ordinary lines.
func (f *flow) endRow() {
	if len(f.tables) == 0 {
		return
	}
	f.endCell()
	t := f.tables[len(f.tables)-1]
	if !t.rowOpen {
		return
	}
	filled := 0
	for _, c := range t.cells {
		if len(c) > 0 {
			filled++
		}
	}
	switch {
	case filled == 1:
		for _, c := range t.cells {
			for _, s := range c {
				f.b.add(s.line, s.text, s.heading)
			}
		}
	case filled > 1:
		var cells []string
		for i, c := range t.cells {
			parts := make([]string, len(c))
			for j, s := range c {
				parts[j] = s.text
			}
			cells = append(cells, strings.Join(parts, " "))
			for k := 1; k < t.spans[i]; k++ {
				cells = append(cells, "")
			}
		}
		if t.id == 0 {
			t.id = f.b.newTable()
		}
		f.b.addRow(t.rowLine, t.id, cells)
	}
	t.rowOpen = false
	t.cells = t.cells[:0]
	t.spans = t.spans[:0]
}

// finish closes everything still open at the end of the input.
func (f *flow) finish() {
	for len(f.tables) > 0 {
		f.endTable()
	}
	f.lineBreak()
}
