package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold NFKC-normalises s and lower-cases it.
func fold(s string) string {
	if isASCII(s) { // NFKC leaves ASCII as it is
		return strings.ToLower(s)
	}
	return strings.ToLower(norm.NFKC.String(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// squeeze removes every white-space rune from s.
func squeeze(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if !unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// nameSuffixes are stripped, repeatedly, from the end of SDK names before
// comparison ("腾讯云物联网设备端 Andriod SDK" → "腾讯云物联网设备端").
var nameSuffixes = []string{
	"软件开发工具包", "开发工具包", "开发包", "插件", "forandroid", "android版", "安卓版", "android", "安卓", "sdk",
}

// trimPunct are trimmed from both ends of an SDK name.
const trimPunct = " \t()（）[]【】<>《》:：、,，.。;；-_·•*\"'“”‘’/|"

// normName is the comparison form of an SDK name or alias: NFKC, lower
// case, no white space, the typo "andriod" repaired, and the suffixes SDK,
// 软件开发工具包, 开发包, 插件, Android版, for Android stripped.
func normName(s string) string {
	s = squeeze(fold(s))
	s = strings.ReplaceAll(s, "andriod", "android")
	s = strings.ReplaceAll(s, "登陆", "登录") // the common misspelling
	for {
		s = strings.Trim(s, trimPunct)
		cut := false
		for _, suf := range nameSuffixes {
			if len(s) > len(suf) && strings.HasSuffix(s, suf) {
				s = s[:len(s)-len(suf)]
				cut = true
				break
			}
		}
		if !cut {
			return s
		}
	}
}

// weight measures how specific a name is: two per Han rune, one per other rune.
func weight(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// isWord reports whether r is an ASCII letter or digit (a Latin word rune).
func isWord(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

// wholeWord reports whether the match s[i:j] does not split a Latin word:
// when the match begins (ends) with a Latin rune, the rune before (after) it
// must not be one.
func wholeWord(s string, i, j int) bool {
	if i > 0 {
		first, _ := utf8.DecodeRuneInString(s[i:])
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		if isWord(first) && isWord(prev) {
			return false
		}
	}
	if j < len(s) {
		last, _ := utf8.DecodeLastRuneInString(s[:j])
		next, _ := utf8.DecodeRuneInString(s[j:])
		if isWord(last) && isWord(next) {
			return false
		}
	}
	return true
}

// dict finds phrases in text, leftmost-longest, through an index on the
// phrase's first rune. Phrases must already be in the folded form of the text.
type dict[T any] struct {
	byFirst map[rune][]dictEntry[T] // longest first
}

type dictEntry[T any] struct {
	phrase string
	// word requires whole-word boundaries at Latin ends.
	word bool
	val  T
}

func (d *dict[T]) add(phrase string, word bool, v T) {
	if phrase == "" {
		return
	}
	if d.byFirst == nil {
		d.byFirst = map[rune][]dictEntry[T]{}
	}
	r, _ := utf8.DecodeRuneInString(phrase)
	l := d.byFirst[r]
	i := len(l)
	for i > 0 && len(l[i-1].phrase) < len(phrase) {
		i--
	}
	l = append(l, dictEntry[T]{})
	copy(l[i+1:], l[i:])
	l[i] = dictEntry[T]{phrase: phrase, word: word, val: v}
	d.byFirst[r] = l
}

// hit is one dictionary match at byte offsets [start, end) of the text.
type hit[T any] struct {
	start, end int
	phrase     string
	val        T
}

// find returns the leftmost-longest, non-overlapping matches in text.
func (d *dict[T]) find(text string) []hit[T] {
	var out []hit[T]
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		matched := false
		for _, e := range d.byFirst[r] {
			if strings.HasPrefix(text[i:], e.phrase) {
				j := i + len(e.phrase)
				if e.word && !wholeWord(text, i, j) {
					continue
				}
				out = append(out, hit[T]{start: i, end: j, phrase: e.phrase, val: e.val})
				i = j
				matched = true
				break
			}
		}
		if !matched {
			i += size
		}
	}
	return out
}

// addUnique appends s to list unless it is already there.
func addUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// nfkc returns the NFKC form of s.
func nfkc(s string) string { return norm.NFKC.String(s) }
