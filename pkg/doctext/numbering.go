package doctext

import (
	"archive/zip"
	"encoding/xml"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// List numbering: the markers a word processor draws before numbered
// paragraphs ("一、", "1.", "a)") are no part of the text in a DOCX
// (word/numbering.xml holds their formats) nor in HTML (<ol type="a">).
// The readers write them before the item's text as the document shows
// them, and as Markdown items are written, so that numbered SDK lists read
// the same in every format.

// maxListLevels is the deepest list level numbered (Word has nine).
const maxListLevels = 9

// numLevel is one level of a numbering definition.
type numLevel struct {
	format string // numFmt: decimal, lowerLetter, chineseCounting, bullet …
	text   string // lvlText: "%1、", "%1.%2.", "(%3)"
	start  int
}

// numbering holds a DOCX's numbering definitions and the counters of the
// lists read so far.
type numbering struct {
	abstract map[string]*[maxListLevels]numLevel // abstractNumId → levels
	nums     map[string]string                   // numId → abstractNumId
	counters map[string]*[maxListLevels]int      // abstractNumId → the current number of each level
	// dropped is set when definitions or lists past maxNumberings were not kept.
	dropped bool
}

// readDOCXNumbering reads word/numbering.xml.
func readDOCXNumbering(f *zip.File, lim limits.Limits, n *numbering) error {
	var abs *[maxListLevels]numLevel
	var num string
	lvl := -1
	return eachStart(f, lim, func(se xml.StartElement) {
		switch se.Name.Local {
		case "abstractNum":
			abs, num, lvl = &[maxListLevels]numLevel{}, "", -1
			if len(n.abstract) < maxNumberings {
				n.abstract[attr(se, "abstractNumId")] = abs
			} else {
				n.dropped = true
			}
		case "lvl":
			lvl = -1
			if v, err := strconv.Atoi(attr(se, "ilvl")); err == nil && v >= 0 && v < maxListLevels {
				lvl = v
				abs[lvl].start = 1
			}
		case "start":
			if v, err := strconv.Atoi(attr(se, "val")); err == nil && abs != nil && lvl >= 0 {
				abs[lvl].start = min(max(v, 0), 1<<20)
			}
		case "numFmt":
			if abs != nil && lvl >= 0 {
				abs[lvl].format = attr(se, "val")
			}
		case "lvlText":
			if abs != nil && lvl >= 0 {
				abs[lvl].text = clipText(attr(se, "val"), 32)
			}
		case "num":
			abs, num = nil, attr(se, "numId")
		case "abstractNumId":
			if num != "" && len(n.nums) < maxNumberings {
				n.nums[num] = attr(se, "val")
			} else if num != "" {
				n.dropped = true
			}
		}
	})
}

// maxNumberings bounds the numbering definitions, and the lists counted,
// of one DOCX; items of the others are read unnumbered, with a warning.
const maxNumberings = 4096

// warnDropped warns, once the body is read, when numbering was dropped.
func (n *numbering) warnDropped(b *builder) {
	if n.dropped {
		b.warn("%v: later lists are read without their numbers", &limits.LimitError{What: "docx: numbering definitions", Limit: maxNumberings, Value: -1})
	}
}

// next counts one more paragraph of list numId at level lvl (0-based) and
// returns its marker, "" for a bullet, an unnumbered level or an unknown list.
func (n *numbering) next(numID string, lvl int) string {
	absID, ok := n.nums[numID]
	levels := n.abstract[absID]
	if !ok || levels == nil || lvl < 0 || lvl >= maxListLevels {
		return ""
	}
	c := n.counters[absID]
	if c == nil {
		if len(n.counters) >= maxNumberings {
			n.dropped = true
			return ""
		}
		c = &[maxListLevels]int{}
		for i := range c {
			c[i] = levels[i].start - 1
		}
		n.counters[absID] = c
	}
	c[lvl]++
	for i := lvl + 1; i < maxListLevels; i++ {
		c[i] = levels[i].start - 1
	}
	l := levels[lvl]
	if l.format == "bullet" || l.format == "none" || l.text == "" {
		return ""
	}
	var sb strings.Builder
	for i := 0; i < len(l.text); i++ {
		if l.text[i] == '%' && i+1 < len(l.text) && l.text[i+1] >= '1' && l.text[i+1] <= '9' {
			k := int(l.text[i+1] - '1')
			sb.WriteString(listNumber(levels[k].format, max(c[k], levels[k].start)))
			i++
			continue
		}
		sb.WriteByte(l.text[i])
	}
	return strings.TrimSpace(sb.String())
}

// listNumber writes n in a list numbering format: Word's numFmt names, or
// HTML's <ol type> letters (a, A, i, I, 1).
func listNumber(format string, n int) string {
	switch format {
	case "lowerLetter", "a":
		return letters(n, 'a')
	case "upperLetter", "A":
		return letters(n, 'A')
	case "lowerRoman", "i":
		return strings.ToLower(roman(n))
	case "upperRoman", "I":
		return roman(n)
	case "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "taiwaneseCounting",
		"taiwaneseCountingThousand", "ideographDigital", "japaneseCounting":
		return hanNumber(n)
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	}
	return strconv.Itoa(n)
}

// letters is n as a, b, … z, aa, bb … (Word's and the browsers' lettering).
func letters(n int, a rune) string {
	if n < 1 {
		return strconv.Itoa(n)
	}
	return strings.Repeat(string(a+rune((n-1)%26)), min((n-1)/26+1, 8))
}

// roman is n in upper-case Roman numerals (1 to 3999; others as digits).
func roman(n int) string {
	if n < 1 || n > 3999 {
		return strconv.Itoa(n)
	}
	var sb strings.Builder
	for _, p := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= p.v; n -= p.v {
			sb.WriteString(p.s)
		}
	}
	return sb.String()
}

// hanNumber is n in Chinese counting numerals (一, 十一, 二十三; 1 to 99,
// others as digits), as 一、二、 list markers write it.
func hanNumber(n int) string {
	const digits = "零一二三四五六七八九"
	d := []rune(digits)
	switch {
	case n >= 1 && n <= 9:
		return string(d[n])
	case n == 10:
		return "十"
	case n > 10 && n < 20:
		return "十" + string(d[n-10])
	case n >= 20 && n <= 99:
		s := string(d[n/10]) + "十"
		if n%10 != 0 {
			s += string(d[n%10])
		}
		return s
	}
	return strconv.Itoa(n)
}

// clipText returns s cut to at most n bytes on a rune boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
