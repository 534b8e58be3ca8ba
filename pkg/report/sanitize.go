package report

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Every name a report shows can come from an attacker: DEX class names, app
// labels, zip entry names and policy text. Each destination gets the one
// sanitiser that makes such text harmless there, applied where the view is
// rendered (the view itself keeps the raw text):
//
//   - the terminal and stderr (table, the diff text, CLI messages):
//     terminalText shows C0 and C1 controls, DEL, ESC and the bidi controls
//     escaped (\x1b, \u202e), so nothing reaches the terminal as a control
//     sequence (ESC[2J, OSC 52 clipboard writes, reversed text);
//   - Markdown (merge-request comments): markdownText escapes the same
//     characters, HTML and the Markdown and table syntax, and neutralises
//     mentions (@all, @user) with a zero-width joiner;
//   - HTML: html/template escapes markup; htmlSafe escapes the invisible
//     characters of every string on the page first;
//   - JUnit XML and SARIF, which CI pages show to people: the same visible
//     escapes (xmlSafe then drops what XML 1.0 cannot hold);
//   - JSON and JSON lines: jsonSafe keeps every value exact (encoding/json
//     writes controls as \u escapes, and the C1 and bidi controls are
//     written as \u escapes too, so a JSON document is safe to print);
//
// and every report is valid UTF-8: an invalid byte is written as the text
// \xNN in every format, so that the raw name is still there to read, in JSON
// as an escaped string.

// invisible reports whether r must not reach a destination raw: a C0 or C1
// control, DEL, or a bidirectional formatting character (Trojan Source).
func invisible(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// escapeText writes s with every invalid byte as \xNN and every invisible
// character escaped: \xNN below U+0100, \uNNNN above. With keepLines, tab and
// line breaks stay as they are; otherwise they become spaces, for a cell or a
// line of their own.
func escapeText(s string, keepLines bool) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' || r == '\n' || r == '\r':
			if keepLines {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case invisible(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case invisible(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// needsEscape reports whether escapeText would change s: the fast path.
func needsEscape(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		} else if c >= 0x80 {
			ascii = false
		}
	}
	if ascii {
		return false
	}
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || invisible(r) {
			return true
		}
		i += n
	}
	return false
}

// escapeInvalid writes each invalid byte of s as \xNN and leaves every valid
// character as it is: what JSON needs, since encoding/json would replace
// those bytes by U+FFFD and lose the raw name.
func escapeInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// TerminalText is s as the terminal and stderr may show it: one line, with
// every control, bidi and invalid byte escaped. The CLI writes its messages
// through it.
func TerminalText(s string) string { return escapeText(s, false) }

// terminalText is the table's sanitiser: TerminalText.
func terminalText(s string) string { return escapeText(s, false) }

// zwj is the zero-width joiner that breaks a mention: "@\u200dall" notifies no one.
const zwj = "\u200d"

// markdownEscaper neutralises HTML and the Markdown characters that could
// change a comment's structure (tables, emphasis, links, headings, code).
var markdownEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "#", `\#`,
	"~", `\~`,
)

// markdownText is s as a Markdown line or table cell may hold it: invisible
// characters and invalid bytes escaped, HTML and Markdown syntax escaped,
// mentions neutralised, on one line.
func markdownText(s string) string { return noMentions(markdownEscaper.Replace(escapeText(s, false))) }

// noMentions puts a zero-width joiner after every @ that would start a
// mention (@all, @everyone, @user, @org/team): an @ not preceded by a letter,
// digit or underscore and followed by one. An e-mail address keeps its @.
func noMentions(s string) string {
	if !strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	prev := rune(' ')
	for i, r := range s {
		b.WriteRune(r)
		if r == '@' && !wordRune(prev) {
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); wordRune(next) {
				b.WriteString(zwj)
			}
		}
		prev = r
	}
	return b.String()
}

// wordRune reports whether r may be part of a user name or a word.
func wordRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// markdownCode is s as the content of a code span: invisible characters
// escaped, on one line, backticks (which would end the span) replaced.
// Mentions and HTML are inert in a code span.
func markdownCode(s string) string { return strings.ReplaceAll(escapeText(s, false), "`", "'") }

// visibleText is the sanitiser of HTML, JUnit and SARIF: invisible
// characters and invalid bytes escaped, line breaks kept.
func visibleText(s string) string { return escapeText(s, true) }

// jsonTail escapes, in encoded JSON, the characters encoding/json writes
// raw that a terminal or an editor would act on: DEL, the C1 controls and
// the bidi controls. They can only occur inside JSON strings, where a \u
// escape means the same character, so the document's values do not change.
func jsonTail(b []byte) []byte {
	if !bytes.ContainsFunc(b, func(r rune) bool { return r >= 0x7f && invisible(r) }) {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r >= 0x7f && invisible(r) && n > 0 && !(r == utf8.RuneError && n == 1) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}

// withStrings returns v with f applied to every string it holds, through
// pointers, structs (exported fields), slices, arrays, maps and interfaces.
// It copies only what changes: v itself, and whatever it shares with the
// view, are never modified.
func withStrings[T any](v T, f func(string) string) T {
	rv := reflect.ValueOf(&v).Elem()
	if nv, changed := mapStrings(rv, f); changed {
		return nv.Interface().(T)
	}
	return v
}

// mapStrings is withStrings on a reflect.Value; it reports whether anything changed.
func mapStrings(v reflect.Value, f func(string) string) (reflect.Value, bool) {
	switch v.Kind() {
	case reflect.String:
		s := f(v.String())
		if s == v.String() {
			return v, false
		}
		nv := reflect.New(v.Type()).Elem()
		nv.SetString(s)
		return nv, true
	case reflect.Pointer:
		if v.IsNil() {
			return v, false
		}
		e, changed := mapStrings(v.Elem(), f)
		if !changed {
			return v, false
		}
		p := reflect.New(v.Type().Elem())
		p.Elem().Set(e)
		return p, true
	case reflect.Interface:
		if v.IsNil() {
			return v, false
		}
		e, changed := mapStrings(v.Elem(), f)
		if !changed {
			return v, false
		}
		nv := reflect.New(v.Type()).Elem()
		nv.Set(e)
		return nv, true
	case reflect.Struct:
		var out reflect.Value
		for i := 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			fv, changed := mapStrings(v.Field(i), f)
			if !changed {
				continue
			}
			if !out.IsValid() {
				out = reflect.New(v.Type()).Elem()
				out.Set(v)
			}
			out.Field(i).Set(fv)
		}
		if out.IsValid() {
			return out, true
		}
		return v, false
	case reflect.Slice, reflect.Array:
		var out reflect.Value
		for i := 0; i < v.Len(); i++ {
			ev, changed := mapStrings(v.Index(i), f)
			if !changed {
				continue
			}
			if !out.IsValid() {
				if v.Kind() == reflect.Slice {
					out = reflect.MakeSlice(v.Type(), v.Len(), v.Len())
					reflect.Copy(out, v)
				} else {
					out = reflect.New(v.Type()).Elem()
					out.Set(v)
				}
			}
			out.Index(i).Set(ev)
		}
		if out.IsValid() {
			return out, true
		}
		return v, false
	case reflect.Map:
		changedAny := false
		type kv struct{ k, v reflect.Value }
		entries := make([]kv, 0, v.Len())
		it := v.MapRange()
		for it.Next() {
			k, kc := mapStrings(it.Key(), f)
			e, ec := mapStrings(it.Value(), f)
			changedAny = changedAny || kc || ec
			entries = append(entries, kv{k, e})
		}
		if !changedAny {
			return v, false
		}
		out := reflect.MakeMapWithSize(v.Type(), len(entries))
		for _, e := range entries {
			out.SetMapIndex(e.k, e.v)
		}
		return out, true
	}
	return v, false
}
