package doctext

import (
	"sort"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// mdParser is CommonMark with GFM tables and strikethrough.
var mdParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough)).Parser()

// Bounds of the Markdown reader: block structure nested deeper than
// maxMDDepth (a thousand '>' or list levels) is read as plain text lines,
// and at most maxMDSource bytes (sixteen times the longest real Markdown
// policy we have, 64 KB) are parsed; the rest is a warning. goldmark holds
// the whole tree, some 50 bytes a source byte for tables: 1 MiB of pipe
// rows is a 50 MB tree, which fits beside the document itself in a 1 GiB
// address space; 4 MiB did not.
const (
	maxMDDepth  = 64
	maxMDSource = 1 << 20
)

// extractMarkdown parses Markdown with goldmark (CommonMark and GFM tables)
// and walks its tree without recursion: headings keep their level, list
// items their nesting level and marker (written before the item's text, as
// "1. " or "- "), GFM tables become table rows, fenced and indented code
// and raw HTML blocks are read line by line (raw HTML through the HTML
// reader, so an HTML table in Markdown is a table), and a paragraph gives one
// line per source line. Emphasis and links are kept as Strong and as the
// link target written after the link text. Line numbers are source lines.
func extractMarkdown(b *builder, src string) {
	if deepMarkdown(src) {
		b.warn("markdown: block nesting deeper than %d: read as plain text", maxMDDepth)
		extractText(b, src)
		return
	}
	if len(src) > maxMDSource {
		cut := strings.LastIndexByte(src[:maxMDSource], '\n')
		if cut < 0 {
			cut = maxMDSource
		}
		parseMarkdown(b, src[:cut])
		if !b.full {
			b.full = true
			b.warn("%v: the rest of the document is not read", &limits.LimitError{What: "markdown: source bytes", Limit: maxMDSource, Value: -1})
		}
		return
	}
	parseMarkdown(b, src)
}

// parseMarkdown is extractMarkdown on at most maxMDSource bytes nested at
// most maxMDDepth deep.
func parseMarkdown(b *builder, src string) {
	source := []byte(src)
	root := mdParser.Parse(text.NewReader(source))
	m := &mdWalk{b: b, src: source, starts: lineStarts(source)}
	type frame struct {
		n     ast.Node
		level int // list nesting
	}
	stack := []frame{{root, 0}}
	for len(stack) > 0 && !b.full {
		fr := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n, level := fr.n, fr.level
		switch n := n.(type) {
		case *ast.Heading:
			m.inlineLines(n, Line{Heading: true, Kind: KindHeading, Level: n.Level})
			continue
		case *ast.Paragraph, *ast.TextBlock:
			l := Line{Kind: KindParagraph}
			if item, ok := n.Parent().(*ast.ListItem); ok && item.FirstChild() == n {
				l.Kind, l.Level, l.Marker = KindItem, level, listMarker(item)
			}
			m.inlineLines(n, l)
			continue
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			m.rawLines(n, Line{Kind: KindPre})
			continue
		case *ast.HTMLBlock:
			m.htmlBlock(n)
			continue
		case *east.Table:
			m.table(n)
			continue
		case *ast.List:
			level++
		case *ast.ThematicBreak:
			continue
		}
		// Children in document order: push them last first.
		var kids []ast.Node
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			kids = append(kids, c)
		}
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, frame{kids[i], level})
		}
	}
}

// deepMarkdown reports whether a line nests block quotes or lists past
// maxMDDepth, which goldmark would hold as a deep tree.
func deepMarkdown(src string) bool {
	for c := (lineCursor{text: src}); c.more(); {
		line := c.take()
		depth := 0
		for _, r := range line {
			if r == '>' || r == ' ' || r == '\t' || r == '-' || r == '*' || r == '+' {
				if r == '>' || r == '-' || r == '*' || r == '+' {
					depth++
				}
				continue
			}
			break
		}
		if depth > maxMDDepth {
			return true
		}
	}
	return false
}

// mdWalk turns goldmark nodes into Lines.
type mdWalk struct {
	b      *builder
	src    []byte
	starts []int // byte offset of each source line
}

// lineStarts returns the offset of every line of src.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based source line of byte offset off.
func (m *mdWalk) lineOf(off int) int {
	return sort.Search(len(m.starts), func(i int) bool { return m.starts[i] > off })
}

// listMarker is the marker of a list item: "1." for the third item of a list
// starting at 1 is "3.", "-" for a bullet list.
func listMarker(item *ast.ListItem) string {
	list, ok := item.Parent().(*ast.List)
	if !ok {
		return ""
	}
	if !list.IsOrdered() {
		return string(list.Marker)
	}
	n := list.Start
	for c := list.FirstChild(); c != nil && c != ast.Node(item); c = c.NextSibling() {
		n++
	}
	return itoa(n) + string(list.Marker)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// inlineLines writes the inline content of block n as lines like proto,
// one per source line: soft and hard line breaks and <br> end a line.
func (m *mdWalk) inlineLines(n ast.Node, proto Line) {
	var sb strings.Builder
	no, strong, first := 0, false, true
	if proto.Marker != "" {
		sb.WriteString(proto.Marker + " ")
	}
	flush := func() {
		if t := sb.String(); strings.TrimSpace(t) != "" {
			// CommonMark leaves "**使用目的：**统计" unpaired (a delimiter after
			// CJK punctuation and before a letter does not close): such
			// leftover runs are markup too.
			if strings.Contains(t, "**") || strings.Contains(t, "__") {
				strong = strong || strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(t, proto.Marker+" ")), "**")
				t = strings.NewReplacer("**", "", "__", "").Replace(t)
			}
			l := proto
			l.No, l.Text, l.Strong = max(no, 1), t, strong
			m.b.addLine(l)
		}
		sb.Reset()
		no, strong, first = 0, false, true
		proto.Marker = ""
	}
	m.inline(n, func(s string, off int, emph bool) {
		if no == 0 && off >= 0 {
			no = m.lineOf(off)
		}
		if first && strings.TrimSpace(s) != "" {
			strong, first = emph, false
		}
		sb.WriteString(s)
	}, flush)
	flush()
}

// inline walks the inline children of n without recursion, calling emit
// for text (with its source offset, -1 when unknown, and whether it is
// strongly emphasised) and brk at every line break.
func (m *mdWalk) inline(n ast.Node, emit func(s string, off int, strong bool), brk func()) {
	type frame struct {
		n      ast.Node
		strong bool
		exit   *ast.Link // the link whose target follows its text
	}
	var stack []frame
	for c := n.LastChild(); c != nil; c = c.PreviousSibling() {
		stack = append(stack, frame{n: c})
	}
	for len(stack) > 0 {
		fr := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if fr.exit != nil {
			dest := string(fr.exit.Destination)
			if webLink(dest) {
				emit(" "+dest+" ", -1, false)
			}
			continue
		}
		strong := fr.strong
		switch c := fr.n.(type) {
		case *ast.Text:
			emit(string(segValue(c.Segment, m.src)), c.Segment.Start, strong)
			if c.HardLineBreak() || c.SoftLineBreak() {
				brk()
			}
			continue
		case *ast.String:
			emit(string(c.Value), -1, strong)
			continue
		case *ast.AutoLink:
			emit(string(c.URL(m.src)), -1, strong)
			continue
		case *ast.RawHTML:
			var raw strings.Builder
			for i := 0; i < c.Segments.Len(); i++ {
				raw.Write(segValue(c.Segments.At(i), m.src))
			}
			if t := strings.ToLower(raw.String()); strings.HasPrefix(t, "<br") || strings.HasPrefix(t, "</br") {
				brk()
			}
			continue
		case *ast.Image:
			continue
		case *ast.Emphasis:
			strong = strong || c.Level >= 2
		case *ast.Link:
			if !strings.Contains(plainText(c, m.src), string(c.Destination)) {
				stack = append(stack, frame{exit: c})
			}
		}
		for k := fr.n.LastChild(); k != nil; k = k.PreviousSibling() {
			stack = append(stack, frame{n: k, strong: strong})
		}
	}
}

// plainText is the text of the inline children of n.
func plainText(n ast.Node, src []byte) string {
	var sb strings.Builder
	stack := []ast.Node{n}
	for len(stack) > 0 && sb.Len() < 4096 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if t, ok := x.(*ast.Text); ok {
			sb.Write(segValue(t.Segment, src))
			continue
		}
		for k := x.LastChild(); k != nil; k = k.PreviousSibling() {
			stack = append(stack, k)
		}
	}
	return sb.String()
}

// rawLines writes the source lines of a code block, one line each.
func (m *mdWalk) rawLines(n ast.Node, proto Line) {
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		l := proto
		l.No, l.Text = m.lineOf(s.Start), string(segValue(s, m.src))
		m.b.addLine(l)
	}
}

// htmlBlock reads a raw HTML block through the HTML reader, so that its
// tables, headings and line breaks are read as in an HTML document.
func (m *mdWalk) htmlBlock(n *ast.HTMLBlock) {
	lines := n.Lines()
	if lines.Len() == 0 {
		return
	}
	var sb strings.Builder
	for i := 0; i < lines.Len(); i++ {
		sb.Write(segValue(lines.At(i), m.src))
	}
	if n.HasClosure() {
		sb.Write(segValue(n.ClosureLine, m.src))
	}
	readHTMLText(m.b, sb.String(), m.lineOf(lines.At(0).Start))
}

// table writes a GFM table's rows.
func (m *mdWalk) table(t *east.Table) {
	id := m.b.newTable()
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells []string
		no := 0
		for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
			var sb strings.Builder
			m.inline(cell, func(s string, off int, _ bool) {
				if no == 0 && off >= 0 {
					no = m.lineOf(off)
				}
				sb.WriteString(s)
			}, func() { sb.WriteString(" ") })
			cells = append(cells, sb.String())
		}
		if no == 0 {
			if ls := row.Lines(); ls != nil && ls.Len() > 0 {
				no = m.lineOf(ls.At(0).Start)
			}
		}
		m.b.addTableRow(max(no, 1), id, cells, nil)
	}
}

// webLink reports whether a link target is an http(s) URL.
func webLink(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")
}

// segValue is the source text of a segment.
func segValue(s text.Segment, src []byte) []byte { return s.Value(src) }
