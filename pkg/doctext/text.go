package doctext

import (
	"fmt"
	"github.com/apkaudit/apkaudit/pkg/lazyre"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

const (
	bomUTF8    = "\xEF\xBB\xBF"
	bomUTF16LE = "\xFF\xFE"
	bomUTF16BE = "\xFE\xFF"
)

// decodeText detects the encoding of plain text (UTF-8 with or without BOM,
// UTF-16 with BOM, GB18030/GBK) and returns it as UTF-8 with CR and CRLF
// line ends turned into LF. Valid UTF-8 without CR is returned as it is,
// not copied: a document is held whole once. Binary data gives
// ErrUnreadable.
func decodeText(data string) (text, enc string, err error) {
	switch {
	case strings.HasPrefix(data, bomUTF8):
		text, enc = strings.ToValidUTF8(data[3:], "\uFFFD"), "utf-8"
	case strings.HasPrefix(data, bomUTF16LE):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), data[2:], "utf-16le")
	case strings.HasPrefix(data, bomUTF16BE):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), data[2:], "utf-16be")
	case utf8.ValidString(data):
		text, enc = data, "utf-8"
	default:
		text, enc, err = decodeWith(simplifiedchinese.GB18030, data, "gb18030")
		if err == nil {
			if reason := notChinese(text); reason != "" {
				err = unreadable("not UTF-8, UTF-16 or GB18030 text (%s)", reason)
			}
		}
	}
	if err != nil {
		return "", "", err
	}
	if reason := binaryText(text); reason != "" {
		return "", "", unreadable("binary data, not text (%s)", reason)
	}
	return lineFeeds(text), enc, nil
}

// lineFeeds turns CRLF and lone CR line ends into LF, in one copy, and
// returns s itself when it holds no CR.
func lineFeeds(s string) string {
	i := strings.IndexByte(s, '\r')
	if i < 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	for i >= 0 {
		sb.WriteString(s[:i])
		sb.WriteByte('\n')
		s = s[i+1:]
		if strings.HasPrefix(s, "\n") {
			s = s[1:]
		}
		i = strings.IndexByte(s, '\r')
	}
	sb.WriteString(s)
	return sb.String()
}

func decodeWith(e encoding.Encoding, data string, name string) (string, string, error) {
	out, err := e.NewDecoder().String(data)
	if err != nil {
		return "", "", unreadable("invalid %s: %v", name, err)
	}
	return out, name, nil
}

// binaryText reports why decoded text looks like binary data, or "".
func binaryText(s string) string {
	total, nul, ctl, bad := 0, 0, 0, 0
	for _, r := range s {
		total++
		switch {
		case r == 0:
			nul++
		case r == utf8.RuneError:
			bad++
		case r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' && r != '\v', r == 0x7F:
			ctl++
		}
	}
	switch {
	case total == 0:
		return ""
	case nul*100 > total:
		return fmt.Sprintf("%d of %d characters are NUL", nul, total)
	case (ctl+nul)*20 > total:
		return fmt.Sprintf("%d of %d characters are control characters", ctl+nul, total)
	case bad*20 > total:
		return fmt.Sprintf("%d of %d characters are undecodable", bad, total)
	}
	return ""
}

// notChinese reports why text decoded as GB18030 is not plausibly Chinese
// text, or "": most runes must be Han, ASCII or CJK punctuation, and almost
// none replacement characters.
func notChinese(s string) string {
	total, good, bad := 0, 0, 0
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		total++
		switch {
		case r == utf8.RuneError:
			bad++
		case r >= 0x20 && r < 0x7F, isHan(r), r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF,
			r >= 0x2000 && r <= 0x206F, r == 0xB7, r == 0xA0:
			good++
		}
	}
	switch {
	case total == 0:
		return "no visible characters"
	case bad*200 > total:
		return fmt.Sprintf("%d of %d characters are undecodable", bad, total)
	case good*100 < total*95:
		return fmt.Sprintf("only %d of %d characters are Han, ASCII or CJK punctuation", good, total)
	}
	return ""
}

// extractText reads plain text: one Line per non-empty source line, with a
// wrapped Chinese sentence joined back onto its first line when the file is
// hard-wrapped (see wrapWidth).
//
// Runs of two or more consecutive lines whose fields are separated by TABs
// (policies pasted from spreadsheets, as 得间小说 and 阿瓦隆 in CAPP-130) become
// table rows with Cells.
func extractText(b *builder, text string) {
	wrap := wrapWidth(text)
	table := 0
	c := lineCursor{text: text}
	for no := 0; c.more() && !b.full; {
		cur := c.take()
		no++
		if tabRow(cur) && (c.more() && tabRow(c.peek()) || table != 0) {
			if table == 0 {
				table = b.newTable()
			}
			b.addRow(no, table, strings.Split(strings.TrimRight(cur, "\r"), "\t"))
			continue
		}
		table = 0
		if wrap == 0 || !c.more() || !wrapped(cur, c.peek(), wrap) {
			b.add(no, cur, false)
			continue
		}
		// Joined with a Builder: a hard-wrapped file may be one paragraph of
		// millions of lines. Past what the text budget can take, the rest is
		// not kept: addLine cuts the line there and warns.
		first := no
		var line strings.Builder
		line.WriteString(strings.TrimRightFunc(cur, unicode.IsSpace))
		for last := cur; c.more() && wrapped(last, c.peek(), wrap); {
			last = c.take()
			no++
			if line.Len() <= b.rawRoom() {
				line.WriteString(strings.TrimSpace(last))
			}
		}
		b.add(first, line.String(), false)
	}
}

// lineCursor walks the lines of a text, split at "\n" as strings.Split
// splits them (a text ending in "\n" ends with an empty line), without
// building the slice of all lines: a 60 MB file holds millions.
type lineCursor struct {
	text string
	at   int // the offset of the next line; len(text)+1 past the last
}

func (c *lineCursor) more() bool { return c.at <= len(c.text) }

// peek returns the next line without taking it; only when more.
func (c *lineCursor) peek() string {
	rest := c.text[c.at:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		return rest[:i]
	}
	return rest
}

// take returns the next line and moves past it; only when more.
func (c *lineCursor) take() string {
	l := c.peek()
	c.at += len(l) + 1
	return l
}

// maxWrapWidth is the widest column at which a file counts as hard-wrapped.
const maxWrapWidth = 200

// wrapWidth returns the column at which a hard-wrapped text was wrapped, or
// 0 when the file does not look hard-wrapped: the 90th percentile of line
// display widths, if that is at most 200 columns and at least a fifth of the
// non-empty lines come within 15% below it
// (files with one paragraph per line have far fewer). It counts widths in
// a histogram, so a text of millions of lines costs no memory.
func wrapWidth(text string) int {
	var hist [maxWrapWidth + 2]int // the last bucket holds every wider line
	total := 0
	for c := (lineCursor{text: text}); c.more(); {
		if w := widthAtMost(strings.TrimSpace(c.take()), maxWrapWidth+1); w > 0 {
			hist[min(w, maxWrapWidth+1)]++
			total++
		}
	}
	if total < 6 {
		return 0
	}
	// The 90th percentile: the width of the line at index total*9/10 of the sorted widths.
	k, w := total*9/10, 0
	for seen := 0; w < len(hist); w++ {
		if seen += hist[w]; seen > k {
			break
		}
	}
	if w > maxWrapWidth || w < 20 {
		return 0
	}
	near := 0
	for x := 1; x <= w; x++ {
		if x*100 >= w*85 {
			near += hist[x]
		}
	}
	if near < 3 || near*5 < total {
		return 0
	}
	return w
}

// wrapped reports whether line a, in a file wrapped at column wrap, was
// broken in the middle of a Chinese sentence that continues on line b.
func wrapped(a, b string, wrap int) bool {
	a = strings.TrimSpace(a)
	b = strings.TrimSpace(b)
	if labelStart().MatchString(b) {
		return false // "使用目的：…" starts a field of its own
	}
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	return isHan(ra) && isHan(rb) && !isTerminal(ra) && width(a)*100 >= wrap*85
}

// labelStart matches a line that opens with a short label, a colon and a value.
var labelStart = lazyre.New(`^[^，。；,;：:]{1,16}[：:]\s*\S`)

// tabRow reports whether a plain-text line holds at least two non-empty TAB-separated fields.
func tabRow(line string) bool {
	if !strings.Contains(line, "\t") {
		return false
	}
	n := 0
	for _, f := range strings.Split(line, "\t") {
		if strings.TrimSpace(f) != "" {
			n++
		}
	}
	return n >= 2
}
