package sdk

import (
	"path"
	"sort"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// maxValues bounds how many values of one evidence kind a Detection lists
// (the most significant first); DEX packages are already folded into their
// catalogue prefix, so this only trims long component or asset lists.
const maxValues = 10

const appIDVar = "${applicationId}"

// Matcher finds catalogue SDKs in inventories. Build it once with NewMatcher;
// it is read-only afterwards and safe for concurrent use.
type Matcher struct {
	entries []*sdkdb.Entry

	pkgs      *node            // DEX package prefixes and weak names, by package segment
	classes   map[string][]int // dotted class name → entries
	classPkgs map[string][]int // slash-separated package of a class → entries (when ClassNames are absent)

	compExact  map[string][]ref // component class → entries
	compPrefix map[string][]ref // "pkg" of "pkg.*" → entries
	compSuffix map[string][]ref // ".wxapi.WXEntryActivity" of "*.wxapi.WXEntryActivity" → entries
	compAppID  []suffixRef      // "${applicationId}.x.Y": suffix ".x.Y"

	metaData  map[string][]ref
	permExact map[string][]int
	permAppID []suffixRef
	versions  map[string][]int
	strs      map[string][]int
	libs      []globRef
	assets    []globRef

	want []string

	jni    *node             // jni_classes, by package segment (strong only)
	vsrc   [][]versionSource // each entry's version locations, compiled
	vquery inventory.VersionQuery
}

// ref is one entry interested in a value, strongly or as weak evidence.
type ref struct {
	entry int
	weak  bool
	pat   string // the catalogue pattern, reported as the value for prefix patterns
}

type suffixRef struct {
	suffix string
	entry  int
}

type globRef struct {
	glob  string
	entry int
	weak  bool
}

// node is one package segment in the prefix trie.
type node struct {
	children map[string]*node
	prefix   string // dotted prefix ending here
	strong   []int  // entries listing the prefix in dex_packages
	weak     []int  // entries listing it in weak
}

func (n *node) child(seg string) *node {
	if c := n.children[seg]; c != nil {
		return c
	}
	if n.children == nil {
		n.children = map[string]*node{}
	}
	c := &node{prefix: seg}
	if n.prefix != "" {
		c.prefix = n.prefix + "." + seg
	}
	n.children[seg] = c
	return c
}

// insert adds a dotted prefix for entry i.
func (n *node) insert(dotted string, i int, weak bool) {
	cur := n
	for _, seg := range strings.Split(dotted, ".") {
		if seg == "" {
			return
		}
		cur = cur.child(seg)
	}
	if weak {
		cur.weak = appendOnce(cur.weak, i)
	} else {
		cur.strong = appendOnce(cur.strong, i)
	}
}

func appendOnce(s []int, i int) []int {
	for _, v := range s {
		if v == i {
			return s
		}
	}
	return append(s, i)
}

// NewMatcher compiles the catalogue's signals into lookup tables: a trie over
// package segments for DEX prefixes and weak names, exact maps for classes,
// components, meta-data keys, permission definitions, version files and
// strings, and globs for native libraries and assets. A nil catalogue gives a
// matcher that finds nothing.
func NewMatcher(c *sdkdb.Catalogue) *Matcher {
	m := &Matcher{
		pkgs: &node{}, classes: map[string][]int{}, classPkgs: map[string][]int{},
		compExact: map[string][]ref{}, compPrefix: map[string][]ref{}, compSuffix: map[string][]ref{},
		metaData: map[string][]ref{}, permExact: map[string][]int{}, versions: map[string][]int{}, strs: map[string][]int{},
	}
	if c == nil {
		return m
	}
	m.entries = c.Entries
	m.vsrc, m.vquery = compileVersions(c.Entries)
	want := map[string]bool{}
	for i, e := range c.Entries {
		s := &e.Signals
		for _, p := range s.DexPackages {
			m.pkgs.insert(p, i, false)
		}
		for _, cl := range s.Classes {
			m.classes[cl] = appendOnce(m.classes[cl], i)
			if j := strings.LastIndexByte(cl, '.'); j > 0 {
				p := strings.ReplaceAll(cl[:j], ".", "/")
				m.classPkgs[p] = appendOnce(m.classPkgs[p], i)
			}
		}
		for _, g := range s.NativeLibs {
			m.libs = append(m.libs, globRef{g, i, false})
		}
		for _, j := range s.JNIClasses {
			if m.jni == nil {
				m.jni = &node{}
			}
			m.jni.insert(j, i, false)
		}
		for _, comp := range s.Components {
			m.addComponent(comp, i, false)
		}
		for _, k := range s.MetaData {
			m.metaData[k] = append(m.metaData[k], ref{entry: i})
		}
		for _, p := range s.PermissionsDefined {
			if rest, ok := strings.CutPrefix(p, appIDVar); ok {
				m.permAppID = append(m.permAppID, suffixRef{rest, i})
			} else {
				m.permExact[p] = appendOnce(m.permExact[p], i)
			}
		}
		for _, a := range s.Assets {
			m.assets = append(m.assets, globRef{strings.TrimPrefix(a, "assets/"), i, false})
		}
		for _, v := range s.VersionFiles {
			v = strings.TrimSuffix(strings.TrimPrefix(v, "META-INF/"), ".version")
			m.versions[v] = appendOnce(m.versions[v], i)
		}
		for _, str := range s.Strings {
			m.strs[str] = appendOnce(m.strs[str], i)
			want[str] = true
		}
		// A weak package prefix also counts for the components under it and
		// for a meta-data key of that name (sdkdb.WeakSignals).
		for _, w := range s.Weak.DexPackages {
			m.pkgs.insert(w, i, true)
			m.compPrefix[w] = append(m.compPrefix[w], ref{entry: i, weak: true, pat: w + ".*"})
			m.compExact[w] = append(m.compExact[w], ref{entry: i, weak: true})
			m.metaData[w] = append(m.metaData[w], ref{entry: i, weak: true})
		}
		for _, w := range s.Weak.NativeLibs {
			m.libs = append(m.libs, globRef{w, i, true})
		}
		for _, w := range s.Weak.Components {
			m.addComponent(w, i, true)
		}
		for _, w := range s.Weak.MetaData {
			m.metaData[w] = append(m.metaData[w], ref{entry: i, weak: true})
		}
	}
	for s := range want {
		m.want = append(m.want, s)
	}
	sort.Strings(m.want)
	return m
}

// addComponent files one component pattern: exact, "pkg.*", "*.Suffix" or "${applicationId}.Suffix".
func (m *Matcher) addComponent(comp string, i int, weak bool) {
	switch {
	case strings.HasPrefix(comp, appIDVar):
		if !weak {
			m.compAppID = append(m.compAppID, suffixRef{strings.TrimPrefix(comp, appIDVar), i})
		}
	case strings.HasPrefix(comp, "*."):
		suf := comp[1:] // ".wxapi.WXEntryActivity"
		m.compSuffix[suf] = append(m.compSuffix[suf], ref{entry: i, weak: weak, pat: comp})
	case strings.HasSuffix(comp, ".*"):
		p := strings.TrimSuffix(comp, ".*")
		m.compPrefix[p] = append(m.compPrefix[p], ref{entry: i, weak: weak, pat: comp})
	default:
		m.compExact[comp] = append(m.compExact[comp], ref{entry: i, weak: weak})
	}
}

// WantStrings returns the DEX string constants some entry looks for, sorted.
// Pass them to the inventory (Options.WantStrings) so that it counts only those.
func (m *Matcher) WantStrings() []string {
	return append([]string(nil), m.want...)
}

// evKey identifies one piece of evidence for one entry.
type evKey struct {
	kind, value string
}

// hits gathers the evidence for one entry during a Match.
type hits struct {
	strong map[evKey]int
	weak   map[evKey]int
}

type collector map[int]*hits

func (c collector) add(entry int, weak bool, kind, value string, n int) {
	h := c[entry]
	if h == nil {
		h = &hits{strong: map[evKey]int{}, weak: map[evKey]int{}}
		c[entry] = h
	}
	if weak {
		h.weak[evKey{kind, value}] += n
	} else {
		h.strong[evKey{kind, value}] += n
	}
}

// atLeast records strong evidence with count n unless the same evidence is
// already there with a count at least as large (a class's package that a
// DEX prefix of the same entry already counted).
func (c collector) atLeast(entry int, kind, value string, n int) {
	if h := c[entry]; h != nil {
		if have, ok := h.strong[evKey{kind, value}]; ok {
			if have < n {
				h.strong[evKey{kind, value}] = n
			}
			return
		}
	}
	c.add(entry, false, kind, value, n)
}

// Match returns the SDKs whose evidence is in inv, sorted by id. The rules:
//
//   - DEX prefixes match whole package segments, the package itself and its
//     sub-packages; when prefixes of several entries nest, the longest wins
//     the package. Evidence is one item per catalogue prefix with the classes
//     of every package under it summed.
//   - Weak values count only for an entry that has its own (strong) evidence;
//     an entry with weak evidence alone is never reported.
//   - An entry needs strong evidence of at least min_signals distinct kinds
//     (default 1).
//   - An entry whose strong evidence is all shared with another detected
//     entry that has evidence of its own (TRTC vs the LiteAV core it bundles,
//     Umeng vs Aliyun push over com.taobao.accs) is dropped in favour of that
//     entry, unless one is nested in the other.
//   - An entry detected next to an SDK it is nested_in gets Via set to that SDK's id.
//   - Native libraries match by file name and DT_SONAME, and by the Java
//     classes they bind (matchNative); an AAR's -keep rules add weak
//     evidence (matchKeepRules).
//   - A detection's Version is read from the first of its entry's version
//     locations that the inventory's VersionValues hold (version).
func (m *Matcher) Match(inv *inventory.Inventory) []Detection {
	if inv == nil || len(m.entries) == 0 {
		return nil
	}
	c := collector{}
	m.matchPackages(inv, c)
	m.matchClasses(inv, c)
	m.matchComponents(inv, c)
	for _, md := range inv.MetaData {
		for _, r := range m.metaData[md.Name] {
			c.add(r.entry, r.weak, sdkdb.EvidenceMetaData, md.Name, 1)
		}
	}
	for _, p := range inv.PermissionDefs {
		for _, i := range m.permExact[p.Name] {
			c.add(i, false, sdkdb.EvidencePermissionDefined, p.Name, 1)
		}
		for _, s := range m.permAppID {
			if matchAppID(p.Name, inv.App.Package, s.suffix) {
				c.add(s.entry, false, sdkdb.EvidencePermissionDefined, p.Name, 1)
			}
		}
	}
	m.matchFiles(inv, c)
	m.matchNative(inv, c)
	m.matchKeepRules(inv, c)
	for _, v := range inv.VersionFiles {
		for _, i := range m.versions[v.Name] {
			c.add(i, false, sdkdb.EvidenceVersionFile, v.Name, 1)
		}
	}
	for s, n := range inv.Strings {
		if n <= 0 {
			continue
		}
		for _, i := range m.strs[s] {
			c.add(i, false, sdkdb.EvidenceString, s, n)
		}
	}
	return m.decide(c, inv.VersionValues)
}

// matchPackages walks every inventory package down the prefix trie.
func (m *Matcher) matchPackages(inv *inventory.Inventory, c collector) {
	for _, p := range inv.Code.Packages {
		if p.Name == "" {
			continue
		}
		cur := m.pkgs
		var deepest *node
		rest := p.Name
		for rest != "" {
			seg := rest
			if j := strings.IndexByte(rest, '/'); j >= 0 {
				seg, rest = rest[:j], rest[j+1:]
			} else {
				rest = ""
			}
			cur = cur.children[seg]
			if cur == nil {
				break
			}
			if len(cur.strong) > 0 {
				deepest = cur
			}
			for _, i := range cur.weak {
				c.add(i, true, sdkdb.EvidenceDexPackage, cur.prefix, p.Classes)
			}
		}
		if deepest != nil {
			for _, i := range deepest.strong {
				c.add(i, false, sdkdb.EvidenceDexPackage, deepest.prefix, p.Classes)
			}
		}
	}
}

// matchClasses looks distinctive classes up by name, or, when the inventory
// kept no class names, by their package.
func (m *Matcher) matchClasses(inv *inventory.Inventory, c collector) {
	if len(m.classes) == 0 {
		return
	}
	if len(inv.Code.ClassNames) > 0 {
		for _, cl := range inv.Code.ClassNames {
			for _, i := range m.classes[cl] {
				c.add(i, false, sdkdb.EvidenceDexPackage, cl, 1)
			}
		}
		return
	}
	for _, p := range inv.Code.Packages {
		for _, i := range m.classPkgs[p.Name] {
			c.atLeast(i, sdkdb.EvidenceDexPackage, strings.ReplaceAll(p.Name, "/", "."), p.Classes)
		}
	}
}

// matchComponents checks every manifest component against exact names,
// "pkg.*" prefixes, "*.Suffix" patterns and ${applicationId} patterns.
func (m *Matcher) matchComponents(inv *inventory.Inventory, c collector) {
	cs := &inv.Components
	for _, list := range [][]inventory.Component{cs.Activities, cs.Services, cs.Receivers, cs.Providers} {
		for _, comp := range list {
			name := comp.Name
			for _, r := range m.compExact[name] {
				c.add(r.entry, r.weak, sdkdb.EvidenceComponent, name, 1)
			}
			// Every enclosing package, for "pkg.*".
			for j := strings.LastIndexByte(name, '.'); j > 0; j = strings.LastIndexByte(name[:j], '.') {
				for _, r := range m.compPrefix[name[:j]] {
					c.add(r.entry, r.weak, sdkdb.EvidenceComponent, name, 1)
				}
			}
			// Every dotted suffix, for "*.Suffix".
			for j := strings.IndexByte(name, '.'); j >= 0; {
				for _, r := range m.compSuffix[name[j:]] {
					c.add(r.entry, r.weak, sdkdb.EvidenceComponent, name, 1)
				}
				k := strings.IndexByte(name[j+1:], '.')
				if k < 0 {
					break
				}
				j += 1 + k
			}
			for _, s := range m.compAppID {
				if matchAppID(name, inv.App.Package, s.suffix) {
					c.add(s.entry, false, sdkdb.EvidenceComponent, name, 1)
				}
			}
		}
	}
}

// matchAppID reports whether name is ${applicationId}+suffix for the app's
// package, or, when the package is unknown, whether it ends in suffix. A
// library manifest (an AAR's) keeps the placeholder itself, which the app's
// build replaces: "${applicationId}.permission.JPUSH_MESSAGE".
func matchAppID(name, appPkg, suffix string) bool {
	if strings.HasPrefix(name, appIDVar) {
		return name == appIDVar+suffix
	}
	if appPkg != "" {
		return name == appPkg+suffix
	}
	return strings.HasSuffix(name, suffix) && len(name) > len(suffix)
}

// matchFiles checks native libraries and assets against the globs.
func (m *Matcher) matchFiles(inv *inventory.Inventory, c collector) {
	if len(m.libs) > 0 {
		seen := map[string]bool{}
		for _, p := range inv.NativeLibs {
			base := path.Base(p)
			if seen[base] {
				continue
			}
			seen[base] = true
			for _, g := range m.libs {
				if ok, _ := path.Match(g.glob, base); ok {
					c.add(g.entry, g.weak, sdkdb.EvidenceNativeLib, base, 1)
				}
			}
		}
	}
	if len(m.assets) > 0 {
		for _, p := range inv.Assets {
			rel := p
			if j := strings.LastIndex(rel, "!/"); j >= 0 {
				rel = rel[j+2:]
			}
			rel = strings.TrimPrefix(rel, "assets/")
			base := path.Base(rel)
			for _, g := range m.assets {
				ok, _ := path.Match(g.glob, rel)
				if !ok && !strings.Contains(g.glob, "/") {
					ok, _ = path.Match(g.glob, base)
				}
				if ok {
					c.add(g.entry, g.weak, sdkdb.EvidenceAsset, rel, 1)
				}
			}
		}
	}
}
