package doctext

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
)

// skipped elements contribute no text.
var htmlSkipped = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true,
	"iframe": true, "noembed": true, "noframes": true, "title": true,
	"svg": true, "math": true, "object": true, "select": true,
}

// htmlBlocks start and end a line.
var htmlBlocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "body": true,
	"center": true, "dd": true, "details": true, "dialog": true, "dir": true, "div": true,
	"dl": true, "dt": true, "fieldset": true, "figcaption": true, "figure": true,
	"footer": true, "form": true, "header": true, "hgroup": true, "hr": true, "html": true,
	"legend": true, "li": true, "main": true, "menu": true, "nav": true, "ol": true,
	"p": true, "pre": true, "section": true, "summary": true, "ul": true, "caption": true,
	"option": true, "textarea": true, "tbody": true, "thead": true, "tfoot": true,
}

// decodeHTML converts an HTML document to UTF-8: a BOM or a declared
// charset (<meta charset=gbk>) wins; otherwise the text detection of plain
// text applies, with windows-1252 as the last resort.
func decodeHTML(data string) (string, string, error) {
	// DetermineEncoding looks at the first 1024 bytes only.
	e, name, certain := charset.DetermineEncoding([]byte(data[:min(len(data), 1024)]), "")
	if certain { // a BOM
		switch {
		case strings.HasPrefix(data, bomUTF8):
			data = data[3:]
		case strings.HasPrefix(data, bomUTF16LE), strings.HasPrefix(data, bomUTF16BE):
			data = data[2:]
		}
	}
	head := bytes.ToLower([]byte(data[:min(len(data), 1024)]))
	declared := certain || name != "utf-8" && name != "windows-1252" ||
		name == "windows-1252" && bytes.Contains(head, []byte("charset")) &&
			(bytes.Contains(head, []byte("1252")) || bytes.Contains(head, []byte("8859-1")) || bytes.Contains(head, []byte("latin1")))
	if declared {
		out, err := e.NewDecoder().String(data)
		if err != nil {
			return "", "", unreadable("html: invalid %s: %v", name, err)
		}
		if reason := binaryText(out); reason != "" {
			return "", "", unreadable("binary data, not HTML (%s)", reason)
		}
		return out, name, nil
	}
	text, enc, err := decodeText(data)
	if err == nil || strings.IndexByte(data, 0) >= 0 {
		return text, enc, err
	}
	e, _ = charset.Lookup("windows-1252")
	out, err := e.NewDecoder().String(data)
	if err != nil {
		return "", "", unreadable("html: %v", err)
	}
	return out, "windows-1252", nil
}

// extractHTML streams the document through html.Tokenizer (no tree, so
// 100k nested tags cost linear time). Block elements and <br> break lines,
// h1-h6 are headings, each <tr> becomes one Line with Cells. Line numbers
// are counted from the newlines of the raw tokens.
func extractHTML(b *builder, data string) error {
	text, enc, err := decodeHTML(data)
	if err != nil {
		return err
	}
	b.doc.Encoding = enc
	readHTMLText(b, text, 1)
	return nil
}

// readHTMLText reads decoded HTML whose first byte sits on source line
// first: the whole of an HTML document, or a raw HTML block of Markdown.
func readHTMLText(b *builder, text string, first int) {
	text = lineFeeds(text)
	f := &flow{b: b}
	z := html.NewTokenizer(strings.NewReader(text))
	line := first
	skip := 0
	var href, anchorText string // the open <a>'s link and the text written inside it
	pre := 0                    // depth of open <pre>/<textarea>/<listing> elements
	for !b.full {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				b.warn("html: %v", z.Err())
			}
			break
		}
		start := line
		line += bytes.Count(z.Raw(), []byte{'\n'})
		switch tt {
		case html.TextToken:
			if skip == 0 {
				t := string(z.Text())
				if pre > 0 && strings.Contains(t, "\n") {
					// Inside <pre> a newline ends a line (LibreOffice exports plain text that way).
					parts := strings.Split(t, "\n")
					for i, part := range parts {
						if i > 0 {
							f.lineBreak()
						}
						f.text(part, start+i)
					}
				} else {
					f.text(t, start)
				}
				if href != "" {
					anchorText += t
				}
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if htmlSkipped[tag] {
				if tt == html.StartTagToken {
					skip++
				}
				continue
			}
			if skip > 0 {
				continue
			}
			a := tagAttrs{span: 1, rowSpan: 1}
			if hasAttr && (tag == "td" || tag == "th") {
				a.span, a.rowSpan = cellSpans(z)
			}
			if hasAttr && (tag == "ol" || tag == "li") {
				a.listType, a.number, a.numbered = listAttrs(z)
			}
			if hasAttr && tag == "a" {
				href, anchorText = linkTarget(z), ""
			}
			if tag == "pre" || tag == "listing" || tag == "plaintext" {
				pre++
			}
			htmlStartTag(f, tag, start, a)
			if tt == html.SelfClosingTagToken && tag != "br" {
				htmlEndTag(f, tag)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if htmlSkipped[tag] {
				if skip > 0 {
					skip--
				}
				continue
			}
			if skip == 0 && tag == "a" && href != "" {
				// Keep the link target: SDK lists often hide the policy URL behind "隐私政策".
				if !strings.Contains(anchorText, href) {
					f.text(" "+href+" ", start)
				}
				href = ""
			}
			if (tag == "pre" || tag == "listing") && pre > 0 {
				pre--
			}
			if skip == 0 {
				htmlEndTag(f, tag)
			}
		}
	}
	f.finish()
}

// maxListNesting bounds the nesting of HTML lists whose items are numbered.
const maxListNesting = 64

// tagAttrs are the attributes of a start tag the reader uses: a cell's
// spans, a list's type and start, an item's value.
type tagAttrs struct {
	span, rowSpan int
	listType      string // <ol type>
	number        int    // <ol start> or <li value>
	numbered      bool   // number was given
}

func htmlStartTag(f *flow, tag string, line int, a tagAttrs) {
	switch tag {
	case "br", "hr":
		f.lineBreak()
	case "h1", "h2", "h3", "h4", "h5", "h6":
		f.heading(int(tag[1] - '0'))
	case "ul", "ol":
		f.lists++
		f.lineBreak()
		if len(f.ols) != f.lists-1 || len(f.ols) == maxListNesting {
			break // nested past maxListNesting: items unnumbered
		}
		if tag == "ul" {
			f.ols = append(f.ols, olState{})
		} else {
			o := olState{typ: "1", next: 1}
			if a.listType != "" {
				o.typ = a.listType
			}
			if a.numbered {
				o.next = a.number
			}
			f.ols = append(f.ols, o)
		}
	case "li":
		marker := ""
		if n := len(f.ols); n > 0 && n == f.lists && f.ols[n-1].typ != "" {
			o := &f.ols[n-1]
			if a.numbered {
				o.next = a.number
			}
			marker = listNumber(o.typ, o.next) + "."
			o.next++
		}
		f.item(max(f.lists, 1), marker)
	case "table":
		f.startTable()
	case "tr":
		f.startRow(line)
	case "td", "th":
		f.startCell(line, a.span, a.rowSpan)
	case "b", "strong":
		f.emphasis(true)
	case "img":
	default:
		if htmlBlocks[tag] {
			f.lineBreak()
		}
	}
}

func htmlEndTag(f *flow, tag string) {
	switch tag {
	case "br":
		f.lineBreak() // "</br>" is read as <br>, as browsers do
	case "h1", "h2", "h3", "h4", "h5", "h6":
		f.heading(0)
	case "ul", "ol":
		if len(f.ols) > 0 && len(f.ols) == f.lists {
			f.ols = f.ols[:len(f.ols)-1]
		}
		f.lists = max(0, f.lists-1)
		f.lineBreak()
	case "table":
		f.endTable()
	case "tr":
		f.endRow()
	case "td", "th":
		f.endCell()
	case "b", "strong":
		f.emphasis(false)
	default:
		if htmlBlocks[tag] {
			f.lineBreak()
		}
	}
}

// cellSpans reads the colspan and rowspan attributes of the current
// <td>/<th> (1 when absent or not a number).
func cellSpans(z *html.Tokenizer) (colSpan, rowSpan int) {
	colSpan, rowSpan = 1, 1
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "colspan":
			if n, err := strconv.Atoi(strings.TrimSpace(string(v))); err == nil {
				colSpan = n
			}
		case "rowspan":
			if n, err := strconv.Atoi(strings.TrimSpace(string(v))); err == nil {
				rowSpan = n
			}
		}
		if !more {
			return colSpan, rowSpan
		}
	}
}

// listAttrs returns an <ol>'s type and start or an <li>'s value.
func listAttrs(z *html.Tokenizer) (typ string, n int, numbered bool) {
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "type":
			if t := strings.TrimSpace(string(v)); t == "1" || t == "a" || t == "A" || t == "i" || t == "I" {
				typ = t
			}
		case "start", "value":
			if x, err := strconv.Atoi(strings.TrimSpace(string(v))); err == nil && x > -1<<20 && x < 1<<20 {
				n, numbered = x, true
			}
		}
		if !more {
			return typ, n, numbered
		}
	}
}

// linkTarget returns the http(s) URL of an <a href>, or "".
func linkTarget(z *html.Tokenizer) string {
	for {
		k, v, more := z.TagAttr()
		if string(k) == "href" {
			u := strings.TrimSpace(string(v))
			if l := strings.ToLower(u); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
				return u
			}
			return ""
		}
		if !more {
			return ""
		}
	}
}
