package doctext

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"reflect"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const (
	// maxGlyphs bounds the glyphs read from one PDF: fifteen times the
	// longest real policy (about 70,000 characters), and what the reader
	// lays out well within the PDF child's processor time, so that a
	// content-stream bomb ends at this warning, not at the child's limit.
	maxGlyphs = 1 << 20
	// maxPageGlyphs bounds the glyphs of one page, which layout holds at
	// once (a dense A4 page has a few thousand).
	maxPageGlyphs = 1 << 18
	// maxPageNodes bounds the page-tree nodes queued, so a tree whose nodes
	// list each other many times ends.
	maxPageNodes = 1 << 16
	maxTreeDepth = 64
	maxGState    = 256
	// maxPageStreams bounds the content streams of one page, maxStreams
	// those of the whole document (every one is an object to resolve).
	maxPageStreams = 4096
	maxStreams     = 1 << 16
	// maxPageRules bounds the ruled lines (table borders) kept for one page.
	maxPageRules = 1 << 16
	// maxCMapSize bounds a font's ToUnicode CMap (a full CJK one is about
	// 1 MiB; the library scans all of it for every glyph).
	maxCMapSize = 2 << 20
	// contentPerPolicyByte sets the budget of inflated content, all pages
	// together, at this many times the document size limit.
	contentPerPolicyByte = 2
)

// extractPDF reads text with github.com/ledongthuc/pdf, recovering from its
// panics. It runs its own content-stream interpreter (pdfcontent.go) on
// each page so that every glyph keeps its position: fake-bold runs (a glyph drawn
// twice at nearly the same place) are removed, glyphs are grouped into lines
// by baseline, ruled tables (borders drawn as lines) become rows with cells,
// and lines wrapped at the right margin are joined. Line numbers are the
// 1-based index of the physical line in the document.
//
// The work is bounded as it is done: glyphs per page and per document,
// inflated content of all pages together, content streams per page and per
// document, operands per operator, nesting of operands, page-tree nodes.
// Each limit that is hit is a warning that names it; a document of which a
// limit left no text at all is an error that names it. The library itself
// can still die fatally (deep recursion, huge allocations, cycles it
// follows forever): Extract runs this in a child process (pdfchild.go).
func extractPDF(b *builder, data []byte, lim limits.Limits) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = unreadable("pdf: malformed document (%s)", brief(r))
		}
	}()
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return unreadable("pdf: %s", brief(err))
	}
	pages, warning := pdfPages(r, lim.PDFPages)
	if len(pages) == 0 {
		if warning != "" {
			return unreadable("pdf: no pages found (%s)", strings.TrimPrefix(warning, "pdf: "))
		}
		return unreadable("pdf: no pages found")
	}
	if warning != "" {
		b.warn("%s", warning)
	}
	budget := contentPerPolicyByte * lim.PolicySize
	x := &pdfExtractor{b: b, budget: maxGlyphs, content: budget, contentLimit: budget, streams: maxStreams}
	var failed error // the first page that failed or hit a limit
	for i, p := range pages {
		pg, err := x.readPage(p, i+1)
		if err != nil {
			b.warn("pdf: page %d: %v", i+1, err)
			if failed == nil {
				failed = fmt.Errorf("page %d: %w", i+1, err)
			}
		}
		x.layoutPage(pg, i+1)
		x.glyphs = pg.glyphs[:0] // the next page reuses the buffer
		if x.stop != nil {
			if i+1 < len(pages) {
				b.warn("pdf: pages %d to %d were not read: %v", i+2, len(pages), x.stop)
			}
			break
		}
	}
	x.emit()
	if x.kept == 0 && failed != nil {
		// Not "empty": the text may be behind the failure.
		if errors.Is(failed, limits.ErrLimit) {
			return unreadable("pdf: no text read before a limit: %v", failed)
		}
		return unreadable("pdf: no text read: %v", failed)
	}
	return nil
}

// pdfPages walks the page tree iteratively with bounded depth and node
// count, skipping intermediate nodes already visited (the library's own
// Page(n) loops forever on a cyclic tree). The warning, if not empty, says
// which limit or defect cut the walk short.
func pdfPages(r *pdf.Reader, limit int) (pages []pdf.Page, warning string) {
	type node struct {
		v     pdf.Value
		depth int
	}
	stack := []node{{r.Trailer().Key("Root").Key("Pages"), 0}}
	queued := 1
	visited := map[uint64]bool{}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		kids := n.v.Key("Kids")
		if n.v.Key("Type").Name() == "Pages" || kids.Kind() == pdf.Array && n.v.Key("Contents").IsNull() {
			if id, ok := objectID(n.v); ok {
				if visited[id] {
					warning = "pdf: the page tree lists a node inside itself; the repeated node was skipped"
					continue
				}
				visited[id] = true
			}
			if n.depth >= maxTreeDepth {
				warning = fmt.Sprintf("pdf: the page tree is nested deeper than %d levels; deeper pages were skipped", maxTreeDepth)
				continue
			}
			count := kids.Len()
			if room := maxPageNodes - queued; count > room {
				count = max(room, 0)
				warning = "pdf: " + (&limits.LimitError{What: "page-tree nodes", Limit: maxPageNodes, Value: -1}).Error() + "; later pages were skipped"
			}
			queued += count
			for i := count - 1; i >= 0; i-- {
				stack = append(stack, node{kids.Index(i), n.depth + 1})
			}
			continue
		}
		if n.v.Kind() != pdf.Dict {
			continue
		}
		if len(pages) >= limit {
			return pages, fmt.Sprintf("pdf: only the first %d pages were read", limit)
		}
		pages = append(pages, pdf.Page{V: n.v})
	}
	return pages, warning
}

// maxBrief is how many runes of a PDF library message are kept.
const maxBrief = 160

// brief returns a PDF library message (a panic value or an error) as one
// short line: some quote up to 4 KB of the file, newlines and binary included.
func brief(v any) string {
	s := strings.ToValidUTF8(fmt.Sprint(v), "?")
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if utf8.RuneCountInString(s) > maxBrief {
		s = string([]rune(s)[:maxBrief]) + "…"
	}
	return s
}

// objectID returns the object and generation number v was loaded from. The
// library keeps them unexported; reflection reads them without copying v.
// A direct object reports the number of the object that holds it.
func objectID(v pdf.Value) (uint64, bool) {
	f := reflect.ValueOf(v).FieldByName("ptr")
	if !f.IsValid() || f.Kind() != reflect.Struct || f.NumField() != 2 {
		return 0, false
	}
	id, gen := f.Field(0), f.Field(1)
	if id.Kind() != reflect.Uint32 || gen.Kind() != reflect.Uint16 || id.Uint() == 0 {
		return 0, false
	}
	return id.Uint()<<16 | gen.Uint(), true
}

// inherited returns key from the page v or the nearest of its ancestors
// that has it (ISO 32000-1 §7.7.3.4), following at most maxTreeDepth
// parents: the library's Page.Resources loops forever on a cyclic /Parent.
func inherited(v pdf.Value, key string) pdf.Value {
	for range maxTreeDepth {
		if v.IsNull() {
			break
		}
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
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

// fontEncoder returns the library's text encoder for the font v, unless its
// ToUnicode CMap is malformed or too large for the library's CMap reader,
// which loops forever on an unterminated hex string, grows an unclosed
// array until memory runs out, panics on a bad "begin", and decodes each
// glyph by scanning every entry. Then the font's codes are kept as bytes
// and the error says why.
func (x *pdfExtractor) fontEncoder(v pdf.Value) (enc pdf.TextEncoding, err error) {
	defer func() {
		if r := recover(); r != nil {
			enc, err = nopEncoding{}, fmt.Errorf("its encoding is malformed (%s)", brief(r))
		}
	}()
	if cmap := v.Key("ToUnicode"); cmap.Kind() == pdf.Stream {
		rc := cmap.Reader()
		data, err := limits.ReadAtMost(charged{rc, x}, maxCMapSize, "inflated ToUnicode CMap")
		rc.Close()
		c := &contentReader{}
		if err == nil {
			err = c.read(bytes.NewReader(data), func(string, []operand) error { return nil })
		}
		switch {
		case err == nil && c.unterminated:
			err = fmt.Errorf("%w: a string is not terminated", errContentSyntax)
		case err == nil:
			err = c.finish()
		}
		if err != nil {
			return nopEncoding{}, fmt.Errorf("its ToUnicode CMap was not read: %w", err)
		}
	}
	return pdf.Font{V: v}.Encoder(), nil
}

// fontKey names a font across pages: the object it was loaded from (for
// a direct font dictionary, the object holding it) and its resource name.
type fontKey struct {
	id   uint64
	name string
}

// font returns the font v, loaded once for the whole document: a policy's
// pages share their fonts, and each ToUnicode CMap is read once.
func (x *pdfExtractor) font(v pdf.Value, name string, page int) *pdfFont {
	id, ok := objectID(v)
	if !ok {
		return x.loadFont(v, name, page)
	}
	k := fontKey{id, name}
	if f, ok := x.fonts[k]; ok {
		return f
	}
	if x.fonts == nil {
		x.fonts = map[fontKey]*pdfFont{}
	}
	f := x.loadFont(v, name, page)
	x.fonts[k] = f
	return f
}

// loadFont reads what the interpreter needs of the font v (resource name
// name). A font whose encoding cannot be read keeps its codes as bytes,
// with a warning on page.
func (x *pdfExtractor) loadFont(v pdf.Value, name string, page int) *pdfFont {
	enc, err := x.fontEncoder(v)
	if err != nil {
		x.b.warn("pdf: page %d: font %s: %v; its text is read as bytes", page, name, err)
	}
	f := &pdfFont{enc: enc, dw: 1000}
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
	b      *builder
	budget int // glyphs the document may still add
	// content is how many inflated content bytes all pages may still read,
	// of contentLimit; streams is how many content streams they may open.
	content, contentLimit int64
	streams               int
	// stop is the document-wide limit that ended reading, kept counts the
	// glyphs read.
	stop     error
	kept     int
	fonts    map[fontKey]*pdfFont // loaded fonts, see font
	lines    []pdfLine
	rows     int // physical lines numbered so far
	tables   []pdfTable
	bodySize map[int]int // glyph count per rounded font size
	// glyphs is the glyph buffer of the page being read, reused page after
	// page (layout keeps text, not glyphs); dedup is dedupe's, likewise.
	glyphs []glyph
	dedup  deduper
}

// contentStreams returns the content streams of a page (one stream or an
// array of them), charging the page's and the document's stream limits.
func (x *pdfExtractor) contentStreams(contents pdf.Value, page int) (streams []pdf.Value, err error) {
	n := 1
	if contents.Kind() == pdf.Array {
		n = contents.Len()
	}
	if n > maxPageStreams {
		err = fmt.Errorf("%w; the later ones were not read", &limits.LimitError{What: "content streams of one page", Limit: maxPageStreams, Value: int64(n)})
		n = maxPageStreams
	}
	if n > x.streams {
		n = x.streams
		x.stop = &limits.LimitError{What: "content streams of the document", Limit: maxStreams, Value: -1}
		err = x.stop
	}
	x.streams -= n
	if contents.Kind() != pdf.Array {
		return []pdf.Value{contents}, err
	}
	for i := range n {
		streams = append(streams, contents.Index(i))
	}
	return streams, err
}

// charged reads r, charging every byte to the content budget of all pages;
// past it, reading fails with the limit, which also stops the document.
type charged struct {
	r io.Reader
	x *pdfExtractor
}

func (c charged) Read(p []byte) (int, error) {
	if c.x.content <= 0 {
		c.x.stop = &limits.LimitError{What: "inflated content of all pages", Limit: c.x.contentLimit, Value: -1}
		return 0, c.x.stop
	}
	if int64(len(p)) > c.x.content {
		p = p[:c.x.content]
	}
	n, err := c.r.Read(p)
	c.x.content -= int64(n)
	return n, err
}

// readPage interprets the content streams of one page. What was read before
// an error or a limit is kept.
func (x *pdfExtractor) readPage(p pdf.Page, page int) (pg pdfPage, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed content (%s)", brief(r))
		}
	}()
	streams, limitErr := x.contentStreams(p.V.Key("Contents"), page)
	defer func() {
		if err == nil {
			err = limitErr
		}
	}()

	pg.glyphs = x.glyphs[:0]
	fonts := map[string]*pdfFont{}
	res := inherited(p.V, "Resources").Key("Font")
	g := gstate{ctm: ident, th: 1}
	var stack []gstate
	tm, tlm := ident, ident
	var path []rule
	var cx, cy, sx, sy float64
	var full error        // the limit that ended this page
	rulesDropped := false // table borders past maxPageRules were ignored
	show := func(raw string) {
		f := g.font
		if f == nil {
			f = &pdfFont{enc: nopEncoding{}}
		}
		for _, code := range f.codes(raw) {
			if x.budget <= 0 {
				x.stop = &limits.LimitError{What: "glyphs of the document", Limit: maxGlyphs, Value: -1}
				return
			}
			if len(pg.glyphs) >= maxPageGlyphs {
				full = fmt.Errorf("%w; the rest of the page was not read", &limits.LimitError{What: "glyphs on one page", Limit: maxPageGlyphs, Value: -1})
				return
			}
			c := 0
			for i := 0; i < len(code); i++ {
				c = c<<8 | int(code[i])
			}
			tx := g.tfs*f.width(c)/1000 + g.tc
			if len(code) == 1 && code[0] == ' ' {
				tx += g.tw
			}
			tx *= g.th
			if s := f.decode(code); s != "" {
				// The text rendering matrix is [tfs·th 0 0; 0 tfs 0; 0 trise 1] × tm × ctm,
				// written out for the rows a glyph needs (a page may show a quarter million).
				m := tm.mul(g.ctm)
				pg.glyphs = append(pg.glyphs, glyph{
					s: s, x: g.trise*m[1][0] + m[2][0], y: g.trise*m[1][1] + m[2][1],
					w: tx * math.Hypot(m[0][0], m[0][1]),
					h: math.Hypot(g.tfs*m[1][0], g.tfs*m[1][1]),
				})
				x.budget--
				x.kept++
			}
			// tm = translate(tx, 0) × tm
			for j := range 3 {
				tm[2][j] += tx * tm[0][j]
			}
		}
	}
	do := func(op string, args []operand) error {
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
				name := ""
				if args[0].kind == opName {
					name = args[0].str
				}
				f, ok := fonts[name]
				if !ok {
					f = x.font(res.Key(name), name, page)
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
				show(args[0].rawString())
			}
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				args = args[2:]
			}
			tlm = translate(0, -g.tl).mul(tlm)
			tm = tlm
			if len(args) == 1 {
				show(args[0].rawString())
			}
		case "TJ":
			if len(args) == 1 {
				for _, v := range args[0].arr {
					if v.kind == opString {
						show(v.str)
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
			if len(pg.rules) < maxPageRules {
				pg.rules = append(pg.rules, path...)
			} else {
				rulesDropped = true
			}
			path = path[:0]
		case "n":
			path = path[:0]
		}
		if len(path) > maxPageRules {
			path = path[:0]
			rulesDropped = true
		}
		if x.stop != nil {
			return x.stop
		}
		return full
	}
	cr := &contentReader{}
	for _, s := range streams {
		if s.Kind() != pdf.Stream {
			continue
		}
		rc := s.Reader()
		err := cr.read(charged{rc, x}, do)
		rc.Close()
		if err != nil {
			return pg, err
		}
	}
	if cr.overflow {
		return pg, fmt.Errorf("%w; such operators were skipped", &limits.LimitError{What: "operands of one operator", Limit: maxOperands, Value: -1})
	}
	if rulesDropped {
		return pg, fmt.Errorf("%w; later ones were ignored, so tables may be missed", &limits.LimitError{What: "ruled lines on one page", Limit: maxPageRules, Value: -1})
	}
	return pg, cr.finish()
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
// overlaid text layers). Glyphs are bucketed by a hash of their text and
// grid cell (the text hashed once per glyph, not once per probe); each
// bucket is a chain through next, whose glyphs are compared in full, so a
// page of a quarter million glyphs costs one map entry per bucket and no
// slice per bucket.
func (d *deduper) dedupe(gs []glyph) []glyph {
	const cell = 2.0
	if d.head == nil {
		d.seed = maphash.MakeSeed()
		d.head = map[uint64]int32{}
	}
	clear(d.head)
	seed, head, next := d.seed, d.head, d.next[:0]
	bucket := func(hs uint64, bx, by int64) uint64 {
		return hs ^ uint64(bx)*0x9E3779B97F4A7C15 ^ uint64(by)*0xC2B2AE3D27D4EB4F
	}
	out := gs[:0]
	for _, g := range gs {
		t := math.Min(math.Max(0.15*g.h, 0.3), cell)
		bx, by := int64(math.Floor(g.x/cell)), int64(math.Floor(g.y/cell))
		hs := maphash.String(seed, g.s)
		dup := false
		// A duplicate lies within t: only the cells that reach are probed.
		x0, x1 := reach(g.x, t, bx, cell)
		y0, y1 := reach(g.y, t, by, cell)
	search:
		for dx := x0; dx <= x1; dx++ {
			for dy := y0; dy <= y1; dy++ {
				for i := head[bucket(hs, bx+dx, by+dy)]; i > 0; i = next[i-1] {
					if o := out[i-1]; math.Abs(o.x-g.x) < t && math.Abs(o.y-g.y) < t && o.s == g.s {
						dup = true
						break search
					}
				}
			}
		}
		if dup {
			continue
		}
		k := bucket(hs, bx, by)
		next = append(next, head[k])
		out = append(out, g)
		head[k] = int32(len(out))
	}
	d.next = next
	return out
}

// reach returns the offsets, -1 to 1, of the grid cells (of size cell, v in
// cell c) that hold points nearer than t to v.
func reach(v, t float64, c int64, cell float64) (lo, hi int64) {
	if v-t < float64(c)*cell {
		lo = -1
	}
	if v+t > float64(c+1)*cell {
		hi = 1
	}
	return lo, hi
}

// deduper holds dedupe's buckets, kept from page to page: head maps a bucket
// to 1 + the index in the output of its last glyph, next an output index to
// 1 + the index of the glyph before it in its bucket.
type deduper struct {
	seed maphash.Seed
	head map[uint64]int32
	next []int32
}

// layoutPage turns the glyphs of one page into lines and tables.
func (x *pdfExtractor) layoutPage(pg pdfPage, page int) {
	gs := x.dedup.dedupe(pg.glyphs)
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
			cells := make([]paragraph, len(cols)-1)
			for _, m := range lines[k:e] {
				for c := range cells {
					var in []glyph
					for _, gl := range m.glyphs {
						if cx := gl.x + gl.w/2; cx >= cols[c] && cx < cols[c+1] {
							in = append(in, gl)
						}
					}
					if part := strings.TrimSpace(glyphText(in)); part != "" {
						if cells[c].String() != "" {
							cells[c].Join(part)
						} else {
							cells[c].WriteString(part)
						}
					}
				}
			}
			row := make([]string, len(cells))
			for c := range cells {
				row[c] = cells[c].String()
			}
			t.rows = append(t.rows, row)
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
		var text paragraph
		text.WriteString(normalize(l.text))
		heading := body > 0 && l.h >= 1.2*float64(body) && utf8.RuneCountInString(text.String()) <= 80
		last := l
		for !heading && i+1 < len(x.lines) && x.continues(last, x.lines[i+1], &text) {
			i++
			last = x.lines[i]
			text.Join(normalize(last.text))
		}
		x.b.add(l.no, text.String(), heading)
	}
}

// continues reports whether line b continues the paragraph that line a
// (whose paragraph text so far is text) was wrapped from.
func (x *pdfExtractor) continues(a, b pdfLine, text *paragraph) bool {
	if b.table > 0 || a.page != b.page || a.h <= 0 {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(text.String())
	next := normalize(b.text)
	first, _ := utf8.DecodeRuneInString(next)
	switch {
	case text.String() == "" || next == "", isTerminal(last) && !text.inURL():
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
