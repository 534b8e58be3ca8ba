// Package doctext turns privacy-policy documents (plain text in UTF-8 or GBK,
// HTML, Markdown, DOCX, PDF) into normalised UTF-8 lines that keep their
// source line numbers and their table structure. It knows nothing of
// permissions or SDKs; pkg/policy reads what it produces.
package doctext

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
}
