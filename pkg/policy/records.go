package policy

import (
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

// A record is one SDK of the document in any of its layouts: a table row
// (with its continuation rows), a key:value block under a title line, or a
// prose list item. segmenter walks the prepared lines once, in document
// order, and turns records into SDKRows.
type segmenter struct {
	path  string
	lines []line
	m     *matcher
	used  []bool
	rows  []SDKRow
	// dropped counts the rows read past MaxRows+1, which are not kept.
	dropped int
	// open is the key:value block being read, nil outside one.
	open *block
	// sdkSection is set while the last heading speaks of SDKs or third parties.
	sdkSection bool
}

// block is a key:value record being read.
type block struct {
	row SDKRow
	// nameFromKey is set once an sdk_name label gave the name; a title line
	// gives way to it ("#### 腾讯开放平台" then "SDK名称：腾讯开放平台SDK").
	nameFromKey bool
	// fields counts the distinct SDK fields filled (company, purpose, data, …).
	fields map[string]bool
	// last is the field the last label line filled; pending is set when that
	// label had no value, so the lines after it are its value.
	last    string
	pending bool
	// gotValue is set once a pending label received its first line;
	// pendingLines counts the lines it received.
	gotValue     bool
	pendingLines int
	// sdkLabel is set when a label of the block says SDK ("SDK用途");
	// permLabel when one is a permission table's (是否可关闭) or speaks of
	// permissions (获取权限方式).
	sdkLabel, permLabel bool
	// stray counts the lines since the last label that belong to no field.
	stray  int
	lastNo int
}

// Bounds of the key:value reader.
const (
	maxTitleRunes   = 50 // a title line longer than this is prose
	maxStrayLines   = 4  // a block ends after this many lines that are no field
	maxPendingLines = 12 // a label's value spans at most this many lines
	maxProseLines   = 3  // a prose item's description spans at most this many lines
)

// continued are the fields whose value may run over several lines.
var continued = map[string]bool{fieldData: true, fieldPurpose: true, fieldScenario: true, fieldPermission: true}

// openingFields are the labels that may follow a title line: the ones a
// block starts with, not a link or package that closes one.
var openingFields = map[string]bool{
	fieldName: true, fieldCompany: true, fieldPurpose: true, fieldScenario: true, fieldData: true, fieldCategory: true,
}

// permissionFields are the labels of a permission table's rows.
var permissionFields = map[string]bool{fieldPermission: true, "prompted": true, "revocable": true}

// sdkFields are the fields that make a key:value block an SDK record.
var sdkFields = map[string]bool{
	fieldCompany: true, fieldPurpose: true, fieldScenario: true, fieldData: true,
	fieldPolicyURL: true, fieldWebsite: true, fieldPackage: true, fieldMethod: true,
}

// extractRows finds the SDK rows of one document in every layout and
// reports which lines they used.
func extractRows(path string, all []line, m *matcher) (rows []SDKRow, used []bool, total int) {
	lines, origin := splitPairLines(all)
	s := &segmenter{path: path, lines: lines, m: m, used: make([]bool, len(lines))}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l.table != 0 {
			j := i
			for j < len(lines) && lines[j].table == l.table {
				j++
			}
			if rows, ok := s.tableRecords(lines[i:j], s.used[i:j]); ok {
				s.closeBlock()
				s.add(rows...)
				i = j - 1
				continue
			}
		}
		if j, rows, ok := s.cellLines(i); ok {
			s.closeBlock()
			s.add(rows...)
			i = j - 1
			continue
		}
		s.line(i)
	}
	s.closeBlock()
	for i := range s.rows {
		finishRow(&s.rows[i])
	}
	used = make([]bool, len(all))
	for i, u := range s.used {
		used[origin[i]] = used[origin[i]] || u
	}
	return s.rows, used, len(s.rows) + s.dropped
}

// add keeps rows up to one past MaxRows, enough for Extract to cut the
// list and warn; the rest are only counted: a hostile list of a hundred
// thousand rows costs its count, not its records.
func (s *segmenter) add(rows ...SDKRow) {
	if room := max(0, MaxRows+1-len(s.rows)); len(rows) > room {
		s.dropped += len(rows) - room
		rows = rows[:room]
	}
	s.rows = append(s.rows, rows...)
}

// maxPairs bounds the label:value pairs read from one line.
const maxPairs = 16

// splitPairLines returns the lines with each line that holds several
// "label：value" pairs in a row ("SDK名称：友盟SDK；使用目的：统计；公司名称：…")
// cut into one line per pair, and for each line its index in lines. A pair
// starts at the line's start or after a separator (；;，, space), at a label the
// field table knows; a colon inside a value ("https://") starts none.
func splitPairLines(lines []line) ([]line, []int) {
	out := make([]line, 0, len(lines))
	origin := make([]int, 0, len(lines))
	for i, l := range lines {
		parts := pairParts(l)
		if len(parts) < 2 {
			out, origin = append(out, l), append(origin, i)
			continue
		}
		for _, p := range parts {
			sub := l
			sub.Text = p
			out, origin = append(out, sub), append(origin, i)
		}
	}
	return out, origin
}

// pairParts cuts a line of several labelled pairs into its pairs; nil when
// it holds fewer than two.
func pairParts(l line) []string {
	if l.table != 0 || strings.Count(l.Text, "：")+strings.Count(l.Text, ":") < 2 {
		return nil
	}
	text := l.Text
	var starts []int
	for i, r := range text {
		if r != '：' && r != ':' || len(starts) > maxPairs {
			continue
		}
		// The label runs back to the previous separator.
		k := strings.LastIndexAny(text[:i], "；;，, \t|")
		from := 0
		if k >= 0 {
			_, size := utf8.DecodeRuneInString(text[k:])
			from = k + size
		}
		key := text[from:i]
		if key == "" || fieldOf(stripOutline(key)) == "" {
			continue
		}
		if len(starts) == 0 && strings.TrimSpace(stripOutline(text[:from])) != "" {
			return nil // prose before the first label: not a line of pairs
		}
		if len(starts) == 0 || starts[len(starts)-1] != from {
			starts = append(starts, from)
		}
	}
	if len(starts) < 2 {
		return nil
	}
	parts := make([]string, len(starts))
	for k, st := range starts {
		end := len(text)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		parts[k] = strings.TrimRight(strings.TrimSpace(text[st:end]), "；;，, |")
	}
	return parts
}

// kvOf reads a line as "label：value": a two-cell table row, or text whose
// part before the first colon is a short label. field is the canonical field
// the label names, "" for an unknown label.
func kvOf(l line) (key, value, field string, ok bool) {
	if l.table != 0 && len(l.cells) == 2 {
		key, value, ok = l.cells[0], l.cells[1], true
	} else {
		key, value, ok = splitKV(stripOutline(l.Text))
	}
	if ok {
		field = fieldOf(key)
	}
	return key, value, field, ok
}

// line reads line i outside tables.
func (s *segmenter) line(i int) {
	l := s.lines[i]
	if t := strings.TrimSpace(l.Text); l.table == 0 && !l.Heading && !strings.ContainsAny(t, ":：") &&
		utf8.RuneCountInString(t) <= 16 && i+1 < len(s.lines) && (s.open != nil || fieldOf(t) == fieldName) {
		// A label of the field table alone on its line, its value on the next
		// (LibreOffice's text of a two-column table): read as "label：" with the
		// value pending. Only a label the table holds as written: a value such
		// as "腾讯公司" ends like a label without being one.
		if _, exact := fields()[normKey(t)]; exact && fieldOf(s.lines[i+1].Text) == "" {
			l.Text = t + "："
			s.lines[i] = l
		}
	}
	f := fold(l.Text)
	aboutSDKs := strings.Contains(f, "sdk") || strings.Contains(f, "第三方") || strings.Contains(f, "合作")
	switch {
	case l.Heading || headingLevel(l.Text) == 1 || headingLevel(l.Text) == 2:
		s.sdkSection = aboutSDKs
	case aboutSDKs && l.table == 0 && utf8.RuneCountInString(l.Text) <= 20 && !strings.ContainsAny(l.Text, ":：。，,"):
		// A short unnumbered line about SDKs in a plain-text policy is a heading too.
		s.sdkSection = true
	}
	key, value, field, kv := kvOf(l)
	b := s.open
	switch {
	case field == fieldName:
		if b != nil && !b.nameFromKey && !b.pending && len(b.fields) == 0 {
			// The title line gives way to the label; the row keeps the title's line.
			b.row.Name, b.nameFromKey = value, true
			b.last, b.pending, b.gotValue, b.pendingLines = fieldName, value == "", false, 0
			b.stray, b.lastNo = 0, l.No
			s.used[i] = true
			return
		}
		if b == nil && !rowStartKey(normKey(key)) {
			break
		}
		s.closeBlock()
		s.open = &block{row: SDKRow{Name: value, Line: LineRef{s.path, l.No}}, nameFromKey: true,
			fields: map[string]bool{}, last: fieldName, pending: value == "", lastNo: l.No}
		s.used[i] = true
		return
	case field != "" && b != nil:
		if field == fieldName {
			break
		}
		setField(&b.row, field, value)
		if sdkFields[field] {
			b.fields[field] = true
		}
		b.sdkLabel = b.sdkLabel || strings.Contains(normKey(key), "sdk")
		b.permLabel = b.permLabel || permissionFields[field]
		b.last, b.pending, b.gotValue, b.pendingLines, b.stray, b.lastNo = field, value == "", false, 0, 0, l.No
		s.used[i] = true
		return
	case kv && field == "" && b != nil && !l.Heading && utf8.RuneCountInString(key) <= 12:
		if b.pending && continued[b.last] {
			// A nested list under a label with no value ("收集的个人信息：" then
			// "设备信息: …"): the sub-labels are part of the value.
			setField(&b.row, b.last, l.Text)
			if sdkFields[b.last] {
				b.fields[b.last] = true
			}
			b.gotValue, b.stray, b.lastNo = true, 0, l.No
			s.used[i] = true
			return
		}
		// An unknown label inside a block neither ends it nor glues into the field before it.
		b.permLabel = b.permLabel || strings.Contains(key, "权限")
		b.last, b.pending = "", false
		b.stray++
		b.lastNo = l.No
		return
	}
	if b != nil && b.pending && (!b.gotValue || !s.titleAt(i)) {
		if b.last == fieldName {
			if b.row.Name == "" {
				b.row.Name = l.Text
			}
		} else {
			setField(&b.row, b.last, l.Text)
			if sdkFields[b.last] {
				b.fields[b.last] = true
			}
		}
		b.stray, b.lastNo, b.gotValue = 0, l.No, true
		b.pendingLines++
		if b.last == fieldName || b.last == fieldCompany || b.last == fieldPolicyURL || b.pendingLines == maxPendingLines {
			b.pending = false
		}
		s.used[i] = true
		return
	}
	if s.titleAt(i) {
		s.closeBlock()
		s.open = &block{row: SDKRow{Name: cleanTitle(l.Text), Line: LineRef{s.path, l.No}}, fields: map[string]bool{}, lastNo: l.No}
		if p := packageIn(l.Text); p != "" {
			s.open.row.Package = p
		}
		s.used[i] = true
		return
	}
	if b != nil && !l.Heading {
		if continued[b.last] && l.No-b.lastNo <= 3 && !kv {
			setField(&b.row, b.last, l.Text)
			b.lastNo = l.No
			return
		}
		if b.last == fieldPolicyURL && b.row.PolicyURL != "" && !strings.Contains(b.row.PolicyURL, " ") && urlTail().MatchString(l.Text) {
			// A link cut in two by the layout: the rest of it sits on the next line.
			b.row.PolicyURL += strings.TrimSpace(l.Text)
			b.lastNo = l.No
			return
		}
		b.stray++
		if b.stray < maxStrayLines {
			return
		}
	}
	s.closeBlock()
	s.proseItem(i)
}

// titleAt reports whether line i opens a key:value block: it reads like a
// name (short, no sentence) and the next line (past a number alone on its
// line) is a label that opens blocks: the name, company, purpose, scenario,
// data or category.
func (s *segmenter) titleAt(i int) bool {
	l := s.lines[i]
	if (l.table != 0 && len(l.cells) > 1) || !titleLike(l.Text) {
		return false
	}
	if _, _, f, _ := kvOf(l); f != "" {
		return false
	}
	for j := i + 1; j < len(s.lines) && j <= i+2; j++ {
		n := s.lines[j]
		_, _, f, _ := kvOf(n)
		if openingFields[f] {
			return true
		}
		if !s.isNumberOnly(n.Text) {
			return false
		}
	}
	return false
}

// isNumberOnly reports whether text is only a list number ("1." on a line of its own).
func (s *segmenter) isNumberOnly(text string) bool {
	return strings.TrimSpace(stripNumbering(text)) == "" && strings.TrimSpace(text) != ""
}

var (
	// outline matches multi-level numbers ("5.5.1", "14.1.1"), lettered items
	// ("a）", "b.") and the bullets word processors export (Ø, ◇, ▶, √ …).
	outline = lazyre.New(`^\s*(?:\d{1,3}(?:\.\d{1,3})+\.?|[a-zA-Z][)）]|[a-zA-Z][.、．](?:\s|$)|[①-⑳]|[ØøΦ◇◆□■▶►▸√✓✔❖➢➤○◎])\s*`)
	// urlTail matches a line that continues a link cut by the layout.
	urlTail = lazyre.New(`^[A-Za-z0-9\-._~/?#\[\]@!$&'()*+,;=%]+$`)
	// javaPackage matches a Java package name written beside an SDK name.
	javaPackage = lazyre.New(`\b(?:com|cn|io|org|net|me)(?:\.[a-zA-Z_][a-zA-Z0-9_]*)+\b`)
)

// cleanTitle is a title line as an SDK name: list numbers, outline numbers,
// bullets and a trailing colon removed.
func cleanTitle(text string) string {
	t := strings.TrimSpace(strings.TrimRight(stripOutline(text), ":： "))
	if k, v, ok := splitKV(t); ok && v != "" && strings.HasSuffix(k, "名称") {
		return v // "应用名称：苹果支付", a name label the field table does not know
	}
	return t
}

// stripOutline removes leading list numbers, outline numbers ("14.1.1",
// "a）") and bullets.
func stripOutline(text string) string {
	t := strings.TrimSpace(text)
	for k := 0; k < 3; k++ {
		before := t
		if loc := outline().FindStringIndex(t); loc != nil {
			t = t[loc[1]:]
		}
		t = stripNumbering(t)
		if t == before {
			break
		}
	}
	return t
}

// titleLike reports whether a line reads like the name of an SDK rather
// than a sentence.
func titleLike(text string) bool {
	t := cleanTitle(text)
	n := utf8.RuneCountInString(t)
	if n == 0 || n > maxTitleRunes || strings.ContainsAny(t, "。；;！？") || strings.Count(t, "，") > 1 {
		return false
	}
	for _, w := range []string{"我们", "您", "如下", "以下", "包括"} {
		if strings.Contains(t, w) {
			return false
		}
	}
	return true
}

// packageIn returns a Java package name written in a name ("高德地图SDK（com.amap.api）").
func packageIn(text string) string {
	return javaPackage().FindString(text)
}

// closeBlock ends the open key:value block, keeping it as a row when it is
// an SDK record: a name given by an SDK-name label, or a title that names an
// SDK (it says SDK or maps to the catalogue) or whose labels say SDK
// ("SDK用途") with one field, or, under a
// heading about SDKs or third parties, any title with two distinct SDK
// fields. A title about a permission ("相机权限") is never an SDK.
func (s *segmenter) closeBlock() {
	b := s.open
	s.open = nil
	if b == nil {
		return
	}
	name := strings.TrimSpace(b.row.Name)
	if name == "" || fieldOf(name) == fieldName {
		return
	}
	named := s.m.sdkNameLike(name) || s.m.names(name)
	if strings.Contains(name, "权限") && !strings.Contains(fold(name), "sdk") {
		// "#### 2.2.1 相机权限" with 使用场景/使用目的 labels: a permission, not an SDK.
		named = false
		if !b.nameFromKey {
			return
		}
	}
	keep := b.nameFromKey || (named || b.sdkLabel) && len(b.fields) >= 1 || len(b.fields) >= 2 && s.sdkSection && !b.permLabel
	if keep {
		s.add(b.row)
	}
}

// proseItem reads line i as a prose list item naming an SDK: "1. 友盟SDK：…"
// when the name part says SDK or API or is a catalogue name, or a sentence
// opening with a book-title-quoted SDK name ("《支付宝SDK》用于…").
func (s *segmenter) proseItem(i int) {
	l := s.lines[i]
	if l.table != 0 && len(l.cells) > 1 || l.Heading {
		return
	}
	if mm := bookTitle().FindStringSubmatch(l.Text); mm != nil {
		name := strings.TrimSpace(mm[1])
		n := normKey(name)
		if strings.Contains(n, "sdk") && !strings.ContainsAny(n, "政策协议规则条款声明指引说明") && utf8.RuneCountInString(name) <= 30 {
			r := SDKRow{Name: name, Purpose: strings.TrimSpace(mm[2]), Line: LineRef{s.path, l.No}}
			s.used[i] = true
			// The lines right after it that describe it ("支付宝SDK可以…此SDK将会采集…") are its data.
			for j := i + 1; j < len(s.lines) && j <= i+maxProseLines; j++ {
				d := s.lines[j]
				if d.Heading || d.table != 0 || bookTitle().MatchString(d.Text) ||
					!(strings.HasPrefix(d.Text, name) || strings.HasPrefix(d.Text, "该SDK") || strings.HasPrefix(d.Text, "此SDK")) {
					break
				}
				setField(&r, fieldData, d.Text)
				s.used[j] = true
			}
			s.add(r)
			return
		}
	}
	mm := numberedItem().FindStringSubmatch(l.Text)
	if mm == nil {
		// Under a heading about SDKs, an unnumbered or bulleted "NAME：…" line too.
		// The name may carry its company in brackets, past a label's length.
		t := stripOutline(l.Text)
		if k := strings.IndexAny(t, ":："); k > 0 && s.sdkSection && !strings.HasPrefix(t[k:], "://") && utf8.RuneCountInString(t[:k]) <= maxTitleRunes {
			_, size := utf8.DecodeRuneInString(t[k:])
			s.proseRow(i, t[:k], strings.TrimSpace(t[k+size:]))
		}
		return
	}
	name, rest := mm[1], ""
	if k, v, ok := splitKV(mm[1]); ok {
		name, rest = k, v
	} else if utf8.RuneCountInString(name) > 30 {
		return
	}
	s.proseRow(i, name, rest)
}

// proseRow keeps a prose item "NAME：what it does" as a row when NAME names
// an SDK: a company in brackets after the name ("友盟SDK（友盟同欣…有限公司）")
// or in "由…公司提供" is its company, "用于…" its purpose, the rest its data.
func (s *segmenter) proseRow(i int, name, rest string) {
	name = strings.TrimSpace(name)
	if !s.m.sdkNameLike(name) || fieldOf(name) != "" || !titleLike(name) || strings.ContainsAny(name, "《》") {
		return
	}
	r := SDKRow{Name: name, Data: rest, Line: LineRef{s.path, s.lines[i].No}}
	if j := strings.IndexAny(name, "(（"); j > 0 {
		if inner := strings.TrimSpace(strings.TrimRight(name[j:], ")）")); companyLike(inner) {
			inner = strings.TrimSpace(strings.TrimLeft(inner, "(（"))
			r.Name, r.Company = strings.TrimSpace(name[:j]), inner
		}
	}
	if mm := providedBy().FindStringSubmatch(rest); mm != nil && r.Company == "" {
		r.Company = mm[1]
	}
	if mm := usedFor().FindStringSubmatch(rest); mm != nil {
		r.Purpose = mm[1]
	}
	s.used[i] = true
	if j := i + 1; j < len(s.lines) && isURL(strings.TrimSpace(s.lines[j].Text)) && s.lines[j].table == 0 {
		// The link the line wrap moved to a line of its own.
		r.Data += " " + strings.TrimSpace(s.lines[j].Text)
		s.used[j] = true
	}
	s.add(r)
}

// usedFor matches what a prose item says the SDK is for: "用于推送消息".
var usedFor = lazyre.New(`用于([^，,。；;]{2,60})`)

// providedBy matches the company a prose item names: "由…有限公司提供".
var providedBy = lazyre.New(`由([^，,。；;]{2,40}?(?:公司|集团|研究院))(?:提供|开发|运营)`)

// bookTitle matches a line that opens with a 《quoted》 name followed by what it is for.
var bookTitle = lazyre.New(`^\s*(?:\d{1,3}\s*[、.．]\s*)?《([^》]{2,40})》\s*(.*)$`)
