package doctext

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const (
	// maxGlyphs bounds the glyphs kept from one PDF (about 4 MB of text,
	// far beyond any policy) so a content-stream bomb cannot exhaust memory.
	maxGlyphs = 4 << 20
	// maxPageNodes bounds the page-tree nodes visited, so a cyclic tree ends.
	maxPageNodes = 1 << 16
	maxTreeDepth = 64
	maxGState    = 256
)

// extractPDF reads text with github.com/ledongthuc/pdf, recovering from its
// panics. It runs its own content-stream interpreter on the library's
// lexer so that every glyph keeps its position: fake-bold runs (a glyph drawn
// twice at nearly the same place) are removed, glyphs are grouped into lines
// by baseline, ruled tables (borders drawn as lines) become rows with cells,
// and lines wrapped at the right margin are joined. Line numbers are the
// 1-based index of the physical line in the document.
func extractPDF(b *builder, data []byte, lim limits.Limits) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = unreadable("pdf: malformed document (%v)", r)
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return unreadable("pdf: %v", err)
	}
	pages, truncated := pdfPages(r, lim.PDFPages)
	if truncated {
		b.warn("pdf: only the first %d pages were read", lim.PDFPages)
	}
	if len(pages) == 0 {
		return unreadable("pdf: no pages found")
	}
	x := &pdfExtractor{b: b, budget: maxGlyphs, streamBudget: 4 * lim.PolicySize}
	for i, p := range pages {
		if x.budget <= 0 {
			b.warn("pdf: text truncated after %d glyphs", maxGlyphs)
			break
		}
		pg, err := x.readPage(p)
		if err != nil {
			b.warn("pdf: page %d: %v", i+1, err)
		}
		x.layoutPage(pg, i+1)
	}
	x.emit()
	return nil
}

// pdfPages walks the page tree iteratively with bounded depth and node
// count (the library's own Page(n) loops forever on a cyclic tree).
func pdfPages(r *pdf.Reader, limit int) (pages []pdf.Page, truncated bool) {
	type node struct {
		v     pdf.Value
		depth int
	}
	stack := []node{{r.Trailer().Key("Root").Key("Pages"), 0}}
	visited := 0
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited++; visited > maxPageNodes {
			return pages, true
		}
		kids := n.v.Key("Kids")
		if n.v.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array && n.v.Key("Contents").IsNull() {
			if n.depth >= maxTreeDepth {
				continue
			}
			for i := min(kids.Len(), maxPageNodes) - 1; i >= 0; i-- {
				stack = append(stack, node{kids.Index(i), n.depth + 1})
			}
			continue
		}
		if n.v.Kind() != pdf.Dict {
			continue
		}
		if len(pages) >= limit {
			return pages, true
		}
		pages = append(pages, pdf.Page{V: n.v})
	}
	return pages, false
}

type glyph struct {
	s          string
	x, y, w, h float64 // origin, advance width and font size in user space
}

type rule struct{ x1, y1, x2, y2 float64 }

type pdfPage struct {
	glyphs []glyph
	rules  []rule
}

type matrix [3][3]float64

var ident = matrix{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

func (m matrix) mul(n matrix) matrix {
	var r matrix
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			for k := 0; k < 3; k++ {
				r[i][j] += m[i][k] * n[k][j]
			}
		}
	}
	return r
}

func translate(x, y float64) matrix { return matrix{{1, 0, 0}, {0, 1, 0}, {x, y, 1}} }

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0][0] + y*m[1][0] + m[2][0], x*m[0][1] + y*m[1][1] + m[2][1]
}

type gstate struct {
	ctm                   matrix
	tc, tw, th, tl, trise float64
	tfs                   float64
	font                  *pdfFont
}

// pdfFont is what the interpreter needs of a font.
type pdfFont struct {
	enc     pdf.TextEncoding
	twoByte bool
	gbk     bool // predefined GBK-EUC CMap: 1 or 2 byte codes
	utf16   bool // predefined UCS2/UTF16 CMap without ToUnicode
	widths  map[int]float64
	first   int
	simple  []float64
	dw      float64
}

func (f *pdfFont) width(code int) float64 {
	if f.twoByte || f.gbk || f.utf16 {
		if w, ok := f.widths[code]; ok {
			return w
		}
		return f.dw
	}
	if i := code - f.first; i >= 0 && i < len(f.simple) && f.simple[i] > 0 {
		return f.simple[i]
	}
	return 500
}

func loadFont(v pdf.Value) *pdfFont {
	f := &pdfFont{enc: pdf.Font{V: v}.Encoder(), dw: 1000}
	if v.Key("Subtype").Name() == "Type0" {
		f.twoByte = true
		enc := v.Key("Encoding").Name()
		if v.Key("ToUnicode").Kind() != pdf.Stream {
			switch {
			case strings.HasPrefix(enc, "UniGB-UCS2"), strings.HasPrefix(enc, "UniGB-UTF16"):
				f.utf16 = true
			case strings.HasPrefix(enc, "GBK-EUC"), strings.HasPrefix(enc, "GBpc-EUC"), strings.HasPrefix(enc, "GBK2K"):
				f.gbk, f.twoByte = true, false
			}
		}
		d := v.Key("DescendantFonts").Index(0)
		if dw := d.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
			f.dw = dw.Float64()
		}
		f.widths = map[int]float64{}
		w := d.Key("W")
		for i, n := 0, min(w.Len(), 1<<16); i < n && len(f.widths) < 1<<16; {
			c := int(w.Index(i).Int64())
			if i+1 < n && w.Index(i+1).Kind() == pdf.Array {
				a := w.Index(i + 1)
				for j := 0; j < min(a.Len(), 1<<16); j++ {
					f.widths[c+j] = a.Index(j).Float64()
				}
				i += 2
				continue
			}
			if i+2 < n {
				last := int(w.Index(i + 1).Int64())
				wd := w.Index(i + 2).Float64()
				for k := c; k <= last && k-c < 1<<16; k++ {
					f.widths[k] = wd
				}
			}
			i += 3
		}
		return f
	}
	f.first = int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for i := 0; i < min(ws.Len(), 256); i++ {
		f.simple = append(f.simple, ws.Index(i).Float64())
	}
	return f
}

// codes splits a shown string into character codes for font f.
func (f *pdfFont) codes(raw string) []string {
	size := 1
	if f.twoByte || f.utf16 {
		size = 2
	}
	out := make([]string, 0, len(raw)/size+1)
	for i := 0; i < len(raw); {
		n := size
		if f.gbk && raw[i] >= 0x81 {
			n = 2
		}
		n = min(n, len(raw)-i)
		out = append(out, raw[i:i+n])
		i += n
	}
	return out
}

func (f *pdfFont) decode(code string) string {
	switch {
	case f.utf16:
		if len(code) == 2 {
			return string(rune(code[0])<<8 | rune(code[1]))
		}
		return ""
	case f.gbk:
		if len(code) == 1 {
			return code
		}
		out, _ := simplifiedchinese.GBK.NewDecoder().String(code)
		return out
	}
	return f.enc.Decode(code)
}

type pdfExtractor struct {
	b            *builder
	budget       int
	streamBudget int64
	lines        []pdfLine
	rows         int // physical lines numbered so far
	tables       []pdfTable
	bodySize     map[int]int // glyph count per rounded font size
}

// readPage interprets the content streams of one page.
func (x *pdfExtractor) readPage(p pdf.Page) (pg pdfPage, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed content (%v)", r)
		}
	}()
	contents := p.V.Key("Contents")
	// Measure the decompressed size first: Interpret holds whole arrays
	// in memory and a flate bomb must not get that far.
	var size int64
	streams := []pdf.Value{contents}
	if contents.Kind() == pdf.Array {
		streams = streams[:0]
		for i := 0; i < min(contents.Len(), 4096); i++ {
			streams = append(streams, contents.Index(i))
		}
	}
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		n, err := io.Copy(io.Discard, io.LimitReader(s.Reader(), x.streamBudget+1))
		size += n
		if err != nil {
			return pg, fmt.Errorf("content stream: %v", err)
		}
	}
	if size > x.streamBudget {
		return pg, &limits.LimitError{What: "doctext: pdf content streams", Limit: x.streamBudget, Value: -1}
	}
	x.streamBudget -= size
	if size == 0 {
		return pg, nil
	}

	fonts := map[string]*pdfFont{}
	res := p.Resources().Key("Font")
	g := gstate{ctm: ident, th: 1}
	var stack []gstate
	tm, tlm := ident, ident
	var path []rule
	var cx, cy, sx, sy float64
	show := func(raw string) {
		f := g.font
		if f == nil {
			f = &pdfFont{enc: nopEncoding{}}
		}
		for _, code := range f.codes(raw) {
			if x.budget <= 0 {
				return
			}
			c := 0
			for i := 0; i < len(code); i++ {
				c = c<<8 | int(code[i])
			}
			trm := matrix{{g.tfs * g.th, 0, 0}, {0, g.tfs, 0}, {0, g.trise, 1}}.mul(tm).mul(g.ctm)
			tx := g.tfs*f.width(c)/1000 + g.tc
			if len(code) == 1 && code[0] == ' ' {
				tx += g.tw
			}
			tx *= g.th
			m := tm.mul(g.ctm)
			if s := f.decode(code); s != "" {
				pg.glyphs = append(pg.glyphs, glyph{
					s: s, x: trm[2][0], y: trm[2][1],
					w: tx * math.Hypot(m[0][0], m[0][1]),
					h: math.Hypot(trm[1][0], trm[1][1]),
				})
				x.budget--
			}
			tm = translate(tx, 0).mul(tm)
		}
	}
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		n := stk.Len()
		args := make([]pdf.Value, n)
		for i := n - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		mat := func() matrix {
			return matrix{{num(0), num(1), 0}, {num(2), num(3), 0}, {num(4), num(5), 1}}
		}
		switch op {
		case "cm":
			g.ctm = mat().mul(g.ctm)
		case "q":
			if len(stack) < maxGState {
				stack = append(stack, g)
			}
		case "Q":
			if len(stack) > 0 {
				g = stack[len(stack)-1]
				stack = stack[:len(stack)-1]
			}
		case "BT":
			tm, tlm = ident, ident
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.trise = num(0)
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					f = loadFont(res.Key(name))
					fonts[name] = f
				}
				g.font, g.tfs = f, num(1)
			}
		case "TD":
			g.tl = -num(1)
			fallthrough
		case "Td":
			tlm = translate(num(0), num(1)).mul(tlm)
			tm = tlm
		case "Tm":
			tm, tlm = mat(), mat()
		case "T*":
			tlm = translate(0, -g.tl).mul(tlm)
			tm = tlm
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				args = args[2:]
			}
			tlm = translate(0, -g.tl).mul(tlm)
			tm = tlm
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if len(args) == 1 {
				a := args[0]
				for i := 0; i < a.Len(); i++ {
					v := a.Index(i)
					if v.Kind() == pdf.String {
						show(v.RawString())
					} else {
						tm = translate(-v.Float64()/1000*g.tfs*g.th, 0).mul(tm)
					}
				}
			}
		case "m":
			cx, cy = g.ctm.apply(num(0), num(1))
			sx, sy = cx, cy
		case "l":
			nx, ny := g.ctm.apply(num(0), num(1))
			path = append(path, rule{cx, cy, nx, ny})
			cx, cy = nx, ny
		case "h":
			path = append(path, rule{cx, cy, sx, sy})
			cx, cy = sx, sy
		case "re":
			x0, y0 := g.ctm.apply(num(0), num(1))
			x1, y1 := g.ctm.apply(num(0)+num(2), num(1)+num(3))
			path = append(path, rule{x0, y0, x1, y0}, rule{x1, y0, x1, y1}, rule{x1, y1, x0, y1}, rule{x0, y1, x0, y0})
		case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*":
			if len(pg.rules) < 1<<16 {
				pg.rules = append(pg.rules, path...)
			}
			path = path[:0]
		case "n":
			path = path[:0]
		}
		if len(path) > 1<<16 {
			path = path[:0]
		}
	})
	return pg, nil
}

type nopEncoding struct{}

func (nopEncoding) Decode(raw string) string { return raw }

// pdfLine is one physical line of a page.
type pdfLine struct {
	no           int
	page         int
	text         string
	x0, x1, y, h float64
	table        int // index+1 into pdfExtractor.tables when the line belongs to a table
	heading      bool
	right        float64 // right edge of the page's body text
}

type pdfTable struct {
	rows [][]string
	nos  []int
}

// dedupe drops glyphs drawn again at nearly the same position (fake bold,
// overlaid text layers).
func dedupe(gs []glyph) []glyph {
	type key struct {
		s      string
		bx, by int64
	}
	const cell = 2.0
	seen := map[key][]int{}
	out := gs[:0]
	for _, g := range gs {
		t := math.Min(math.Max(0.15*g.h, 0.3), cell)
		bx, by := int64(math.Floor(g.x/cell)), int64(math.Floor(g.y/cell))
		dup := false
	search:
		for dx := int64(-1); dx <= 1; dx++ {
			for dy := int64(-1); dy <= 1; dy++ {
				for _, i := range seen[key{g.s, bx + dx, by + dy}] {
					if math.Abs(out[i].x-g.x) < t && math.Abs(out[i].y-g.y) < t {
						dup = true
						break search
					}
				}
			}
		}
		if dup {
			continue
		}
		k := key{g.s, bx, by}
		seen[k] = append(seen[k], len(out))
		out = append(out, g)
	}
	return out
}

// layoutPage turns the glyphs of one page into lines and tables.
func (x *pdfExtractor) layoutPage(pg pdfPage, page int) {
	gs := dedupe(pg.glyphs)
	for i := range gs {
		if !(gs[i].h > 0 && gs[i].h < 1e4) || math.IsNaN(gs[i].x) || math.IsNaN(gs[i].y) || math.IsInf(gs[i].x, 0) || math.IsInf(gs[i].y, 0) {
			gs[i].h = 1
		}
		if x.bodySize == nil {
			x.bodySize = map[int]int{}
		}
		if strings.TrimSpace(gs[i].s) != "" {
			x.bodySize[int(math.Round(gs[i].h))]++
		}
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y > gs[j].y })
	// Group by baseline.
	var groups [][]glyph
	for i := 0; i < len(gs); {
		j := i + 1
		tol := 0.35 * gs[i].h
		for j < len(gs) && gs[i].y-gs[j].y <= tol {
			j++
		}
		line := gs[i:j]
		sort.SliceStable(line, func(a, b int) bool { return line[a].x < line[b].x })
		groups = append(groups, line)
		i = j
	}
	hr, vr := classifyRules(pg.rules)
	// Find the table each line belongs to (by the vertical rules crossing it).
	type placed struct {
		glyphs []glyph
		cols   []float64
		no     int
	}
	var lines []placed
	for _, g := range groups {
		if strings.TrimSpace(glyphText(g)) == "" {
			continue
		}
		x.rows++
		lines = append(lines, placed{glyphs: g, cols: crossing(vr, g), no: x.rows})
	}
	right := math.Inf(-1)
	for _, l := range lines {
		if l.cols == nil {
			right = math.Max(right, lineRight(l.glyphs))
		}
	}
	for i := 0; i < len(lines); {
		l := lines[i]
		if l.cols == nil {
			x.lines = append(x.lines, pdfLine{
				no: l.no, page: page, text: glyphText(l.glyphs),
				x0: l.glyphs[0].x, x1: lineRight(l.glyphs), y: l.glyphs[0].y, h: lineSize(l.glyphs), right: right,
			})
			i++
			continue
		}
		// A table: consecutive lines between the same outer borders.
		j := i + 1
		for j < len(lines) && lines[j].cols != nil &&
			math.Abs(lines[j].cols[0]-l.cols[0]) < 3 && math.Abs(lines[j].cols[len(lines[j].cols)-1]-l.cols[len(l.cols)-1]) < 3 {
			j++
		}
		// Column borders: the vertical rules that cross a good share of the
		// table's lines. A table nested in a cell crosses only its own few
		// lines; its text stays in the outer cell.
		var all []float64
		for _, m := range lines[i:j] {
			all = append(all, m.cols...)
		}
		var cols []float64
		for _, c := range mergeClose(all, 2) {
			n := 0
			for _, m := range lines[i:j] {
				for _, x := range m.cols {
					if math.Abs(x-c) <= 2 {
						n++
						break
					}
				}
			}
			if n*10 >= 3*(j-i) || n >= j-i-1 {
				cols = append(cols, c)
			}
		}
		if len(cols) < 2 {
			cols = mergeClose(all, 2)
		}
		// Row borders are the horizontal rules that run from one column
		// border to another; shorter ones (a link's underline) are no border.
		nearCol := func(x float64) bool {
			for _, c := range cols {
				if math.Abs(x-c) <= 3 {
					return true
				}
			}
			return false
		}
		var hs []float64
		for _, h := range hr {
			if h.x1 < cols[len(cols)-1]+2 && h.x2 > cols[0]-2 && nearCol(h.x1) && nearCol(h.x2) {
				hs = append(hs, h.y1)
			}
		}
		hs = mergeClose(hs, 1.5)
		t := pdfTable{}
		rowOf := func(g []glyph) int {
			mid := g[0].y + 0.3*lineSize(g)
			n := 0
			for _, y := range hs {
				if y > mid {
					n++
				}
			}
			return n
		}
		for k := i; k < j; {
			r := rowOf(lines[k].glyphs)
			e := k + 1
			if len(hs) > 0 {
				for e < j && rowOf(lines[e].glyphs) == r {
					e++
				}
			}
			cells := make([]string, len(cols)-1)
			for _, m := range lines[k:e] {
				for c := range cells {
					var in []glyph
					for _, gl := range m.glyphs {
						if cx := gl.x + gl.w/2; cx >= cols[c] && cx < cols[c+1] {
							in = append(in, gl)
						}
					}
					if part := strings.TrimSpace(glyphText(in)); part != "" {
						if cells[c] != "" {
							part = joinSep(cells[c], part) + part
						}
						cells[c] += part
					}
				}
			}
			t.rows = append(t.rows, cells)
			t.nos = append(t.nos, lines[k].no)
			k = e
		}
		x.tables = append(x.tables, t)
		x.lines = append(x.lines, pdfLine{no: l.no, page: page, table: len(x.tables)})
		i = j
	}
}

// classifyRules returns the horizontal and vertical lines among rules,
// with x1<=x2 and y1<=y2.
func classifyRules(rules []rule) (h, v []rule) {
	for _, r := range rules {
		if r.x1 > r.x2 {
			r.x1, r.x2 = r.x2, r.x1
		}
		if r.y1 > r.y2 {
			r.y1, r.y2 = r.y2, r.y1
		}
		switch {
		case r.y2-r.y1 <= 1 && r.x2-r.x1 >= 3:
			h = append(h, r)
		case r.x2-r.x1 <= 1 && r.y2-r.y1 >= 3:
			v = append(v, r)
		}
	}
	return h, v
}

// crossing returns the x positions of vertical rules crossing the middle of
// line g when they frame it as table cells (at least two cells), else nil.
func crossing(vr []rule, g []glyph) []float64 {
	mid := g[0].y + 0.3*lineSize(g)
	var xs []float64
	for _, r := range vr {
		if r.y1 <= mid && mid <= r.y2 {
			xs = append(xs, r.x1)
		}
	}
	xs = mergeClose(xs, 2)
	if len(xs) < 3 || g[0].x < xs[0]-2 || lineRight(g) > xs[len(xs)-1]+2 {
		return nil
	}
	return xs
}

// mergeClose sorts vs and merges values closer than d.
func mergeClose(vs []float64, d float64) []float64 {
	sort.Float64s(vs)
	var out []float64
	for _, v := range vs {
		if len(out) == 0 || v-out[len(out)-1] > d {
			out = append(out, v)
		}
	}
	return out
}

func lineRight(g []glyph) float64 {
	r := math.Inf(-1)
	for _, gl := range g {
		r = math.Max(r, gl.x+gl.w)
	}
	return r
}

func lineSize(g []glyph) float64 {
	h := 0.0
	for _, gl := range g {
		h = math.Max(h, gl.h)
	}
	return h
}

// glyphText joins the glyphs of one line, inserting a space where a gap
// separates two words (not between Han characters, which need none) or
// where a wide gap separates anything.
func glyphText(g []glyph) string {
	var sb strings.Builder
	for i, gl := range g {
		if i > 0 {
			p := g[i-1]
			gap := gl.x - (p.x + p.w)
			a, _ := utf8.DecodeLastRuneInString(p.s)
			c, _ := utf8.DecodeRuneInString(gl.s)
			if gap > 1.0*gl.h || gap > 0.2*gl.h && a < 0x2E80 && c < 0x2E80 {
				sb.WriteByte(' ')
			}
		}
		sb.WriteString(gl.s)
	}
	return sb.String()
}

// emit joins wrapped lines and hands lines and table rows to the builder.
func (x *pdfExtractor) emit() {
	body, best := 0, -1
	for s, n := range x.bodySize {
		if n > best || n == best && s < body {
			body, best = s, n
		}
	}
	for i := 0; i < len(x.lines); i++ {
		l := x.lines[i]
		if l.table > 0 {
			t := x.tables[l.table-1]
			id := 0
			for k, cells := range t.rows {
				filled := 0
				for _, c := range cells {
					if strings.TrimSpace(c) != "" {
						filled++
					}
				}
				if filled == 1 {
					x.b.add(t.nos[k], strings.Join(cells, " "), false)
					continue
				}
				if id == 0 {
					id = x.b.newTable()
				}
				x.b.addRow(t.nos[k], id, cells)
			}
			continue
		}
		text := normalize(l.text)
		heading := body > 0 && l.h >= 1.2*float64(body) && utf8.RuneCountInString(text) <= 80
		last := l
		for !heading && i+1 < len(x.lines) && x.continues(last, x.lines[i+1], text) {
			i++
			last = x.lines[i]
			next := normalize(last.text)
			text += joinSep(text, next) + next
		}
		x.b.add(l.no, text, heading)
	}
}

// continues reports whether line b continues the paragraph that line a
// (whose paragraph text so far is text) was wrapped from.
func (x *pdfExtractor) continues(a, b pdfLine, text string) bool {
	if b.table > 0 || a.page != b.page || a.h <= 0 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(text)
	next := normalize(b.text)
	first, _ := utf8.DecodeRuneInString(next)
	switch {
	case text == "" || next == "", isTerminal(last) && !inURL(text):
		return false
	case a.x1 < a.right-2*a.h && a.right-a.x1 > leadingWordWidth(next, a.h):
		// a ended before the margin, and the next line's first word would have fit: a real line end.
		return false
	case a.y-b.y > 2.2*a.h || b.y >= a.y:
		return false
	case math.Abs(a.h-b.h) > 0.15*a.h:
		return false
	case strings.ContainsRune("•·●○■□◆-*", first), listStart().MatchString(next):
		return false
	}
	return true
}

// leadingWordWidth estimates the width of the run of non-space ASCII that
// starts s (a Latin word or URL that word-wrap moves whole to the next line)
// plus the space before it, at 0.6 em per character (monospace; proportional
// fonts are narrower, so this errs towards joining only lines that start with
// a long Latin word). It is 0 when s starts with Han or space.
func leadingWordWidth(s string, h float64) float64 {
	n := 0
	for _, r := range s {
		if r > 0x7e || r <= ' ' {
			break
		}
		n++
	}
	if n == 0 {
		return 0
	}
	return float64(n+1) * 0.6 * h
}

// inURL reports whether text ends inside a URL ("…/readtemplate?" wrapped before its query).
func inURL(text string) bool {
	i := strings.LastIndexAny(text, " \t")
	return strings.Contains(text[i+1:], "://")
}
