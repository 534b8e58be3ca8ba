package doctext

import (
	"bytes"
	"strings"

	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

// sniffLen is how much of the start of a document Detect looks at for
// markup.
const sniffLen = 8192

var (
	htmlStart = lazyre.New(`(?i)^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|div|p|h[1-6]|table|section|article|span|br)[\s/>]`)
	htmlTags  = lazyre.New(`(?i)</(p|div|td|tr|li|span|h[1-6]|table|body|html)>|<br\s*/?>`)
	mdHeading = lazyre.New(`(?m)^ {0,3}#{1,6}[ \t]+\S`)
	htmlBlock = lazyre.New(`(?i)<(table|p|div|ul|ol|li|h[1-6])[\s>]`)
	mdTable   = lazyre.New(`(?m)^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$`)
)

// Detect reports the format of a document from its content: FormatPDF for
// "%PDF-" near the start, FormatDOCX for a zip archive, FormatHTML for text
// that starts with or is full of HTML tags, FormatMarkdown for text with
// Markdown headings or pipe tables, FormatText for everything else
// (Extract then decides whether it is text at all).
func Detect(data []byte) string {
	// Only the start of a document decides (see sniffText).
	return detect(string(data[:min(len(data), 2*sniffLen)]))
}

// detect is Detect on a string.
func detect(data string) string {
	head := data[:min(len(data), 1024)]
	switch {
	case strings.Contains(head, "%PDF-"):
		return FormatPDF
	case strings.HasPrefix(data, "PK\x03\x04"):
		return FormatDOCX
	}
	sniff := sniffText(data)
	switch {
	case htmlStart().Match(sniff):
		return FormatHTML
	case len(htmlTags().FindAllIndex(sniff, 4)) >= 4 && !(mdLayout(sniff) && !htmlBlock().Match(sniff)):
		// Markdown that breaks its lines with <br> stays Markdown; Markdown around raw HTML blocks is HTML.
		return FormatHTML
	case mdLayout(sniff):
		return FormatMarkdown
	}
	return FormatText
}

// mdLayout reports whether text has Markdown structure: headings or a pipe table.
func mdLayout(sniff []byte) bool {
	return mdTable().Match(sniff) || len(mdHeading().FindAllIndex(sniff, 2)) >= 2 ||
		bytes.HasPrefix(bytes.TrimLeft(sniff, " \t\r\n"), []byte("# "))
}

// sniffText returns the start of data as UTF-8-compatible bytes for the
// markup checks: UTF-16 is decoded, anything else is used as is (GBK keeps
// ASCII markup intact).
func sniffText(data string) []byte {
	s := data
	if strings.HasPrefix(s, bomUTF16LE) || strings.HasPrefix(s, bomUTF16BE) {
		n := min(len(s), 2*sniffLen) &^ 1
		out, err := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().String(s[:n])
		if err != nil {
			return nil
		}
		return []byte(out)
	}
	s = strings.TrimPrefix(s, bomUTF8)
	if len(s) > sniffLen {
		s = s[:sniffLen]
	}
	return []byte(s)
}
