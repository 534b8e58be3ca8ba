package doctext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

// normalize applies NFKC (full-width forms become ASCII), drops zero-width
// and control characters, collapses whitespace runs to one space, removes a
// whitespace run that holds a line break between two Han characters (a
// sentence wrapped in the source), and trims the ends.
func normalize(s string) string {
	if s == "" {
		return ""
	}
	s = norm.NFKC.String(s)
	var sb strings.Builder
	sb.Grow(len(s))
	var prev rune // last rune written, 0 at start
	pendingSpace, pendingBreak := false, false
	for _, r := range s {
		switch {
		case isZeroWidth(r):
			continue
		case unicode.IsSpace(r):
			pendingSpace = true
			if r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029' {
				pendingBreak = true
			}
			continue
		case r == utf8.RuneError || unicode.IsControl(r):
			if r != utf8.RuneError {
				pendingSpace = true
				continue
			}
		}
		if pendingSpace && prev != 0 && !(pendingBreak && isHan(prev) && isHan(r)) {
			sb.WriteByte(' ')
		}
		pendingSpace, pendingBreak = false, false
		sb.WriteRune(r)
		prev = r
	}
	return sb.String()
}

// isZeroWidth reports characters that render as nothing.
func isZeroWidth(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\u200E', '\u200F':
		return true
	}
	return false
}

// isHan reports whether r is a CJK ideograph.
func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

// isTerminal reports punctuation that ends a sentence or a clause a heading
// or list item might end with; a line ending in one is never joined to the next.
func isTerminal(r rune) bool {
	return strings.ContainsRune("。！？；：.!?;:」』》）)]】", r)
}

// joinSep returns the separator used when a wrapped line a is joined with
// the line b that continues it: nothing next to Han text or inside a URL, a
// space between words otherwise.
func joinSep(a, b string) string {
	return separator(a, b, func() bool {
		word := a[strings.LastIndexAny(a, " \t")+1:]
		return strings.Contains(word, "://") || strings.HasPrefix(word, "www.")
	})
}

// separator is joinSep's decision; url, asked only between Latin runes,
// tells whether a's last word is a URL.
func separator(a, b string, url func() bool) string {
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if ra >= 0x2E80 || rb >= 0x2E80 || ra == '-' || ra == '/' || url() {
		return ""
	}
	return " "
}

// paragraph builds the text of a paragraph from the lines it was wrapped into,
// in time linear in its length: it keeps what joinSep needs of the last
// word (whether it is a URL) as the text grows, instead of scanning the
// whole text again for every line.
type paragraph struct {
	sb strings.Builder
	// word is the byte offset of the last word (the text after the last space).
	word int
	// url is set when the last word holds "://"; www when it starts with "www.".
	url, www bool
}

// WriteString appends s as it is.
func (w *paragraph) WriteString(s string) {
	prev := w.sb.String()
	w.sb.WriteString(s)
	text := w.sb.String()
	if i := strings.LastIndexAny(s, " \t"); i >= 0 {
		w.word = len(prev) + i + 1
		w.url = strings.Contains(text[w.word:], "://")
	} else {
		// "://" may straddle the old end of the text.
		w.url = w.url || strings.Contains(text[max(w.word, len(prev)-2):], "://")
	}
	if len(prev)-w.word < 4 {
		w.www = strings.HasPrefix(text[w.word:], "www.")
	}
}

// Join appends next, the line that continues the text, with its separator.
func (w *paragraph) Join(next string) {
	w.WriteString(w.sep(next) + next)
}

// sep is the separator before next (see joinSep).
func (w *paragraph) sep(next string) string {
	return separator(w.sb.String(), next, func() bool { return w.url || w.www })
}

// inURL reports whether the text ends inside a URL ("…/readtemplate?" wrapped before its query).
func (w *paragraph) inURL() bool { return w.url }

// String returns the text so far.
func (w *paragraph) String() string { return w.sb.String() }

// width is the display width of s: two columns for wide characters.
func width(s string) int { return widthAtMost(s, -1) }

// widthAtMost is width, but stops counting once it reaches limit (never
// when limit is negative): it may return limit+1.
func widthAtMost(s string, limit int) int {
	n := 0
	for _, r := range s {
		if limit >= 0 && n >= limit {
			break
		}
		if r >= 0x1100 && (isHan(r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFF60 || r >= 0xAC00 && r <= 0xD7A3) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// listStart matches the start of a numbered item ("1.", "2、", "(一)", "第三条").
var listStart = lazyre.New(`^(\d{1,3}[.、)）]|[(（][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}、|第[一二三四五六七八九十百\d]{1,4}[条章节])`)
