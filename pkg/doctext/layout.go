package doctext

import (
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

// layoutPipeTables turns GFM pipe tables written as text (Markdown kept in
// an HTML <pre>, pasted into a plain-text file) into table rows: a line
// holding '|' directly followed by a separator line ("---|---|---"), then
// every following line holding '|'. A line without '|' right below a row
// (no blank line between) is the rest of that row moved down by a line
// wrap, as html2text does with long links: it fills the row's first empty
// trailing column, or joins its last cell. The table ends at a blank line,
// a heading or any other line.
func layoutPipeTables(b *builder) {
	in := b.doc.Lines
	// Rewritten in place: a table takes at least two input lines (a header
	// and its separator line) and every other line at most one, so out never
	// passes the line being read.
	out := in[:0]
	for i := 0; i < len(in); i++ {
		l := in[i]
		if l.Table != 0 || l.Heading || !strings.Contains(l.Text, "|") || i+1 >= len(in) ||
			in[i+1].Table != 0 || !mdTable().MatchString(in[i+1].Text) {
			out = append(out, l)
			continue
		}
		id := b.newTable()
		header := mdCells(l.Text)
		width := len(header)
		out = append(out, tableLine(l.No, id, header))
		prev := in[i+1].No
		j := i + 2
		for ; j < len(in); j++ {
			r := in[j]
			if r.Table != 0 || r.Heading || r.No > prev+1 {
				break
			}
			if strings.Contains(r.Text, "|") {
				out = append(out, tableLine(r.No, id, mdCells(r.Text)))
			} else {
				last := &out[len(out)-1]
				if last.Table != id {
					break
				}
				cells := append([]string(nil), last.Cells...)
				if len(cells) < width {
					for len(cells) < width-1 {
						cells = append(cells, "")
					}
					cells = append(cells, r.Text)
				} else {
					cells[len(cells)-1] = strings.TrimSpace(cells[len(cells)-1] + " " + r.Text)
				}
				*last = tableLine(last.No, id, cells)
			}
			prev = r.No
		}
		i = j - 1
	}
	clear(in[len(out):]) // the lines merged into tables
	chars := 0
	for _, l := range out {
		chars += utf8.RuneCountInString(l.Text)
	}
	b.doc.Lines, b.doc.Chars = out, chars
}

// tableLine is a table row Line built from already normalised cells.
func tableLine(no, table int, cells []string) Line {
	for i := range cells {
		cells[i] = normalize(cells[i])
	}
	return Line{No: no, Text: strings.Join(cells, " | "), Table: table, Cells: cells}
}

var (
	mdLink     = lazyre.New(`!?\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)`)
	mdAutoLink = lazyre.New(`<((?:https?|mailto):[^>\s]+)>`)
	mdBreak    = lazyre.New(`(?i)<br\s*/?>`)
)

// mdCells splits a pipe-table row written as text into cells, honouring "\|".
func mdCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, mdInline(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, mdInline(cur.String()))
}

// mdInline removes the inline Markdown of a pipe-table cell written as text
// (html2text output in an HTML <pre>): links keep their text followed by
// their http(s) target, <br> becomes a space, and **, __, ` and ~~ go.
func mdInline(s string) string {
	s = mdLink().ReplaceAllStringFunc(s, func(m string) string {
		sub := mdLink().FindStringSubmatch(m)
		text, target := strings.TrimSpace(sub[1]), sub[2]
		switch {
		case text == "":
			return target
		case strings.HasPrefix(m, "!"), strings.Contains(text, target), !webLink(target):
			return sub[1]
		}
		return sub[1] + " " + target + " "
	})
	s = mdAutoLink().ReplaceAllString(s, "$1")
	s = mdBreak().ReplaceAllString(s, " ")
	return strings.NewReplacer("**", "", "__", "", "~~", "", "`", "", `\*`, "*", `\_`, "_", `\#`, "#").Replace(s)
}
