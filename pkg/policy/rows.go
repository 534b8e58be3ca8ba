package policy

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

// line is a doctext line with its table cells resolved: plain-text lines
// holding TAB characters count as table rows too.
type line struct {
	doctext.Line
	cells []string
	table int
}

// prepare resolves cells and table ids; runs of TAB-separated lines outside
// any doctext table become tables with negative ids.
func prepare(doc *doctext.Document) []line {
	out := make([]line, len(doc.Lines))
	pseudo := 0
	for i, l := range doc.Lines {
		out[i] = line{Line: l, cells: l.Cells, table: l.Table}
		if l.Table == 0 && len(l.Cells) == 0 && strings.Contains(l.Text, "\t") {
			if i == 0 || out[i-1].table >= 0 || doc.Lines[i-1].Table != 0 {
				pseudo--
			}
			out[i].cells = strings.Split(l.Text, "\t")
			out[i].table = pseudo
		}
	}
	return out
}

var (
	// numbering matches list and heading numbers: "1.", "1、", "(1)", "（一）", "一、", "第三条", bullets.
	numbering = lazyre.New(`^\s*(?:第[一二三四五六七八九十百0-9]+[章节部分条][、.．:：]?|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|\d{1,3}\s*[、.．]|[（(]\d{1,3}[)）]|\d{1,3}[)）]|[•●·▪◆\-*])`)
	levelRes  = []func() *regexp.Regexp{
		lazyre.New(`^\s*(?:第[一二三四五六七八九十百0-9]+[章节部分条]|[一二三四五六七八九十]+\s*[、.．])`),
		lazyre.New(`^\s*[（(][一二三四五六七八九十]+[)）]`),
		lazyre.New(`^\s*\d{1,2}\s*[、.．]`),
		lazyre.New(`^\s*[（(]\d{1,2}[)）]`),
	}
	numberedItem = lazyre.New(`^\s*(?:\d{1,3}\s*[、.．)）]|[（(]\d{1,3}[)）])\s*([^\d].*)$`)
)

// numberEnd returns the length of the list number or bullet that starts
// s, or 0: a number followed by a digit is a decimal ("1.5"), not a number.
func numberEnd(re *regexp.Regexp, s string) int {
	loc := re.FindStringIndex(s)
	if loc == nil {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(s[loc[1]:]); r >= '0' && r <= '9' {
		return 0
	}
	return loc[1]
}

// stripNumbering removes a leading list number or bullet.
func stripNumbering(s string) string {
	return strings.TrimSpace(s[numberEnd(numbering(), s):])
}

// headingLevel returns the level of a numbered heading-like line (1 = 一、,
// 2 = （一）, 3 = 1., 4 = (1)), or 0 when the line is not one: headings are
// numbered and at most 40 runes long.
func headingLevel(text string) int {
	if utf8.RuneCountInString(text) > 40 {
		return 0
	}
	for i, re := range levelRes {
		if numberEnd(re(), text) > 0 {
			return i + 1
		}
	}
	return 0
}

// splitKV splits "key：value" when the key is at most 24 runes long.
func splitKV(text string) (string, string, bool) {
	i := strings.IndexAny(text, ":：")
	if i <= 0 {
		return "", "", false
	}
	key := text[:i]
	if utf8.RuneCountInString(key) > 24 || strings.HasPrefix(text[i:], "://") {
		return "", "", false
	}
	_, size := utf8.DecodeRuneInString(text[i:])
	return key, strings.TrimSpace(text[i+size:]), true
}

// setField stores value in the row field named by canonical field c.
func setField(r *SDKRow, c, value string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	join := func(dst *string) {
		if *dst == "" {
			*dst = value
		} else {
			*dst += "；" + value
		}
	}
	switch c {
	case fieldCompany:
		join(&r.Company)
	case fieldPurpose:
		join(&r.Purpose)
	case fieldScenario:
		join(&r.Purpose)
	case fieldData:
		join(&r.Data)
	case fieldPolicyURL:
		join(&r.PolicyURL)
	case fieldWebsite:
		join(&r.Website)
	case fieldPackage:
		join(&r.Package)
	case fieldPermission:
		join(&r.Permissions)
	}
}

// sdkNameLike reports whether a numbered item's name part names an SDK: it
// says SDK or API, or is exactly a catalogue alias, and reads like a name
// rather than a sentence.
func (m *matcher) sdkNameLike(name string) bool {
	n := squeeze(fold(name))
	if n == "" || utf8.RuneCountInString(n) > 40 || strings.Contains(n, "权限") {
		return false
	}
	for _, w := range []string{"我们", "您", "用于", "通过", "包括", "如果", "使用了", "为了"} {
		if strings.Contains(n, w) {
			return false
		}
	}
	if genericName(n) {
		return false
	}
	if strings.Contains(n, "sdk") || strings.HasSuffix(n, "api") {
		return true
	}
	_, ok := m.exact[normName(name)]
	return ok
}

// genericWords name SDKs in general, in headings such as "接入的第三方SDK列表".
var genericWords = []string{
	"第三方", "接入", "使用", "集成", "嵌入", "合作", "服务商", "提供商", "列表", "清单", "目录", "说明", "信息",
	"共享", "相关", "以下", "其他", "类", "的", "及", "和", "与", "sdk", "api", "软件开发工具包", "工具包",
}

// genericName reports whether a folded, squeezed name is only general words
// about SDKs ("第三方SDK", "接入第三方SDK", "第三方SDK类服务商"), naming none.
func genericName(n string) bool {
	if latinLetters(strings.NewReplacer("sdk", "", "api", "").Replace(n)) > 0 {
		return false // "YSDK", "GTSDK": a Latin name
	}
	for _, w := range genericWords {
		n = strings.ReplaceAll(n, w, "")
	}
	n = strings.Trim(n, trimPunct+"0123456789")
	return utf8.RuneCountInString(n) < 2
}

// permSections marks the lines inside a permission section or table:
// a short unnumbered or numbered heading-like line that mentions 权限 opens a
// section, which runs until a numbered heading of the same or a higher
// level (at most 150 lines); every row of a table whose header mentions 权限
// is inside; so is a "key：value" line whose key mentions 权限.
func permSections(lines []line) ([]bool, bool) {
	in := make([]bool, len(lines))
	found := false
	level, left := 0, 0
	for i, l := range lines {
		lv := headingLevel(l.Text)
		if left > 0 && (lv > 0 && lv <= level || l.Heading && !strings.Contains(l.Text, "权限")) {
			left = 0
		}
		if left > 0 {
			in[i] = true
			left--
		}
		text := l.Text
		_, value, kv := splitKV(stripNumbering(text))
		if strings.Contains(text, "权限") && l.table == 0 && utf8.RuneCountInString(text) <= 40 && (!kv || value == "") &&
			!strings.ContainsAny(text, "，,。") {
			level, left, found = 5, 150, true
			if lv > 0 {
				level = lv
			} else if l.Heading {
				level = 1
			}
			in[i] = true
		}
		if key, _, ok := splitKV(stripNumbering(text)); ok && strings.Contains(key, "权限") {
			in[i] = true
		}
	}
	for i := 0; i < len(lines); {
		if lines[i].table == 0 {
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j].table == lines[i].table {
			j++
		}
		hdr := strings.Join(lines[i].cells, "|") + lines[i].Text
		if strings.Contains(hdr, "权限") {
			found = true
			for k := i; k < j; k++ {
				in[k] = true
			}
		}
		i = j
	}
	return in, found
}
