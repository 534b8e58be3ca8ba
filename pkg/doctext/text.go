package doctext

import (
	"bytes"
	"fmt"
	"github.com/apkaudit/apkaudit/pkg/lazyre"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodeText detects the encoding of plain text (UTF-8 with or without BOM,
// UTF-16 with BOM, GB18030/GBK) and returns it as UTF-8 with CR and CRLF
// line ends turned into LF. Binary data gives ErrUnreadable.
func decodeText(data []byte) (text, enc string, err error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		text, enc = string(bytes.ToValidUTF8(data[3:], []byte("\uFFFD"))), "utf-8"
	case bytes.HasPrefix(data, bomUTF16LE):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), data[2:], "utf-16le")
	case bytes.HasPrefix(data, bomUTF16BE):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), data[2:], "utf-16be")
	case utf8.Valid(data):
		text, enc = string(data), "utf-8"
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
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return text, enc, nil
}

func decodeWith(e encoding.Encoding, data []byte, name string) (string, string, error) {
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", unreadable("invalid %s: %v", name, err)
	}
	return string(out), name, nil
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
	src := strings.Split(text, "\n")
	wrap := wrapWidth(src)
	table := 0
	for i := 0; i < len(src) && !b.full; i++ {
		if tabRow(src[i]) && (i+1 < len(src) && tabRow(src[i+1]) || table != 0) {
			if table == 0 {
				table = b.newTable()
			}
			b.addRow(i+1, table, strings.Split(strings.TrimRight(src[i], "\r"), "\t"))
			continue
		}
		table = 0
		no, last := i+1, src[i]
		if wrap == 0 || i+1 == len(src) || !wrapped(last, src[i+1], wrap) {
			b.add(no, last, false)
			continue
		}
		// Joined with a Builder: a hard-wrapped file may be one paragraph of millions of lines.
		var line strings.Builder
		line.WriteString(strings.TrimRightFunc(last, unicode.IsSpace))
		for i+1 < len(src) && wrapped(last, src[i+1], wrap) {
			i++
			last = src[i]
			line.WriteString(strings.TrimSpace(last))
		}
		b.add(no, line.String(), false)
	}
}

// wrapWidth returns the column at which a hard-wrapped file was wrapped, or
// 0 when the file does not look hard-wrapped: the 90th percentile of line
// display widths, if that is at most 200 columns and at least a fifth of the
// non-empty lines come within 15% below it
// (files with one paragraph per line have far fewer).
func wrapWidth(lines []string) int {
	var ws []int
	for _, l := range lines {
		if w := width(strings.TrimSpace(l)); w > 0 {
			ws = append(ws, w)
		}
	}
	if len(ws) < 6 {
		return 0
	}
	sort.Ints(ws)
	w := ws[len(ws)*9/10]
	if w > 200 || w < 20 {
		return 0
	}
	near := 0
	for _, x := range ws {
		if x*100 >= w*85 && x <= w {
			near++
		}
	}
	if near < 3 || near*5 < len(ws) {
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
