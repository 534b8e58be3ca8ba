package policy

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/sdkdb"
)

// Vendor groups: which catalogue entries a row's company can belong to.
//
// A company written in a row either names the entry's vendor (one of its
// legal names or vendor aliases), names another vendor of the same group of
// companies (腾讯 has several legal entities; 北京字节跳动 and 北京巨量引擎 are
// one group), names a vendor of another group (深圳市腾讯计算机系统有限公司
// beside 号码认证SDK, which only China Mobile's entry is called), or names no
// vendor the catalogue knows (a subsidiary, a distributor, a misspelling).
// Only the third contradicts a match.
//
// Groups are read from the catalogue itself: two entries are in one group
// when they share a vendor name or vendor alias, or when a short vendor alias
// of one (a brand: 腾讯, 阿里巴巴, 字节跳动) is part of a vendor name of the
// other (腾讯云计算(北京)有限责任公司).

// maxBrandBytes bounds a brand's length, and so the search for the brands
// a vendor name holds: the longest of the catalogue is "volcengine" (10 bytes).
const maxBrandBytes = 40

// vendorName is one normalised vendor name or alias and its group.
type vendorName struct {
	name  string
	group int
}

// groupVendors fills m.group and m.vendors from the entries of c.
func (m *matcher) groupVendors(c *sdkdb.Catalogue) {
	parent := map[*sdkdb.Entry]*sdkdb.Entry{}
	var find func(e *sdkdb.Entry) *sdkdb.Entry
	find = func(e *sdkdb.Entry) *sdkdb.Entry {
		for parent[e] != e {
			parent[e] = parent[parent[e]]
			e = parent[e]
		}
		return e
	}
	union := func(a, b *sdkdb.Entry) { parent[find(a)] = find(b) }
	names := map[string][]*sdkdb.Entry{} // normalised vendor name → entries
	var order []string
	for _, e := range c.Entries {
		if e == nil {
			continue
		}
		parent[e] = e
		for _, v := range append([]string{e.Vendor}, e.VendorAliases...) {
			if k := normCompany(v); k != "" {
				if _, ok := names[k]; !ok {
					order = append(order, k)
				}
				names[k] = append(names[k], e)
			}
		}
	}
	for _, k := range order {
		es := names[k]
		for _, e := range es[1:] {
			union(e, es[0])
		}
	}
	// A brand joins every vendor name that companyNames says names it.
	// Instead of testing each pair, which grows with the square of the
	// catalogue, each name is searched for the brands it holds (through the
	// set of brand prefixes) and each brand for the names it holds: the work
	// grows with the total length of the names.
	brands, prefixes := map[string]bool{}, map[string]bool{}
	for _, k := range order {
		if isBrand(k) {
			brands[k] = true
			for j := 1; j <= len(k); j++ {
				prefixes[k[:j]] = true
			}
		}
	}
	for _, k := range order {
		for i := 0; i < len(k); i++ {
			if !utf8.RuneStart(k[i]) {
				continue
			}
			for j := i + 1; j <= len(k) && prefixes[k[i:j]]; j++ {
				if b := k[i:j]; brands[b] && b != k && (j == len(k) || utf8.RuneStart(k[j])) && wholeWord(k, i, j) {
					union(names[k][0], names[b][0])
				}
			}
		}
	}
	for _, b := range order {
		if !brands[b] {
			continue
		}
		for i := 0; i < len(b); i++ {
			if !utf8.RuneStart(b[i]) {
				continue
			}
			for j := i + 1; j <= len(b); j++ {
				if s := b[i:j]; s != b && (j == len(b) || utf8.RuneStart(b[j])) && names[s] != nil && weight(s) >= 4 {
					union(names[s][0], names[b][0])
				}
			}
		}
	}
	ids := map[*sdkdb.Entry]int{}
	m.group = map[*sdkdb.Entry]int{}
	for _, e := range c.Entries {
		if e == nil {
			continue
		}
		root := find(e)
		if _, ok := ids[root]; !ok {
			ids[root] = len(ids) + 1
		}
		m.group[e] = ids[root]
	}
	for _, k := range order {
		m.vendors = append(m.vendors, vendorName{k, m.group[names[k][0]]})
	}
}

// isBrand reports whether a normalised vendor alias is a brand (腾讯, 阿里巴巴,
// Google) rather than a legal name: at most four Han runes, or one Latin
// word of at most maxBrandBytes, and no company suffix.
func isBrand(k string) bool {
	if len(k) > maxBrandBytes || strings.HasSuffix(k, "公司") || strings.Contains(k, "有限") {
		return false
	}
	if strings.IndexFunc(k, isHan) >= 0 {
		return weight(k) <= 8
	}
	return len(k) >= 3 && !strings.ContainsAny(k, " ,.")
}

// companyNames reports whether the normalised company nc names the
// normalised vendor nv: nc holds nv (Latin names on word boundaries), or
// nc, of weight four or more, is part of nv.
func companyNames(nc, nv string) bool {
	if nc == "" || nv == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(nc[i:], nv)
		if j < 0 {
			break
		}
		if wholeWord(nc, i+j, i+j+len(nv)) {
			return true
		}
		i += j + 1
	}
	return weight(nc) >= 4 && strings.Contains(nv, nc)
}

// companyGroups returns the vendor groups whose vendors the company names.
func (m *matcher) companyGroups(company string) []int {
	nc := normCompany(company)
	var out []int
	for _, v := range m.vendors {
		if companyNames(nc, v.name) && !slices.Contains(out, v.group) {
			out = append(out, v.group)
		}
	}
	return out
}

// contradicted reports whether the row's company names a vendor of another
// group than e's and none of e's group.
func (m *matcher) contradicted(e *sdkdb.Entry, company string) bool {
	gs := m.companyGroups(company)
	return len(gs) > 0 && !slices.Contains(gs, m.group[e])
}

// namesBrand reports whether the row's name itself carries a brand of e
// ("小米 PUSH SDK" written by the aggregator 每日互动 is still Xiaomi's).
func (m *matcher) namesBrand(e *sdkdb.Entry, name string) bool {
	n := normName(clip(name, maxNameRunes))
	for i := 0; i < len(n); i++ {
		if !utf8.RuneStart(n[i]) {
			continue
		}
		for j := i + 1; j <= min(len(n), i+m.longestBrand); j++ {
			if b := n[i:j]; m.brandSet[b] && (j == len(n) || utf8.RuneStart(n[j])) && wholeWord(n, i, j) && m.hasBrand(e, b) {
				return true
			}
		}
	}
	return false
}

// vetoed reports whether the row's company rules out e: it names another
// group's vendor, and the name neither is one of e's own aliases or names
// (strong) nor carries e's brand.
func (m *matcher) vetoed(e *sdkdb.Entry, r *SDKRow, strong bool) bool {
	return !strong && m.contradicted(e, r.Company) && !m.namesBrand(e, r.Name)
}
