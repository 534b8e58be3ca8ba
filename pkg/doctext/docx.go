package doctext

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// headingStyle matches the names and ids of Word heading styles, English
// and Chinese ("Heading 1", "heading1", "标题 1", "Title").
var headingStyle = lazyre.New(`(?i)^\s*(heading\s*\d|标题\s*\d?|title)\s*$`)

// extractDOCX reads word/document.xml from a DOCX zip with bounded reads
// (declared and delivered size both capped by lim.PolicySize) and streams
// its XML: each w:p is a line numbered by its paragraph index, w:tab is a
// space, w:br a line break, w:tbl/w:tr/w:tc rows with cells, and paragraphs
// in a heading style (resolved through word/styles.xml) are headings.
func extractDOCX(b *builder, data string, lim limits.Limits) error {
	zr, err := zip.NewReader(strings.NewReader(data), int64(len(data)))
	if err != nil {
		return unreadable("docx: %v", err)
	}
	var doc, styles, rels, numbers *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			doc = f
		case "word/styles.xml":
			styles = f
		case "word/_rels/document.xml.rels":
			rels = f
		case "word/numbering.xml":
			numbers = f
		}
	}
	if doc == nil {
		return unreadable("docx: zip archive has no word/document.xml")
	}
	b.doc.Encoding = "utf-8"
	headings := map[string]int{}
	links := map[string]string{}
	num := &numbering{abstract: map[string]*[maxListLevels]numLevel{}, nums: map[string]string{}, counters: map[string]*[maxListLevels]int{}}
	// A broken styles, relationships or numbering part costs headings, links
	// or list markers, not the text: a warning; a part past the size limit is an error.
	for _, part := range []struct {
		f    *zip.File
		read func(*zip.File, limits.Limits) error
	}{
		{styles, func(f *zip.File, lim limits.Limits) error { return readDOCXStyles(f, lim, headings) }},
		{rels, func(f *zip.File, lim limits.Limits) error { return readDOCXLinks(f, lim, links) }},
		{numbers, func(f *zip.File, lim limits.Limits) error { return readDOCXNumbering(f, lim, num) }},
	} {
		if part.f == nil {
			continue
		}
		if err := part.read(part.f, lim); err != nil {
			var le *limits.LimitError
			if errors.As(err, &le) {
				return err
			}
			b.warn("docx: %s: %v", part.f.Name, err)
		}
	}
	rc, err := openEntry(doc, lim, b.doc.Path)
	if err != nil {
		return err
	}
	defer rc.Close()
	err = readDOCXBody(b, rc, headings, links, num)
	num.warnDropped(b)
	return err
}

// maxDOCXDepth bounds the XML nesting whose structure (paragraphs, tables,
// runs) is read; text deeper than this is still read.
const maxDOCXDepth = 1000

// maxLinks bounds the hyperlink targets read from the relationships part.
const maxLinks = 100000

// readDOCXLinks records the external http(s) targets of the document's
// relationships by id: w:hyperlink r:id="rId5" points at one.
func readDOCXLinks(f *zip.File, lim limits.Limits, links map[string]string) error {
	return eachStart(f, lim, func(se xml.StartElement) {
		if se.Name.Local != "Relationship" || len(links) >= maxLinks {
			return
		}
		target := strings.TrimSpace(attr(se, "Target"))
		if l := strings.ToLower(target); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			links[attr(se, "Id")] = target
		}
	})
}

// eachStart calls fn for every start element of the XML part f (read with
// bounded size) and returns the first read or syntax error.
func eachStart(f *zip.File, lim limits.Limits, fn func(xml.StartElement)) error {
	rc, err := openEntry(f, lim, "")
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if se, ok := tok.(xml.StartElement); ok {
			fn(se)
		}
	}
}

// openEntry opens a zip entry whose declared and delivered sizes are both
// capped at lim.PolicySize.
func openEntry(f *zip.File, lim limits.Limits, path string) (io.ReadCloser, error) {
	what := "docx: " + f.Name + " uncompressed size"
	if path != "" {
		what = "doctext: " + path + ": " + what
	}
	if f.UncompressedSize64 > uint64(lim.PolicySize) {
		return nil, &limits.LimitError{What: what, Limit: lim.PolicySize, Value: int64(min(f.UncompressedSize64, 1<<62))}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, unreadable("docx: %s: %v", f.Name, err)
	}
	return &cappedReader{rc: rc, left: lim.PolicySize, what: what, limit: lim.PolicySize}, nil
}

// cappedReader fails with a *limits.LimitError once more than limit bytes
// have been read.
type cappedReader struct {
	rc    io.ReadCloser
	left  int64
	limit int64
	what  string
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, &limits.LimitError{What: c.what, Limit: c.limit, Value: -1}
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, &limits.LimitError{What: c.what, Limit: c.limit, Value: -1}
	}
	return n, err
}

func (c *cappedReader) Close() error { return c.rc.Close() }

// readDOCXStyles records, by style id, the level of paragraph styles whose id or name is a
// heading style.
func readDOCXStyles(f *zip.File, lim limits.Limits, headings map[string]int) error {
	var id string
	return eachStart(f, lim, func(se xml.StartElement) {
		switch se.Name.Local {
		case "style":
			id = attr(se, "styleId")
			if headingStyle().MatchString(id) {
				headings[id] = styleLevel(id)
			}
		case "name":
			if v := attr(se, "val"); id != "" && headingStyle().MatchString(v) {
				headings[id] = styleLevel(v)
			}
		case "outlineLvl":
			if id != "" {
				n, _ := strconv.Atoi(attr(se, "val"))
				headings[id] = min(max(n+1, 1), 6)
			}
		}
	})
}

// styleLevel is the level a heading style's name or id gives ("Heading 2" is 2), 1 without a digit.
func styleLevel(name string) int {
	for _, r := range name {
		if r >= '1' && r <= '6' {
			return int(r - '0')
		}
	}
	return 1
}

// attrNS returns the value of the relationship-namespace attribute local
// (r:id), falling back to any attribute of that local name.
func attrNS(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && strings.Contains(a.Name.Space, "relationships") {
			return a.Value
		}
	}
	return attr(se, local)
}

// attr returns the value of the attribute with the given local name.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// readDOCXBody streams document.xml into lines. A hyperlink's target
// (links, by relationship id) follows its text unless the text shows it:
// SDK lists hide policy links behind "隐私政策". A numbered paragraph is a
// list item whose marker (num) is written before its text.
func readDOCXBody(b *builder, r io.Reader, headings map[string]int, links map[string]string, num *numbering) error {
	d := xml.NewDecoder(r)
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		return nil, errors.New("unsupported XML encoding " + label)
	}
	f := &flow{b: b}
	para := 0   // paragraph index, the line number
	pDepth := 0 // nesting of w:p (text boxes nest paragraphs)
	inText := false
	runBold := false // the current w:r is bold (w:rPr/w:b)
	href, linkText := "", ""
	ilvl := 0 // the list level of the paragraph's w:numPr
	skip := 0 // inside deleted text, field instructions and the like
	depth := 0
	for !b.full {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var le *limits.LimitError
			if errors.As(err, &le) {
				return le
			}
			if len(b.doc.Lines) == 0 {
				return unreadable("docx: word/document.xml: %v", err)
			}
			b.warn("docx: word/document.xml: %v", err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == maxDOCXDepth+1 {
				b.warn("%v: deeper elements are read for their text only", &limits.LimitError{What: "docx: XML element nesting", Limit: maxDOCXDepth, Value: -1})
			}
			if skip > 0 {
				skip++
				continue
			}
			if depth > maxDOCXDepth && t.Name.Local != "t" {
				continue
			}
			switch t.Name.Local {
			case "p":
				pDepth++
				if pDepth == 1 {
					para++
					f.lineBreak()
				} else {
					f.text(" ", max(para, 1))
				}
			case "pStyle":
				if lv := headings[attr(t, "val")]; lv > 0 {
					f.heading(lv)
				}
			case "outlineLvl":
				n, _ := strconv.Atoi(attr(t, "val"))
				f.heading(min(max(n+1, 1), 6))
			case "numPr":
				ilvl = 0
			case "ilvl":
				n, _ := strconv.Atoi(attr(t, "val"))
				ilvl = min(max(n, 0), maxListLevels-1)
			case "numId":
				if id := attr(t, "val"); id != "0" {
					f.item(ilvl+1, num.next(id, ilvl))
				}
			case "t":
				inText = true
				if runBold {
					f.emphasis(true)
				}
			case "tab", "ptab":
				f.text(tabMark, max(para, 1))
			case "br", "cr":
				if attr(t, "type") == "page" || attr(t, "type") == "column" {
					f.text(" ", max(para, 1))
				} else {
					f.lineBreak()
				}
			case "noBreakHyphen":
				f.text("-", max(para, 1))
			case "tbl":
				f.startTable()
			case "tr":
				f.startRow(para + 1)
			case "tc":
				f.startCell(para+1, 1, 1)
			case "gridSpan":
				if n, err := strconv.Atoi(attr(t, "val")); err == nil {
					f.setColSpan(n)
				}
			case "vMerge":
				if v := attr(t, "val"); v != "restart" {
					f.mergeDown()
				}
			case "r":
				runBold = false
			case "b":
				if v := attr(t, "val"); v != "0" && v != "false" && v != "off" {
					runBold = true
				}
			case "hyperlink":
				href, linkText = links[attrNS(t, "id")], ""
			case "delText", "instrText", "del", "fldData", "pPrChange", "rPrChange":
				skip = 1
			}
		case xml.EndElement:
			depth--
			if skip > 0 {
				skip--
				continue
			}
			if depth >= maxDOCXDepth && t.Name.Local != "t" {
				continue
			}
			switch t.Name.Local {
			case "p":
				if pDepth == 1 {
					f.lineBreak()
				}
				pDepth = max(0, pDepth-1)
			case "t":
				if inText && runBold {
					f.emphasis(false)
				}
				inText = false
			case "tbl":
				f.endTable()
			case "tr":
				f.endRow()
			case "tc":
				f.endCell()
			case "hyperlink":
				if href != "" && !strings.Contains(linkText, href) {
					f.text(" "+href+" ", max(para, 1))
				}
				href = ""
			}
		case xml.CharData:
			if inText && skip == 0 {
				f.text(string(t), max(para, 1))
				if href != "" && len(linkText) < 4096 {
					linkText += string(t)
				}
			}
		}
	}
	f.finish()
	return nil
}
