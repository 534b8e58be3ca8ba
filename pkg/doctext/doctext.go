// Package doctext turns privacy-policy documents (plain text in UTF-8 or GBK,
// HTML, Markdown, DOCX, PDF) into one block model, whatever the format: a
// Document of normalised UTF-8 Lines, each a heading (with its level), a
// paragraph line, a list item (with its nesting and marker), preformatted
// text or a table row (with its cells, and the slots a rowspan covers), with
// its source line number, whether it opens with bold text, and link targets
// written after their link text. The readers are real parsers:
// golang.org/x/net/html's tokenizer for HTML, goldmark (CommonMark and GFM
// tables) for Markdown, encoding/xml for DOCX (styles, numbering, tables,
// hyperlinks through word/_rels/document.xml.rels); layout heuristics turn
// plain text (TAB columns, GFM pipe tables written as text) and PDF into the
// same rows. A Document is plain data and round-trips through encoding/json.
//
// Untrusted documents are held to a budget beside their size cap: MaxLines
// lines, MaxCells cells, MaxTextBytes of text, lines cut at MaxLineBytes,
// tables nested 16 deep, DOCX structure 1000 elements deep, 1 MiB of Markdown
// parsed. Every limit reached is one warning naming it.
//
// It knows nothing of permissions or SDKs; pkg/policy reads what it produces.
package doctext

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// Format names, as reported in policy JSON documents[].format.
const (
	FormatText     = "text"
	FormatHTML     = "html"
	FormatMarkdown = "markdown"
	FormatDOCX     = "docx"
	FormatPDF      = "pdf"
)

// Document is one policy file as text.
type Document struct {
	Path   string
	Format string
	// Encoding is the detected source encoding ("utf-8", "gb18030", …).
	Encoding string
	// Lines are the non-empty logical lines in document order.
	Lines []Line
	// Chars counts the runes of all Lines.
	Chars int
	// Warnings are problems that did not stop extraction.
	Warnings []string
}

// Line is one logical line of text.
type Line struct {
	// No is the 1-based line number in the source file (for DOCX the paragraph
	// number, for PDF the extracted line number); stable across runs.
	No int
	// Text is NFKC-normalised with whitespace runs collapsed; for a table row it
	// is the cells joined with " | ".
	Text string
	// Table is a 1-based id shared by all rows of one table, 0 outside tables.
	Table int
	// Cells holds the cell texts when the line is a table row.
	Cells []string
	// Heading is true when the source marks the line as a heading (h1-h6, "#", DOCX Heading style).
	Heading bool
	// Strong is true when the line opens with emphasised text (<b>, <strong>,
	// Markdown **…**, a bold DOCX run): the way many SDK lists set off a name
	// or a label.
	Strong bool `json:",omitempty"`
	// Kind is what block of the source the line belongs to (KindHeading,
	// KindItem, KindPre, …), "" when the reader does not tell.
	Kind string `json:",omitempty"`
	// Level is a heading's level (1-6) or a list item's nesting (1 = top).
	Level int `json:",omitempty"`
	// Marker is a list item's marker as written ("-", "3.").
	Marker string `json:",omitempty"`
	// Covered marks, per cell of a table row, the slots covered by a cell of
	// an earlier row that spans rows (HTML rowspan, DOCX vMerge); their text
	// is empty. Nil when nothing is covered.
	Covered []bool `json:",omitempty"`
}

// Block kinds of Line.Kind.
const (
	KindHeading   = "heading"
	KindParagraph = "paragraph"
	KindItem      = "item"
	KindPre       = "pre"
)

// ErrEmpty is matched by the error for a document with no text at all.
var ErrEmpty = errors.New("doctext: document is empty")

// ErrUnreadable is matched by the error for bytes that are no known document
// format or text encoding (binary data, a damaged DOCX or PDF).
var ErrUnreadable = errors.New("doctext: unreadable document")

// Error reports why the document at Path could not be turned into text. Kind
// is ErrEmpty or ErrUnreadable, and errors.Is matches it.
type Error struct {
	Path   string
	Kind   error
	Reason string
}

func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Path != "" {
		msg = "doctext: " + e.Path + ": " + strings.TrimPrefix(msg, "doctext: ")
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Unwrap returns Kind.
func (e *Error) Unwrap() error { return e.Kind }

func unreadable(format string, args ...any) error {
	return &Error{Kind: ErrUnreadable, Reason: fmt.Sprintf(format, args...)}
}

// ReadFile reads the named file, refusing files larger than lim.PolicySize,
// and extracts it as Extract does. The file is read into one buffer sized
// by its fstat size, and that buffer is the only whole copy of the document
// the readers hold: text already in UTF-8 is read in place. Every error
// names the file.
func ReadFile(path string, lim limits.Limits) (*Document, error) {
	lim = lim.WithDefaults()
	f, err := limits.OpenRegular(path)
	if err != nil {
		return nil, err // names the file and, for a FIFO or device, what it is
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("doctext: %s: %w", path, err)
	}
	what := "doctext: " + path + ": document size"
	if st.Size() > lim.PolicySize {
		return nil, &limits.LimitError{What: what, Limit: lim.PolicySize, Value: st.Size()}
	}
	src, err := limits.ReadStringAtMost(f, st.Size(), lim.PolicySize, what)
	if err != nil {
		var le *limits.LimitError
		if errors.As(err, &le) {
			return nil, err
		}
		return nil, fmt.Errorf("doctext: %s: %w", path, err)
	}
	return extract(path, src, lim)
}

// Extract turns data, the content of the policy document at path, into
// lines. The format is detected from the content (see Detect), never from
// the file name; path is only recorded and used in errors. Documents larger
// than lim.PolicySize give a *limits.LimitError. Extract copies data once;
// ReadFile does not.
func Extract(path string, data []byte, lim limits.Limits) (doc *Document, err error) {
	lim = lim.WithDefaults()
	if int64(len(data)) > lim.PolicySize {
		return nil, &limits.LimitError{What: "doctext: " + path + ": document size", Limit: lim.PolicySize, Value: int64(len(data))}
	}
	return extract(path, string(data), lim)
}

// extract is Extract on the document's bytes held in a string, which the
// readers slice and never copy whole when it is already UTF-8.
func extract(path, src string, lim limits.Limits) (doc *Document, err error) {
	doc = &Document{Path: path, Format: detect(src)}
	b := &builder{doc: doc}
	switch doc.Format {
	case FormatPDF:
		err = extractPDFContained(b, src, lim)
	case FormatDOCX:
		err = extractDOCX(b, src, lim)
	case FormatHTML:
		err = extractHTML(b, src)
	default:
		var text string
		text, doc.Encoding, err = decodeText(src)
		if err == nil {
			if doc.Format == FormatMarkdown {
				extractMarkdown(b, text)
			} else {
				extractText(b, text)
			}
		}
	}
	if err == nil && doc.Format != FormatDOCX && doc.Format != FormatPDF {
		layoutPipeTables(b)
	}
	if err == nil && len(doc.Lines) == 0 {
		err = &Error{Kind: ErrEmpty, Reason: "no text found in " + doc.Format}
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.Path == "" {
			e.Path = path
		}
		return nil, err
	}
	return doc, nil
}

// The memory budget of a document, beside its size cap: a 60 MB policy of
// short lines or cells would otherwise cost gigabytes in Line records. Each
// limit reached is one warning naming it; what lies beyond is not read.
const (
	// MaxLines is the most lines (table rows included) kept from one document.
	MaxLines = 100000
	// MaxCells is the most table cells kept from one document.
	MaxCells = 1000000
	// MaxTextBytes is the most text kept from one document, in bytes of
	// normalised UTF-8: 40 times the longest real policy we have seen.
	MaxTextBytes = 8 << 20
	// MaxLineBytes is the longest line kept whole; a longer one (a 60 MB
	// line without a break) is cut into lines of at most this many bytes,
	// all with its line number, so that no text is lost.
	MaxLineBytes = 64 << 10
)

// builder appends normalised lines to a Document.
type builder struct {
	doc    *Document
	tables int
	cells  int
	bytes  int
	// full is set once a budget is spent: readers stop early.
	full bool
}

// add appends one line unless it normalises to nothing.
func (b *builder) add(no int, text string, heading bool) {
	b.addLine(Line{No: no, Text: text, Heading: heading})
}

// addLine appends l, its text normalised, unless it normalises to nothing.
func (b *builder) addLine(l Line) {
	if b.full {
		return
	}
	// Normalising costs time and memory per byte: a line far longer than the
	// text budget left is cut first (normalising never shrinks text by half
	// except by white space, and a cut line is reported below).
	cut := false
	if rest := b.rawRoom(); len(l.Text) > rest {
		for rest > 0 && !utf8.RuneStart(l.Text[rest]) {
			rest--
		}
		l.Text, cut = l.Text[:rest], true
	}
	defer func() {
		if cut && !b.full {
			b.full = true
			b.warn("%v: the rest of the document is not read", &limits.LimitError{What: "doctext: text bytes", Limit: MaxTextBytes, Value: -1})
		}
	}()
	l.Text = normalize(l.Text)
	if l.Text == "" {
		return
	}
	for len(l.Text) > MaxLineBytes {
		cut := MaxLineBytes
		for cut > 0 && !utf8.RuneStart(l.Text[cut]) {
			cut--
		}
		head := l
		head.Text = l.Text[:cut]
		if !b.room(1, 0, len(head.Text)) {
			return
		}
		b.doc.Lines = append(b.doc.Lines, head)
		b.doc.Chars += utf8.RuneCountInString(head.Text)
		l.Text = l.Text[cut:]
	}
	if !b.room(1, 0, len(l.Text)) {
		return
	}
	b.doc.Lines = append(b.doc.Lines, l)
	b.doc.Chars += utf8.RuneCountInString(l.Text)
}

// room reports whether lines more lines holding cells more cells and n
// bytes of text fit the budget; the first time they do not, it warns and
// marks the builder full.
func (b *builder) room(lines, cells, n int) bool {
	if b.full {
		return false
	}
	var le *limits.LimitError
	switch {
	case len(b.doc.Lines)+lines > MaxLines:
		le = &limits.LimitError{What: "doctext: lines", Limit: MaxLines, Value: -1}
	case b.cells+cells > MaxCells:
		le = &limits.LimitError{What: "doctext: table cells", Limit: MaxCells, Value: -1}
	case b.bytes+n > MaxTextBytes:
		le = &limits.LimitError{What: "doctext: text bytes", Limit: MaxTextBytes, Value: -1}
	default:
		b.cells += cells
		b.bytes += n
		return true
	}
	b.stop(le)
	return false
}

// stop marks the builder full because of le, with one warning naming it.
func (b *builder) stop(le *limits.LimitError) {
	b.full = true
	b.warn("%v: the rest of the document is not read", le)
}

// rawRoom is the most unnormalised bytes that may still become text: twice
// the text budget left (normalising never shrinks text by half except by
// white space), plus a little.
func (b *builder) rawRoom() int { return 2*(MaxTextBytes-b.bytes) + 4096 }

// newTable returns a fresh table id.
func (b *builder) newTable() int {
	b.tables++
	return b.tables
}

// addRow appends one table row; cells are normalised, trailing empty cells
// dropped, and an all-empty row is skipped.
func (b *builder) addRow(no, table int, cells []string) {
	b.addTableRow(no, table, cells, nil)
}

// addTableRow is addRow for a row some of whose slots are covered by cells
// of earlier rows (covered[i] true; nil when none is).
func (b *builder) addTableRow(no, table int, cells []string, covered []bool) {
	out := make([]string, len(cells))
	last := -1
	for i, c := range cells {
		out[i] = normalize(c)
		if out[i] != "" {
			last = i
		}
	}
	if last < 0 {
		return
	}
	out = out[:last+1]
	text := strings.Join(out, " | ")
	if !b.room(1, len(out), len(text)) {
		return
	}
	var cov []bool
	for i := range out {
		if i < len(covered) && covered[i] {
			cov = covered[:last+1]
			break
		}
	}
	b.doc.Lines = append(b.doc.Lines, Line{No: no, Text: text, Table: table, Cells: out, Covered: cov})
	b.doc.Chars += utf8.RuneCountInString(text)
}

func (b *builder) warn(format string, args ...any) {
	if len(b.doc.Warnings) < maxWarnings {
		// Parser errors quote the input, which may not be UTF-8: a warning is
		// reported text, and must survive JSON (the PDF child's result).
		b.doc.Warnings = append(b.doc.Warnings, strings.ToValidUTF8(fmt.Sprintf(format, args...), "\uFFFD"))
	}
}

const maxWarnings = 100
