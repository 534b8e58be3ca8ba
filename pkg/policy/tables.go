package policy

import (
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

// Bounds of the table reader.
const (
	headerRows    = 3   // the header is one of the first rows of a table
	sampleRows    = 300 // rows looked at to infer what a column holds
	minNameShare  = 0.3 // a column holds names when this share of its cells are SDK names
	minCompShare  = 0.5 // … companies when this share of its cells are company names
	maxSplitRunes = 24  // a name cell splits into several SDKs only when every part is this short
)

// tableRecords reads an SDK table: a header row among the first rows whose
// cells name at least two known fields, and a column of SDK names, found
// from the header (SDK名称, 第三方SDK名称 …) or, when the header is missing
// or mislabelled (功能类型 over a column of names, 第三方名称 used for the
// SDK), from the cells themselves. Each later row with a name is a record;
// a row whose name cell is empty or covered by a rowspan continues the record
// above it. ok is false when the table is no SDK table (a permission table,
// a data table): its rows are then read as lines.
func (s *segmenter) tableRecords(t []line, used []bool) (rows []SDKRow, ok bool) {
	hdr, cols := -1, []string(nil)
	for i := 0; i < len(t) && i < headerRows && hdr < 0; i++ {
		cs := make([]string, len(t[i].cells))
		known := 0
		for j, cell := range t[i].cells {
			cs[j] = fieldOf(cell)
			if cs[j] != "" {
				known++
			}
		}
		if known >= 2 {
			hdr, cols = i, cs
		}
	}
	if hdr < 0 {
		return nil, false
	}
	body := t[hdr+1:]
	nameCol := s.nameColumn(cols, body)
	recipients := false
	if nameCol < 0 {
		// A sharing list (第三方共享清单): no SDK column, but who receives
		// what for what; each recipient is a row of its own, named by its company.
		if nameCol = sharingColumn(cols); nameCol < 0 {
			return nil, false
		}
		recipients = true
	}
	cols = append([]string(nil), cols...)
	for j := range cols {
		if cols[j] == fieldName && j != nameCol {
			cols[j] = ""
		}
	}
	cols[nameCol] = fieldName
	if !hasField(cols, fieldCompany) {
		if c := companyColumn(body, nameCol); c >= 0 && c < len(cols) {
			cols[c] = fieldCompany
		}
	}
	used[hdr] = true
	var cur *SDKRow
	flush := func() {
		switch {
		case cur == nil:
		case len(s.rows)+len(rows) > MaxRows:
			s.dropped++ // past the rows a document keeps (segmenter.add)
		default:
			rows = append(rows, splitNames(*cur, s.m)...)
		}
		cur = nil
	}
	for i, l := range body {
		name := ""
		if nameCol < len(l.cells) {
			name = strings.TrimSpace(l.cells[nameCol])
		}
		if only, ok := onlyCell(l.cells); ok && cur != nil && isURL(only) {
			// A link that the layout moved to a line of its own.
			setField(cur, fieldPolicyURL, only)
			used[hdr+1+i] = true
			continue
		}
		if name == "" {
			if cur != nil {
				continueRow(cur, cols, l.cells, nameCol)
				used[hdr+1+i] = true
			}
			continue
		}
		if fieldOf(name) == fieldName {
			used[hdr+1+i] = true
			continue
		}
		flush()
		cur = &SDKRow{Name: name, Line: LineRef{s.path, l.No}, Package: packageIn(name)}
		fillRow(cur, cols, l.cells, nameCol)
		if recipients {
			if cur.Name, cur.Company = splitCompany(name); cur.Company == "" {
				cur.Company = cur.Name
			}
		} else if cur.Company == "" {
			// Name and company in one cell: "神策分析SDK 神策网络科技（北京）有限公司".
			cur.Name, cur.Company = splitCompany(name)
		}
		used[hdr+1+i] = true
	}
	flush()
	return rows, true
}

// sharingColumn returns the company column of a sharing list's header: a
// header with a company column, no name column, and a purpose or data
// column; -1 for any other header.
func sharingColumn(cols []string) int {
	if hasField(cols, fieldName) || !hasField(cols, fieldPurpose) && !hasField(cols, fieldData) {
		return -1
	}
	for j, c := range cols {
		if c == fieldCompany {
			return j
		}
	}
	return -1
}

// nameColumn returns the column of SDK names: the one the header calls so,
// unless its cells are no SDK names and another column's mostly are; -1 when
// no column holds names (the table is no SDK list).
func (s *segmenter) nameColumn(cols []string, body []line) int {
	width := len(cols)
	named, total := make([]int, width), make([]int, width)
	seen := make([]map[string]bool, width)
	for i, l := range body {
		if i == sampleRows {
			break
		}
		for j, c := range l.cells {
			if j >= width || strings.TrimSpace(c) == "" {
				continue
			}
			total[j]++
			// Names differ from row to row: a value repeated down the column
			// ("SDK本机采集") is a category, not a name.
			if seen[j] == nil {
				seen[j] = map[string]bool{}
			}
			if !seen[j][c] && s.m.sdkNameLike(c) {
				named[j]++
			}
			seen[j][c] = true
		}
	}
	share := func(j int) float64 {
		if total[j] == 0 {
			return 0
		}
		return float64(named[j]) / float64(total[j])
	}
	best := -1
	for j := range cols {
		if best < 0 || share(j) > share(best) {
			best = j
		}
	}
	header := -1
	for j, c := range cols {
		if c == fieldName {
			header = j
			break
		}
	}
	switch {
	case header >= 0 && (share(header) >= 0.2 || best < 0 || share(best) < 2*minNameShare):
		return header
	case best >= 0 && share(best) >= minNameShare:
		return best
	case header >= 0 && len(body) == 0:
		return header
	}
	return -1
}

// companyColumn returns a column other than the name column whose cells
// mostly name companies, or -1.
func companyColumn(body []line, nameCol int) int {
	counts, total := map[int]int{}, map[int]int{}
	for i, l := range body {
		if i == sampleRows {
			break
		}
		for j, c := range l.cells {
			if j == nameCol || strings.TrimSpace(c) == "" {
				continue
			}
			total[j]++
			if companyLike(c) {
				counts[j]++
			}
		}
	}
	best, bestShare := -1, 0.0
	for j, n := range counts {
		if sh := float64(n) / float64(total[j]); sh >= minCompShare && sh > bestShare {
			best, bestShare = j, sh
		}
	}
	return best
}

// splitCompany splits a cell holding an SDK name and, after a space or a
// line break, its company; a cell without a company tail comes back whole.
func splitCompany(cell string) (name, company string) {
	i := strings.LastIndexAny(cell, " \t")
	for i > 0 {
		head, tail := strings.TrimSpace(cell[:i]), strings.TrimSpace(cell[i+1:])
		if head != "" && companyLike(tail) && !companyLike(head) && strings.IndexFunc(tail, isHan) >= 0 {
			return head, tail
		}
		i = strings.LastIndexAny(cell[:i], " \t")
	}
	// The company in the brackets that end the cell: "短信服务（某某通信技术有限公司）".
	if head, inner, ok := trailingBracket(cell); ok && head != "" && companyLike(inner) && !companyLike(head) {
		return head, inner
	}
	// A PDF cell joined without a space: "神策分析SDK神策网络科技（北京）有限公司".
	if k := strings.LastIndex(strings.ToLower(cell), "sdk"); k > 0 {
		head, tail := cell[:k+3], strings.TrimSpace(cell[k+3:])
		if companyLike(tail) && strings.IndexFunc(tail, isHan) == 0 {
			return head, tail
		}
	}
	return cell, ""
}

// trailingBracket splits "head（inner）" at the bracket that closes the
// text, matching nested brackets ("某某（北京）有限公司" inside); ok is false
// when the text does not end with a closing bracket that opens in it.
func trailingBracket(s string) (head, inner string, ok bool) {
	s = strings.TrimSpace(s)
	last, size := utf8.DecodeLastRuneInString(s)
	if last != ')' && last != '）' {
		return "", "", false
	}
	depth := 0
	for i := len(s) - size; i > 0; {
		r, n := utf8.DecodeLastRuneInString(s[:i])
		i -= n
		switch r {
		case ')', '）':
			depth++
		case '(', '（':
			if depth == 0 {
				return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+n : len(s)-size]), true
			}
			depth--
		}
	}
	return "", "", false
}

// companyLike reports whether a cell names a company ("…有限公司", "Google LLC").
func companyLike(c string) bool {
	f := fold(c)
	if utf8.RuneCountInString(f) > 60 {
		return false
	}
	for _, w := range []string{"公司", "集团", "研究院", "inc", "ltd", "llc", "limited", "corporation", "co."} {
		if strings.Contains(f, w) {
			return true
		}
	}
	return false
}

func hasField(cols []string, f string) bool {
	for _, c := range cols {
		if c == f {
			return true
		}
	}
	return false
}

// onlyCell returns the single non-empty cell of a row.
func onlyCell(cells []string) (string, bool) {
	only, n := "", 0
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			only = c
			n++
		}
	}
	return only, n == 1
}

// fillRow stores the cells of a table row in r by their column's field.
func fillRow(r *SDKRow, cols, cells []string, nameCol int) {
	for j, cell := range cells {
		if j >= len(cols) || j == nameCol {
			continue
		}
		setField(r, cols[j], cell)
	}
}

// continueRow stores the cells of a continuation row in r: a link or a
// company name cut by the layout ("https://lbs.amap.com/" then
// "pages/privacy/") is joined back; other cells are added as further values.
func continueRow(r *SDKRow, cols, cells []string, nameCol int) {
	for j, cell := range cells {
		if j >= len(cols) || j == nameCol {
			continue
		}
		cell = strings.TrimSpace(cell)
		if cols[j] == fieldPolicyURL && cell != "" && urlTail().MatchString(cell) && !isURL(cell) &&
			strings.HasSuffix(firstURL(r.PolicyURL+"x"), "x") && strings.HasSuffix(r.PolicyURL, firstURL(r.PolicyURL)) {
			r.PolicyURL += cell
			continue
		}
		if cols[j] == fieldCompany && r.Company != "" && cell != "" && !companyLike(r.Company) && companyLike(r.Company+cell) {
			r.Company += cell // "友盟同欣（北京）科" then "技有限公司"
			continue
		}
		setField(r, cols[j], cell)
	}
}

// splitNames turns a row whose name cell lists several SDKs ("友盟SDK，LinkedMe，腾讯灯塔")
// into one row per SDK, each with the row's fields. The name splits at
// commas and enumeration commas outside brackets, when every part is short,
// at least two parts name an SDK (they say SDK or map to the catalogue) and
// the others read as names (they have Latin letters), not as functions.
func splitNames(r SDKRow, m *matcher) []SDKRow {
	parts := splitTopLevel(r.Name, "，,、;；")
	if len(parts) < 2 {
		return []SDKRow{r}
	}
	named := 0
	for _, p := range parts {
		if utf8.RuneCountInString(p) > maxSplitRunes || p == "" {
			return []SDKRow{r}
		}
		switch {
		case m.sdkNameLike(p) || m.names(p):
			named++
		case latinLetters(p) < 3:
			// "QQ登录、分享": a function word, not a second SDK.
			return []SDKRow{r}
		}
	}
	if named < 2 {
		return []SDKRow{r}
	}
	out := make([]SDKRow, len(parts))
	for i, p := range parts {
		out[i] = r
		out[i].Name = p
	}
	return out
}

// latinLetters counts the ASCII letters of s.
func latinLetters(s string) int {
	n := 0
	for _, r := range s {
		if r < utf8.RuneSelf && (r|0x20) >= 'a' && (r|0x20) <= 'z' {
			n++
		}
	}
	return n
}

// splitTopLevel splits s at any of seps outside brackets, trimming each part.
func splitTopLevel(s, seps string) []string {
	var parts []string
	depth, start := 0, 0
	for i, r := range s {
		switch {
		case strings.ContainsRune("(（[【", r):
			depth++
		case strings.ContainsRune(")）]】", r):
			depth = max(0, depth-1)
		case depth == 0 && strings.ContainsRune(seps, r):
			parts = append(parts, strings.TrimSpace(s[start:i]))
			start = i + utf8.RuneLen(r)
		}
	}
	return append(parts, strings.TrimSpace(s[start:]))
}

// urlRe matches an http(s) link; it stops at white space and at non-ASCII text.
var urlRe = lazyre.New(`(?i)https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+`)

// isURL reports whether s is one link and nothing else.
func isURL(s string) bool {
	loc := urlRe().FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

// firstURL returns the first link in s, without trailing punctuation and unbalanced brackets.
func firstURL(s string) string {
	u := urlRe().FindString(s)
	for u != "" {
		last := u[len(u)-1]
		switch {
		case strings.IndexByte(".,;:!?'", last) >= 0:
			u = u[:len(u)-1]
		case last == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
			u = u[:len(u)-1]
		case last == ']' && strings.Count(u, "[") < strings.Count(u, "]"):
			u = u[:len(u)-1]
		default:
			return u
		}
	}
	return u
}

// finishRow tidies a row once all its lines are read: the policy link is
// the first URL of the link field, else the first URL written in the row's
// prose ("您可以访问https://…"). A home page (官网) stays in Website: it is
// no privacy policy.
func finishRow(r *SDKRow) {
	r.Name = strings.TrimSpace(strings.Trim(r.Name, "*#|"))
	for _, src := range []string{r.PolicyURL, r.Purpose, r.Data, r.Company, r.Permissions} {
		if u := firstURL(src); u != "" && len(u) > len("https://") {
			r.PolicyURL = u
			break
		}
	}
	if u := firstURL(r.Website); u != "" {
		r.Website = u
	}
	if loc := urlRe().FindStringIndex(r.Company); loc != nil {
		// "所属机构及官网": the company's home page is no part of its name.
		if r.Website == "" {
			r.Website = firstURL(r.Company[loc[0]:])
		}
		r.Company = strings.TrimSpace(urlRe().ReplaceAllString(r.Company, " "))
		r.Company = strings.Join(strings.Fields(r.Company), " ")
	}
}

// names reports whether name maps to a catalogue entry on its own.
func (m *matcher) names(name string) bool {
	e, _ := m.match(&SDKRow{Name: name})
	return e != nil
}
