package policy

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// brandWords are vendor brand prefixes of SDK product names ("腾讯IM SDK",
// "华为HMS"). Short vendor aliases from the catalogue are added to them.
var brandWords = []string{
	"腾讯云", "腾讯", "华为", "阿里云", "阿里巴巴", "阿里", "百度", "友盟+", "友盟", "小米", "字节跳动", "字节", "网易",
	"京东", "新浪", "极光", "个推", "高德", "谷歌", "中国移动", "中国联通", "中国电信", "移动", "联通", "电信",
	"google", "tencent", "huawei", "alibaba", "aliyun", "baidu", "xiaomi", "头条",
}

// matcher maps SDK-list rows and prose to catalogue entries.
type matcher struct {
	exact map[string][]*sdkdb.Entry // non-ambiguous alias and name keys
	ambig map[string][]*sdkdb.Entry // ambiguous ('?') aliases, without the '?'
	keys  map[*sdkdb.Entry][]string // every key of an entry
	bare  map[string][]*sdkdb.Entry // keys with their brand prefix removed ("tencentliteav" → "liteav")
	fuzzy []fuzzyKey                // non-ambiguous aliases of weight >= 4, longest first
	// brandSet holds the brands (brandWords and short vendor names), and
	// longestBrand the length of the longest, for splitBrand and namesBrand.
	brandSet     map[string]bool
	longestBrand int
	brandOf      map[*sdkdb.Entry]string // folded vendor, aliases and names, for brand checks
	families     map[string]*sdkdb.Entry // normalised family key → representative
	famOf        map[*sdkdb.Entry]string // representative → family
	// named maps a representative chosen by id (FAMILY-core, FAMILY …) to its
	// family: a row naming it stands for the whole family.
	named    map[*sdkdb.Entry]string
	mentions *dict[*sdkdb.Entry]
	pkgs     []pkgKey
	// primary holds the keys derived from an entry's own name and name_zh:
	// among entries sharing an alias ("高德地图SDK"), the one named so wins.
	primary map[string][]*sdkdb.Entry
	// anagrams maps the sorted runes of keys of weight six or more to their
	// entries, so that reordered words ("OPPO联盟广告" for "OPPO广告联盟") meet.
	anagrams map[string][]*sdkdb.Entry
	// members lists each family's entries, for the function words of a row.
	members map[string][]*sdkdb.Entry
	// byBrand caches, per brand, the keys of the brand's entries with the brand
	// removed; filled on first use, under brandMu (matchers are shared).
	byBrand map[string][]fuzzyKey
	brandMu sync.Mutex
	// strong holds the keys that are an entry's own: its non-ambiguous
	// aliases and its names before any bracket. A company of another vendor
	// group does not veto a row named so (see vendor.go).
	strong map[string][]*sdkdb.Entry
	// group numbers each entry's vendor group; vendors lists every vendor
	// name and alias with its group (vendor.go).
	group   map[*sdkdb.Entry]int
	vendors []vendorName
}

type fuzzyKey struct {
	key   string
	entry *sdkdb.Entry
}

type pkgKey struct {
	prefix string
	entry  *sdkdb.Entry
}

// nameKeys returns the comparison keys of a display name: the part before
// any bracket, each '/'-separated piece of it, and bracketed parts of at
// least four runes ("Tencent LiteAV (MLVB live, UGSV, Player)" → "tencentliteav", "mlvblive", …).
func nameKeys(s string) []string {
	s = nfkc(s)
	var out []string
	main, inner := s, ""
	if i := strings.IndexAny(s, "(（"); i >= 0 {
		main, inner = s[:i], s[i:]
	}
	if k := normName(main); k != "" {
		out = append(out, k)
	}
	for _, p := range strings.Split(main, "/") {
		if k := normName(p); k != "" {
			out = addUnique(out, k)
		}
	}
	for _, p := range strings.FieldsFunc(inner, func(r rune) bool { return strings.ContainsRune("()（）/,，、;；", r) }) {
		if k := normName(p); utf8.RuneCountInString(k) >= 4 {
			out = addUnique(out, k)
		}
	}
	return out
}

// representative picks the entry a row naming a whole family maps to: the
// member whose id is FAMILY-core, FAMILY, FAMILY-common or FAMILY-sdk, else
// the first member of category platform or multi, else the first by id.
func representative(family string, members []*sdkdb.Entry) *sdkdb.Entry {
	for _, suf := range []string{"-core", "", "-common", "-sdk"} {
		for _, e := range members {
			if e.ID == family+suf {
				return e
			}
		}
	}
	for _, e := range members {
		if e.Category == "platform" || e.Category == "multi" {
			return e
		}
	}
	return members[0]
}

// matchers caches the matcher of each catalogue: building one costs some
// milliseconds, reading a policy less. A catalogue is not changed once
// loaded, and the cache keeps it alive, so its address names it.
var matchers sync.Map // *sdkdb.Catalogue → *matcher

// matcherFor returns the shared matcher of c.
func matcherFor(c *sdkdb.Catalogue) *matcher {
	if c == nil {
		return newMatcher(nil)
	}
	if m, ok := matchers.Load(c); ok {
		return m.(*matcher)
	}
	m, _ := matchers.LoadOrStore(c, newMatcher(c))
	return m.(*matcher)
}

func newMatcher(c *sdkdb.Catalogue) *matcher {
	// The maps are sized for the catalogue at once (the embedded one's 334
	// entries give 1.5-5 keys each): growing them rehashed every key
	// several times.
	n := 0
	if c != nil {
		n = len(c.Entries)
	}
	m := &matcher{
		exact: make(map[string][]*sdkdb.Entry, 5*n), ambig: map[string][]*sdkdb.Entry{},
		keys: make(map[*sdkdb.Entry][]string, n), bare: make(map[string][]*sdkdb.Entry, 2*n), brandOf: make(map[*sdkdb.Entry]string, n),
		families: map[string]*sdkdb.Entry{}, famOf: map[*sdkdb.Entry]string{}, named: map[*sdkdb.Entry]string{},
		mentions: &dict[*sdkdb.Entry]{}, primary: make(map[string][]*sdkdb.Entry, 3*n), anagrams: make(map[string][]*sdkdb.Entry, 5*n),
		members: map[string][]*sdkdb.Entry{}, strong: make(map[string][]*sdkdb.Entry, 5*n),
	}
	if c == nil {
		return m
	}
	brands := map[string]bool{}
	for _, b := range brandWords {
		brands[b] = true
	}
	addKey := func(mp map[string][]*sdkdb.Entry, k string, e *sdkdb.Entry) {
		for _, x := range mp[k] {
			if x == e {
				return
			}
		}
		mp[k] = append(mp[k], e)
	}
	for _, e := range c.Entries {
		if e == nil {
			continue
		}
		var bt []string
		for _, a := range e.Aliases {
			if strings.HasSuffix(a, "?") {
				k := normName(strings.TrimSuffix(a, "?"))
				if k != "" {
					addKey(m.ambig, k, e)
					m.keys[e] = addUnique(m.keys[e], k)
				}
				continue
			}
			k := normName(a)
			if k == "" {
				continue
			}
			addKey(m.exact, k, e)
			addKey(m.strong, k, e)
			m.keys[e] = addUnique(m.keys[e], k)
			bt = append(bt, k)
			if weight(k) >= 4 {
				m.fuzzy = append(m.fuzzy, fuzzyKey{k, e})
			}
			if mp := mentionPhrase(a); mp != "" {
				m.mentions.add(mp, true, e)
			}
		}
		for _, n := range []string{e.NameZh, e.Name} {
			for _, p := range strings.Split(mainPart(nfkc(n)), "/") {
				if k := normName(p); k != "" {
					addKey(m.strong, k, e)
				}
			}
			for _, k := range nameKeys(n) {
				addKey(m.primary, k, e)
				addKey(m.exact, k, e)
				m.keys[e] = addUnique(m.keys[e], k)
				bt = append(bt, k)
			}
		}
		if mp := mentionPhrase(mainPart(e.NameZh)); mp != "" && strings.IndexFunc(mp, isHan) >= 0 {
			m.mentions.add(mp, true, e)
		}
		for _, v := range append([]string{e.Vendor}, e.VendorAliases...) {
			k := normCompany(v)
			bt = append(bt, k)
			if k != "" && weight(k) <= 8 {
				brands[k] = true
			}
		}
		m.brandOf[e] = strings.Join(bt, "|")
		for _, p := range e.Signals.DexPackages {
			m.pkgs = append(m.pkgs, pkgKey{strings.ToLower(p), e})
		}
	}
	m.brandSet = brands
	for b := range brands {
		m.longestBrand = max(m.longestBrand, len(b))
	}
	for e, keys := range m.keys {
		for _, k := range keys {
			if b, rest := m.splitBrand(k); b != "" {
				addKey(m.bare, rest, e)
			}
			if weight(k) >= 6 {
				addKey(m.anagrams, sortedRunes(k), e)
			}
		}
	}
	slices.SortStableFunc(m.fuzzy, func(a, b fuzzyKey) int { return len(b.key) - len(a.key) })
	m.groupVendors(c)
	for fam, members := range c.Families() {
		if len(members) == 0 {
			continue
		}
		rep := representative(fam, members)
		m.members[fam] = members
		m.families[normName(fam)] = rep
		m.famOf[rep] = fam
		for _, suf := range []string{"-core", "", "-common", "-sdk"} {
			if rep.ID == fam+suf {
				m.named[rep] = fam
			}
		}
	}
	return m
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// mainPart is s before any bracket.
func mainPart(s string) string {
	if i := strings.IndexAny(s, "(（"); i >= 0 {
		return s[:i]
	}
	return s
}

// mentionPhrase is the folded form an alias must take to count as a prose
// mention: at least two Han runes, or four runes of a Latin name.
func mentionPhrase(a string) string {
	p := strings.Join(strings.Fields(fold(a)), " ")
	p = strings.TrimSpace(p)
	if strings.IndexFunc(p, isHan) >= 0 {
		if weight(p) < 4 {
			return ""
		}
		return p
	}
	if utf8.RuneCountInString(p) < 4 {
		return ""
	}
	return p
}

// normCompany is the comparison form of a company name: folded, no spaces or brackets.
func normCompany(s string) string {
	s = squeeze(fold(s))
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune("()（）[]【】", r) {
			return -1
		}
		return r
	}, s)
}

// companyMatches reports whether the row's company names the entry's vendor.
func companyMatches(e *sdkdb.Entry, company string) bool {
	nc := normCompany(company)
	if nc == "" {
		return false
	}
	for _, v := range append([]string{e.Vendor}, e.VendorAliases...) {
		if companyNames(nc, normCompany(v)) {
			return true
		}
	}
	return false
}

// unique returns the single entry of es, or nil when es names none or several.
func unique(es []*sdkdb.Entry) *sdkdb.Entry {
	if len(es) == 0 {
		return nil
	}
	for _, e := range es[1:] {
		if e != es[0] {
			return nil
		}
	}
	return es[0]
}

// candidates are the comparison forms of a row name: the whole name, the
// part before a bracket, and each piece split at brackets, '/', '、' and ','.
func candidates(name string) []string {
	// A package written beside the name may be another SDK's
	// ("腾讯Bugly SDK com.tencent.stat"): the byPackage stage reads it.
	name = strings.TrimSpace(javaPackage().ReplaceAllString(nfkc(name), ""))
	var out []string
	if k := normName(name); k != "" {
		out = append(out, k)
	}
	if k := normName(mainPart(name)); k != "" {
		out = addUnique(out, k)
	}
	// A platform glued to a Latin name ("AliyunOSSiOS") is no part of it.
	if ws := camelWords(mainPart(name)); len(ws) > 1 && slices.ContainsFunc(ws, isPlatform) {
		if k := normName(strings.Join(slices.DeleteFunc(ws, isPlatform), "")); k != "" {
			out = addUnique(out, k)
		}
	}
	for _, p := range strings.FieldsFunc(name, func(r rune) bool { return strings.ContainsRune("()（）/、,，;；|", r) }) {
		if len(out) == maxCandidates {
			break
		}
		if k := normName(p); k != "" {
			out = addUnique(out, k)
		}
	}
	return out
}

// containsKey returns the entry of the longest fuzzy key contained in s on
// Latin word boundaries, or nil when there is none or the longest keys name
// different entries.
func (m *matcher) containsKey(s string, ok func(*sdkdb.Entry) bool) *sdkdb.Entry {
	var best *sdkdb.Entry
	bestLen := 0
	for _, fk := range m.fuzzy {
		if len(fk.key) < bestLen {
			break
		}
		i := strings.Index(s, fk.key)
		if i < 0 || !wholeWord(s, i, i+len(fk.key)) || (ok != nil && !ok(fk.entry)) {
			continue
		}
		if best != nil && best != fk.entry {
			return nil // two entries with equally long keys
		}
		best, bestLen = fk.entry, len(fk.key)
	}
	return best
}

// hasBrand reports whether the entry belongs to the vendor brand b.
func (m *matcher) hasBrand(e *sdkdb.Entry, b string) bool {
	return strings.Contains(m.brandOf[e], b)
}

// splitBrand returns the brand prefix of c and the rest, or "", c.
// The brand is the longest of m.brandSet that is a proper prefix of c, found
// by looking up c's prefixes (a brand is at most twelve bytes) rather than
// by testing every brand.
func (m *matcher) splitBrand(c string) (string, string) {
	for n := min(len(c)-1, m.longestBrand); n > 0; n-- {
		if m.brandSet[c[:n]] {
			return c[:n], c[n:]
		}
	}
	return "", c
}

// cue reports whether the row carries evidence besides its name that it is
// about e: the company names e's vendor, the purpose or data name one of
// e's keys, or the policy link is on the host of e's policy.
func (m *matcher) cue(e *sdkdb.Entry, r *SDKRow) bool {
	if companyMatches(e, r.Company) {
		return true
	}
	ctx := normName(clip(r.Purpose, maxNameRunes) + "|" + clip(r.Data, maxNameRunes))
	for _, k := range m.keys[e] {
		if weight(k) >= 4 && strings.Contains(ctx, k) {
			return true
		}
	}
	if h := host(r.PolicyURL); h != "" && h == host(e.PrivacyPolicyURL) {
		return true
	}
	return false
}

func host(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// match maps a row to a catalogue entry and, when the row names a whole
// product family, to the family's name. See the package documentation.
//
// The family is set when the row names the family itself ("华为HMS", stage 3)
// or maps to a representative whose id says it stands for the family
// (hms-core, umeng-common); a row that maps to a representative picked as the
// first member of category platform or multi is only that entry.
func (m *matcher) match(r *SDKRow) (*sdkdb.Entry, string) {
	e, family := m.matchEntry(r)
	if e == nil {
		return nil, ""
	}
	fam := m.famOf[e]
	if !family {
		fam = m.named[e]
	}
	if fam != "" {
		// "友盟SDK" used for 统计分析 is the family's analytics kit; the row
		// still covers the family.
		text := fold(normName(clip(r.Name, maxNameRunes)) + "|" + clip(r.Purpose, maxNameRunes))
		if k := m.byFunction(m.members[fam], text); k != nil {
			return k, fam
		}
		// "友盟+" whose purpose speaks of 统计分析 five times and of 崩溃 twice
		// is the analytics kit.
		if k := m.dominantKit(m.members[fam], fold(clip(r.Purpose, maxPurposeRunes))); k != nil {
			return k, fam
		}
	}
	return e, fam
}

// matchEntry returns the entry a row maps to and whether the row named its
// family; nil when the row's company rules the entry out (vendor.go).
func (m *matcher) matchEntry(r *SDKRow) (*sdkdb.Entry, bool) {
	e, family, strong := m.matchStages(r)
	if e != nil && m.vetoed(e, r, strong) {
		return nil, false
	}
	return e, family
}

// matchStages runs the stages of the package documentation; strong is set
// when stage 1 found one of the entry's own aliases or names.
func (m *matcher) matchStages(r *SDKRow) (_ *sdkdb.Entry, family, strong bool) {
	cands := candidates(clip(r.Name, maxNameRunes))
	if len(cands) == 0 {
		return nil, false, false
	}
	// 1. exact alias or name.
	for _, c := range cands {
		es := m.exact[c]
		var pick *sdkdb.Entry
		if e := unique(es); e != nil {
			pick = e
		}
		var withCue []*sdkdb.Entry
		for _, e := range es {
			if pick == nil && m.cue(e, r) {
				withCue = append(withCue, e)
			}
		}
		if e := unique(withCue); pick == nil && e != nil {
			pick = e
		}
		if pick == nil && len(es) > 1 {
			var named []*sdkdb.Entry
			for _, e := range es {
				if contains(m.primary[c], e) {
					named = append(named, e)
				}
			}
			pick = unique(named)
		}
		if pick != nil {
			return pick, false, contains(m.strong[c], pick)
		}
	}
	// 1b. the same words in another order.
	for _, c := range cands {
		if weight(c) < 6 {
			continue
		}
		if e := unique(m.anagrams[sortedRunes(c)]); e != nil {
			return e, false, false
		}
	}
	// 2. exact ambiguous alias, with another cue, unless the name says the SDK
	// does what the entry does not ("快手游戏SDK" is not the ads SDK that "快手" may mean).
	for _, c := range cands {
		var withCue []*sdkdb.Entry
		for _, e := range m.ambig[c] {
			if m.cue(e, r) {
				withCue = append(withCue, e)
			}
		}
		if e := unique(withCue); e != nil && m.fits(e, cands[0], r) {
			return e, false, false
		}
	}
	// 3. a family: "HMS", "华为HMS".
	for _, c := range cands {
		if rep := m.families[c]; rep != nil {
			return rep, true, false
		}
		if b, rest := m.splitBrand(c); b != "" {
			if rep := m.families[rest]; rep != nil && m.hasBrand(rep, b) {
				return rep, true, false
			}
		}
	}
	// 4. package name.
	if e := m.byPackage(r.Package); e != nil {
		return e, false, false
	}
	// 5. vendor brand + product keyword: "腾讯IM" → brand 腾讯 + key "im" of an entry of that brand.
	for _, c := range cands {
		b, rest := m.splitBrand(c)
		if b == "" {
			continue
		}
		var hits []*sdkdb.Entry
		for _, e := range append(append(append([]*sdkdb.Entry(nil), m.exact[rest]...), m.ambig[rest]...), m.bare[rest]...) {
			if m.hasBrand(e, b) {
				hits = append(hits, e)
			}
		}
		if e := unique(hits); e != nil {
			return e, false, false
		}
	}
	// 6. the longest alias contained in the name, unless the name says the
	// SDK does what the entry does not ("快手游戏SDK" is not the ads SDK).
	if e := m.containsKey(cands[0], nil); e != nil && m.fits(e, cands[0], r) {
		return e, false, false
	}
	// 7. an alias in the purpose, when the company names the same vendor
	// ("腾讯开发平台SDK", 微信分享), unless the purpose names it as the SDK
	// that carries this one ("由优量汇SDK集成").
	if p := normName(clip(carrierPhrase().ReplaceAllString(r.Purpose, ""), maxNameRunes)); p != "" && r.Company != "" {
		if e := m.containsKey(p, func(e *sdkdb.Entry) bool { return companyMatches(e, r.Company) }); e != nil && m.fits(e, cands[0], r) {
			return e, false, false
		}
	}
	// 8. a common run of three or more Han runes with a key of an entry of the same brand.
	if e := m.byCommonRun(cands); e != nil && m.fits(e, cands[0], r) {
		return e, false, false
	}
	// 9. a brand alone ("华为SDK", "电信SDK") with what the row is for.
	if e := m.byBrandFunction(cands[0], r); e != nil {
		return e, false, false
	}
	// 10. a name that only says what the SDK does ("统计SDK"), with the company that makes it.
	if e := m.byCompanyFunction(cands[0], r); e != nil {
		return e, false, false
	}
	// 11. a Latin product name sharing a word with the name of an entry of
	// the row's company ("ShareContent SDK" of MobTech's company is ShareSDK).
	return m.byCompanyWord(r), false, false
}

// carrierPhrase matches wording that names the SDK carrying a row's SDK
// ("由优量汇SDK集成", "由穿山甲内置"): an alias found there is not the row's.
var carrierPhrase = lazyre.New(`由[^，。；,;、]{1,30}?(集成|内置|嵌入|引入|携带)`)

// fits reports whether e may be the row's entry although it was found by a
// part of the name or purpose: the name names no function e does not do, or
// the company names e's vendor and the purpose names something e does
// ("bilibili联运SDK" of 上海宽娱数码科技 for 登录和支付 is the bilibili login SDK).
func (m *matcher) fits(e *sdkdb.Entry, name string, r *SDKRow) bool {
	if !m.contradicts(e, name) {
		return true
	}
	if !companyMatches(e, r.Company) {
		return false
	}
	for _, f := range functionsIn(fold(clip(r.Purpose, maxNameRunes))) {
		if m.does(e, f) {
			return true
		}
	}
	return false
}

// byCompanyWord maps a name holding Latin words (split at case changes:
// "ShareContent" is share, content) to the one entry of the row's company
// whose id or name before any bracket shares a word of four letters or
// more, not counting words every SDK name has (sdk, android, ios). The
// company must name one vendor group: a cell listing several companies
// says nothing of one SDK.
func (m *matcher) byCompanyWord(r *SDKRow) *sdkdb.Entry {
	words := latinWords(clip(r.Name, maxNameRunes))
	if len(words) == 0 || len(m.companyGroups(r.Company)) != 1 {
		return nil
	}
	var hits []*sdkdb.Entry
	for e := range m.keys {
		if !companyMatches(e, r.Company) {
			continue
		}
		id := strings.ReplaceAll(strings.ReplaceAll(e.ID, "sdk", ""), "-", " ")
		own := latinWords(id + " " + mainPart(e.Name))
		if slices.ContainsFunc(words, func(w string) bool { return slices.Contains(own, w) }) {
			hits = append(hits, e)
		}
	}
	return unique(hits)
}

// latinWords returns the lower-case Latin words of s of four letters or
// more, split at non-letters and at case changes ("AliyunOSSiOS" → aliyun;
// "ShareSDK" → share), without the words of platforms and kits.
func latinWords(s string) []string {
	var out []string
	for _, w := range camelWords(s) {
		w = strings.ToLower(w)
		if len(w) >= 4 && !slices.Contains(genericLatin, w) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// isPlatform reports whether a Latin word names a platform, not a product.
func isPlatform(w string) bool {
	return slices.Contains([]string{"ios", "android", "andriod", "harmonyos"}, strings.ToLower(w))
}

// genericLatin are Latin words of SDK names that say nothing of the product.
var genericLatin = []string{"android", "andriod", "java", "kotlin", "client", "library", "plugin", "service", "services", "module", "component"}

// camelWords splits s into runs of ASCII letters and digits, and those at
// case changes: "AliyunOSSiOS" → Aliyun, OSS, iOS; "ShareSDK" → Share, SDK.
// A lower-case 'i' before capitals stays with them (iOS).
func camelWords(s string) []string {
	var out []string
	rs := []rune(s)
	start := -1
	flush := func(i int) {
		if start >= 0 && i > start {
			out = append(out, string(rs[start:i]))
		}
		start = -1
	}
	for i, r := range rs {
		if !isWord(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		p := rs[i-1]
		upper := r >= 'A' && r <= 'Z'
		switch {
		case upper && p >= 'a' && p <= 'z' && !(p == 'i' && i-1 == start):
			flush(i) // aB: a new word at B ("ShareContent")
			start = i
		case upper && p >= 'A' && p <= 'Z' && i+1 < len(rs) && rs[i+1] >= 'a' && rs[i+1] <= 'z' && !(i+2 < len(rs) && rs[i+1] == 'i' && rs[i+2] >= 'A' && rs[i+2] <= 'Z'):
			flush(i) // ABc: a new word at B ("SDKName" → SDK, Name)
			start = i
		case !upper && p >= 'A' && p <= 'Z' && r == 'i' && i+1 < len(rs) && rs[i+1] >= 'A' && rs[i+1] <= 'Z':
			flush(i) // "OSSiOS": iOS starts at i
			start = i
		}
	}
	flush(len(rs))
	return out
}

// byCompanyFunction maps a name made only of function words ("统计SDK") to
// the entry of the row's company that does that function.
func (m *matcher) byCompanyFunction(c string, r *SDKRow) *sdkdb.Entry {
	fs := functionsIn(c)
	if len(fs) == 0 || r.Company == "" {
		return nil
	}
	rest := c
	for _, f := range fs {
		rest = strings.ReplaceAll(rest, functions[f].word, "")
	}
	if utf8.RuneCountInString(rest) > 2 {
		return nil // more than function words: a product name the other stages did not know
	}
	var es []*sdkdb.Entry
	for e := range m.keys {
		if companyMatches(e, r.Company) {
			es = append(es, e)
		}
	}
	sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
	return m.byFunction(es, c)
}

// listedIDs returns, in the order written, the catalogue ids of a row that
// lists several SDKs: the brands of "华为/小米/vivo/OPPO/魅族/荣耀通道SDK",
// each with the words that end the list, or the kits of "友盟+（统计、推送、
// 分享）"; fewer than two ids when the row lists none.
func (m *matcher) listedIDs(r *SDKRow) []string {
	name := nfkc(clip(r.Name, maxNameRunes))
	var out []string
	add := func(e *sdkdb.Entry) {
		if e != nil && !slices.Contains(out, e.ID) {
			out = append(out, e.ID)
		}
	}
	main, inner := name, ""
	if i := strings.IndexAny(name, "(（"); i > 0 {
		main, inner = name[:i], strings.Trim(name[i:], "()（） ")
	}
	if parts := splitTopLevel(main, "/、,，"); len(parts) >= 2 && len(parts) <= maxListed {
		last := normName(parts[len(parts)-1])
		suffix := ""
		if b, rest := m.splitBrand(last); b != "" {
			suffix = rest
		}
		for _, p := range parts {
			sub := *r
			sub.Name = p
			if k := normName(p); suffix != "" && !strings.HasSuffix(k, suffix) {
				sub.Name = k + suffix
			}
			e, _ := m.matchEntry(&sub)
			add(e)
		}
	}
	if fs := splitTopLevel(inner, "/、,，"); len(fs) >= 2 && len(fs) <= maxListed {
		if e, _ := m.matchEntry(&SDKRow{Name: main, Company: r.Company}); e != nil {
			pool := []*sdkdb.Entry{e}
			if fam := m.famOf[e]; fam != "" {
				pool = m.members[fam]
			} else if fam := e.Family; fam != "" {
				pool = m.members[fam]
			}
			for _, f := range fs {
				add(m.byFunction(pool, fold(f)))
			}
		}
	}
	return out
}

// maxListed bounds the SDKs one row may list.
const maxListed = 12

// functions are the words that say what an SDK does, each with the words
// that mark a catalogue entry doing it.
var functions = []struct{ word, marks string }{
	{"推送", "推送|push"}, {"通道", "推送|push"}, {"统计", "统计|analytics|stat"}, {"分享", "分享|share"}, {"一键登录", "一键登录|认证|auth"},
	{"登录", "登录|login|account|auth"}, {"支付", "支付|pay"}, {"定位", "定位|location"}, {"地图", "地图|map"},
	{"广告", "广告|ads"}, {"崩溃", "崩溃|crash|bugly"}, {"客服", "客服|kf"}, {"联运", "联运|game"},
	{"游戏", "游戏|game|手游"},
}

// functionsIn returns the functions whose word text holds, in order.
func functionsIn(text string) []int {
	var out []int
	for i, f := range functions {
		if strings.Contains(text, f.word) {
			// "一键登录" also holds "登录": keep only the longer word.
			if f.word == "登录" && strings.Contains(text, "一键登录") && !strings.Contains(strings.ReplaceAll(text, "一键登录", ""), "登录") {
				continue
			}
			out = append(out, i)
		}
	}
	return out
}

// does reports whether entry e does function f: its id or its own name
// carries a mark of f (aliases are not asked: "友盟统计SDK(common)" names
// the common library by the kit that needs it).
func (m *matcher) does(e *sdkdb.Entry, f int) bool {
	names := fold(e.ID + "|" + e.Name + "|" + e.NameZh)
	for _, mark := range strings.Split(functions[f].marks, "|") {
		if strings.Contains(names, mark) {
			return true
		}
	}
	return false
}

// byFunction narrows entries to the one that does every function the text
// names; nil when the text names none, or a function none of them does, or
// the functions point at different entries.
func (m *matcher) byFunction(es []*sdkdb.Entry, text string) *sdkdb.Entry {
	fs := functionsIn(text)
	if len(fs) == 0 {
		return nil
	}
	var pick *sdkdb.Entry
	for _, f := range fs {
		var hits []*sdkdb.Entry
		for _, e := range es {
			if m.does(e, f) {
				hits = append(hits, e)
			}
		}
		e := unique(hits)
		if e == nil || pick != nil && e != pick {
			return nil
		}
		pick = e
	}
	return pick
}

// dominantKit returns the entry doing the function the text names more
// often than any other, when exactly one of es does it; else nil (a purpose
// of "分享、登录" names two functions once each and is no one kit's).
func (m *matcher) dominantKit(es []*sdkdb.Entry, text string) *sdkdb.Entry {
	best, second, pick := 0, 0, -1
	for _, f := range functionsIn(text) {
		switch n := strings.Count(text, functions[f].word); {
		case n > best:
			best, second, pick = n, best, f
		case n > second:
			second = n
		}
	}
	if pick < 0 || best == second {
		return nil
	}
	var hits []*sdkdb.Entry
	for _, e := range es {
		if m.does(e, pick) {
			hits = append(hits, e)
		}
	}
	return unique(hits)
}

// maxPurposeRunes bounds the part of a purpose read for how often it names
// a function: a long purpose describes a few functions at length.
const maxPurposeRunes = 2000

// byBrandFunction maps a name that is a brand alone ("华为SDK", "移动SDK")
// or a brand and function words ("移动授权登录") to the entry of that brand
// that does what the name or, failing that, the purpose says ("推送", "登录").
func (m *matcher) byBrandFunction(c string, r *SDKRow) *sdkdb.Entry {
	b, rest := m.splitBrand(c)
	if b == "" && m.brandSet[c] {
		b = c
	}
	if b == "" {
		return nil
	}
	// A brand's "渠道SDK" in a game's list is its 联运 (channel) SDK: "小米渠道SDK".
	rest = strings.ReplaceAll(rest, "渠道", "联运")
	if rest != c && rest != "" && len(functionsIn(rest)) == 0 {
		// "腾讯图灵盾": the rest of the name is a product, not a function.
		return nil
	}
	text := rest
	if len(functionsIn(text)) == 0 {
		text = fold(clip(r.Purpose, maxNameRunes))
	}
	// The brand's entries: those of the row's company when it names one,
	// else those whose names or vendor carry the brand; narrowed, when the
	// function leaves several, to those whose own keys carry the brand.
	var byCompany, byBrand []*sdkdb.Entry
	for e := range m.keys {
		if r.Company != "" && companyMatches(e, r.Company) {
			byCompany = append(byCompany, e)
		}
		if m.hasBrand(e, b) {
			byBrand = append(byBrand, e)
		}
	}
	for _, es := range [][]*sdkdb.Entry{byCompany, byBrand} {
		sort.Slice(es, func(i, j int) bool { return es[i].ID < es[j].ID })
		if e := m.byFunction(es, text); e != nil {
			return e
		}
		// Several of the brand's entries do it: the brand and the function
		// word together may be one entry's alias ("头条 SDK" for 广告 is 头条广告).
		if fs := functionsIn(text); len(fs) == 1 {
			if e := unique(m.exact[b+functions[fs[0]].word]); e != nil && contains(es, e) {
				return e
			}
		}
		var keyed []*sdkdb.Entry
		for _, e := range es {
			if slices.ContainsFunc(m.keys[e], func(k string) bool { return strings.Contains(k, b) }) {
				keyed = append(keyed, e)
			}
		}
		if e := m.byFunction(keyed, text); e != nil {
			return e
		}
	}
	return nil
}

// contradicts reports whether name says the SDK does something that
// neither e's names nor its aliases say it does.
func (m *matcher) contradicts(e *sdkdb.Entry, name string) bool {
	for _, f := range functionsIn(name) {
		if m.does(e, f) {
			continue
		}
		marked := false
		for _, mark := range strings.Split(functions[f].marks, "|") {
			marked = marked || slices.ContainsFunc(m.keys[e], func(k string) bool { return strings.Contains(k, mark) })
		}
		if !marked {
			return true
		}
	}
	return false
}

// sortedRunes returns the runes of s in order, the key of an anagram.
func sortedRunes(s string) string {
	rs := []rune(s)
	slices.Sort(rs)
	return string(rs)
}

func contains(es []*sdkdb.Entry, e *sdkdb.Entry) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}

// byPackage maps a row's package field to the entry with the longest dex package prefix.
func (m *matcher) byPackage(field string) *sdkdb.Entry {
	var best *sdkdb.Entry
	bestLen := 0
	for _, p := range strings.FieldsFunc(strings.ToLower(field), func(r rune) bool {
		return !(isWord(r) || r == '.' || r == '_')
	}) {
		for _, k := range m.pkgs {
			if (p == k.prefix || strings.HasPrefix(p, k.prefix+".")) && len(k.prefix) > bestLen {
				best, bestLen = k.entry, len(k.prefix)
			}
		}
	}
	return best
}

func (m *matcher) byCommonRun(cands []string) *sdkdb.Entry {
	for _, c := range cands {
		b, rest := m.splitBrand(c)
		if b == "" || weight(rest) < 6 {
			continue
		}
		var best *sdkdb.Entry
		bestLen, tie := 0, false
		for _, fk := range m.brandKeys(b) {
			if n := commonHanRun(rest, fk.key); n >= 3 {
				switch {
				case n > bestLen:
					best, bestLen, tie = fk.entry, n, false
				case n == bestLen && fk.entry != best:
					tie = true
				}
			}
		}
		if best != nil && !tie {
			return best
		}
	}
	return nil
}

// brandKeys returns the keys of the entries of brand b, with b removed, sorted for determinism.
func (m *matcher) brandKeys(b string) []fuzzyKey {
	m.brandMu.Lock()
	defer m.brandMu.Unlock()
	if ks, ok := m.byBrand[b]; ok {
		return ks
	}
	if m.byBrand == nil {
		m.byBrand = map[string][]fuzzyKey{}
	}
	var ks []fuzzyKey
	for e, keys := range m.keys {
		if !m.hasBrand(e, b) {
			continue
		}
		for _, k := range keys {
			if k = strings.TrimPrefix(k, b); weight(k) >= 6 {
				ks = append(ks, fuzzyKey{k, e})
			}
		}
	}
	sort.Slice(ks, func(i, j int) bool {
		if ks[i].entry.ID != ks[j].entry.ID {
			return ks[i].entry.ID < ks[j].entry.ID
		}
		return ks[i].key < ks[j].key
	})
	m.byBrand[b] = ks
	return ks
}

// commonHanRun is the length in runes of the longest run of Han runes common to a and b.
func commonHanRun(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 0
	}
	best := 0
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			if ra[i-1] == rb[j-1] && isHan(ra[i-1]) {
				cur[j] = prev[j-1] + 1
				best = max(best, cur[j])
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// maxCandidates bounds the comparison forms tried per row name: a real name
// has a few bracketed or '/'-separated pieces, not dozens.
const maxCandidates = 8

// maxNameRunes bounds the part of a row name (or purpose) the matcher reads:
// real names are short, and the fuzzy stages scan every alias over it.
const maxNameRunes = 120

// clip returns s cut to at most n runes.
func clip(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}
