package policy

import (
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/doctext"
)

// Bounds of the one-cell-per-line reader.
const (
	maxKeyRunes    = 24 // the longest label, as fieldOf reads labels
	maxHeaderCells = 12 // a header has at most this many cells
	maxCellRows    = 500
)

// cellLines reads a table that lost its grid, as LibreOffice and pdftotext
// write tables to plain text: the header's cells on consecutive lines
// (SDK名称 / 使用目的 / 第三方公司), or run together on one line
// ("SDK名称使用目的收集个人信息类型隐私政策链接"), then the rows, each cell on
// a line of its own. It returns the index after the table and its rows;
// ok is false when line i starts no such table.
func (s *segmenter) cellLines(i int) (end int, rows []SDKRow, ok bool) {
	header, next := s.cellHeader(i)
	headerLines := 0
	if next > i {
		headerLines = s.lines[next-1].No - s.lines[i].No + 1
	}
	if len(header) < 2 || !hasField(header, fieldName) {
		return 0, nil, false
	}
	width := len(header)
	nameAt := 0
	for k, f := range header {
		if f == fieldName {
			nameAt = k
			break
		}
	}
	// The body: cell k of row r sits on source line h0+headerLines+width*r+k, blank
	// lines being empty cells (LibreOffice writes an empty cell as a blank
	// line). The table ends at a section heading, a label, a name cell that
	// reads like no name, or a row left wholly blank.
	h0 := s.lines[i].No
	var body []line
	j := next
	for j < len(s.lines) && len(body) < maxCellRows {
		first := s.lines[j]
		off := first.No - h0 - headerLines
		if off < 0 {
			break
		}
		r := off / width
		rowStart := h0 + headerLines + width*r
		if len(body) > 0 && rowStart > body[len(body)-1].No+width {
			break // a blank row
		}
		cells := make([]string, width)
		k := j
		for ; k < len(s.lines) && s.lines[k].No < rowStart+width; k++ {
			l := s.lines[k]
			if l.table != 0 || l.Heading || headingLevel(l.Text) == 1 || headingLevel(l.Text) == 2 ||
				l.No-rowStart == nameAt && fieldOf(l.Text) != "" {
				break // a section heading, or a label where a name belongs: another table
			}
			cells[l.No-rowStart] = l.Text
		}
		if k < len(s.lines) && s.lines[k].No < rowStart+width {
			break // the row holds a line that is no cell
		}
		if cells[nameAt] != "" && !cellName(cells[nameAt]) {
			break
		}
		body = append(body, line{Line: doctextLine(rowStart), cells: cells, table: -1})
		j = k
	}
	if len(body) == 0 {
		return 0, nil, false
	}
	t := append([]line{{Line: s.lines[i].Line, cells: headerCells(header), table: -1}}, body...)
	used := make([]bool, len(t))
	rows, ok = s.tableRecords(t, used)
	if !ok {
		return 0, nil, false
	}
	for k := i; k < j; k++ {
		s.used[k] = true
	}
	return j, rows, true
}

// doctextLine is a source line number as a Line of no text.
func doctextLine(no int) doctext.Line { return doctext.Line{No: no} }

// cellHeader returns the fields of a header starting at line i, and the
// index of the line after it: consecutive lines that are each a known label
// (and nothing else), or one line that is several labels run together.
func (s *segmenter) cellHeader(i int) ([]string, int) {
	var fs []string
	j := i
	for j < len(s.lines) && len(fs) < maxHeaderCells {
		l := s.lines[j]
		if l.table != 0 || strings.ContainsAny(l.Text, ":：") || l.No != s.lines[i].No+len(fs) {
			break
		}
		f := fieldOf(l.Text)
		if f == "" || utf8.RuneCountInString(l.Text) > 16 {
			break
		}
		fs = append(fs, f)
		j++
	}
	if len(fs) >= 2 {
		return fs, j
	}
	if l := s.lines[i]; l.table == 0 && !strings.ContainsAny(l.Text, ":：") {
		if run := labelRun(l.Text); len(run) >= 3 {
			return run, i + 1
		}
	}
	return nil, i
}

// labelRun splits a line made only of known labels run together into
// their fields, longest label first at each point; nil when any part of the
// line is no label.
func labelRun(text string) []string {
	k := normKey(text)
	if utf8.RuneCountInString(k) > 80 {
		return nil
	}
	m := fields()
	var out []string
	for k != "" && len(out) < maxHeaderCells {
		// The longest known key of two runes or more that starts k.
		best, cut, ends := "", 0, []int{}
		for n := 0; cut < len(k) && n < maxKeyRunes; n++ {
			_, size := utf8.DecodeRuneInString(k[cut:])
			cut += size
			ends = append(ends, cut)
		}
		for i := len(ends) - 1; i >= 1 && best == ""; i-- {
			if _, ok := m[k[:ends[i]]]; ok {
				best = k[:ends[i]]
			}
		}
		if best == "" {
			return nil
		}
		out = append(out, m[best])
		k = k[len(best):]
	}
	if k != "" {
		return nil
	}
	return out
}

// headerCells turns fields back into label cells that fieldOf reads as the same fields.
func headerCells(fs []string) []string {
	out := make([]string, len(fs))
	for k, f := range fs {
		out[k] = fieldLabel[f]
	}
	return out
}

// fieldLabel is one label per field, for headers rebuilt from fields.
var fieldLabel = map[string]string{
	fieldName: "SDK名称", fieldCompany: "公司名称", fieldPurpose: "使用目的", fieldScenario: "使用场景",
	fieldData: "收集个人信息类型", fieldMethod: "收集方式", fieldPolicyURL: "隐私政策链接", fieldWebsite: "官网链接",
	fieldPackage: "包名", fieldCategory: "SDK类型", fieldContact: "联系方式", fieldPermission: "权限名称",
	"prompted": "是否询问", "revocable": "是否可关闭",
}

// plainRun reports whether lines are ordinary text lines, no headings or table rows.
func plainRun(ls []line) bool {
	for _, l := range ls {
		if l.table != 0 || l.Heading {
			return false
		}
	}
	return true
}

// cellName reports whether a cell can hold an SDK name: short, no sentence, no label.
func cellName(text string) bool {
	n := utf8.RuneCountInString(text)
	return n > 0 && n <= maxTitleRunes && !strings.ContainsAny(text, "。；;") && fieldOf(text) == "" &&
		!strings.ContainsAny(text, ":：")
}
