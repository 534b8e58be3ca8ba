package sdk

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// The parties a Read is attributed to besides SDK ids.
const (
	// ByApp is the app's own code: classes in the app's package.
	ByApp = "app"
	// ByUnattributed is code in no known package: an obfuscated top-level
	// name, or a library the catalogue does not know.
	ByUnattributed = "unattributed"
)

// MaxCallers bounds the calling classes a Read lists.
const MaxCallers = 3

// Read is one sensitive API read by one party of the build: the call sites
// of an API, summed over the classes of one SDK, of the app, or of code in
// no known package.
type Read struct {
	// API is the dotted class and member; for a string constant, the API
	// that reads through it (Constants then holds the constants).
	API       string
	Constants []string
	// Data is the personal-information type (pkg/policy's vocabulary);
	// Detail a finer name, or "".
	Data, Detail string
	// Permissions are those the API needs, the usual one first.
	Permissions []string
	// By is an SDK id, ByApp or ByUnattributed.
	By string
	// Count is the number of call sites (reflective lookups when Reflective).
	Count int
	// Callers are up to MaxCallers calling classes, most call sites first.
	Callers []string
	// Classes is the number of calling classes, Callers included.
	Classes int
	// Reflective reads reach the API through visible reflection, not a call.
	Reflective bool
}

// Attribute attributes each call site of inv's code scan to the party
// whose code holds it and sums them into Reads, one per API, data type,
// party and kind of reach, sorted by party, data, API. A class belongs to
// the detected SDK whose catalogue package prefix (or distinctive class)
// it falls under, the longest prefix winning; to the app when it is in
// the app's package and no longer SDK prefix claims it; else to no one
// (ByUnattributed). Only detected SDKs (dets) receive reads: a prefix of an
// SDK that was not reported claims nothing.
func (m *Matcher) Attribute(inv *inventory.Inventory, dets []Detection) []Read {
	if inv == nil || len(inv.Code.Calls) == 0 {
		return nil
	}
	reported := map[*sdkdb.Entry]bool{}
	for _, d := range dets {
		reported[d.Entry] = true
	}
	detected := map[int]bool{}
	for i, e := range m.entries {
		if reported[e] {
			detected[i] = true
		}
	}
	owner := map[string]string{} // class → party, each class resolved once
	type key struct {
		api, data, by string
		reflective    bool
	}
	type acc struct {
		r       Read
		callers map[string]int
	}
	reads := map[key]*acc{}
	var order []key
	for _, c := range inv.Code.Calls {
		by, ok := owner[c.Class]
		if !ok {
			by = m.owner(c.Class, inv.App.Package, detected)
			owner[c.Class] = by
		}
		k := key{c.API, c.Data, by, c.Reflective}
		a := reads[k]
		if a == nil {
			a = &acc{r: Read{API: c.API, Data: c.Data, Detail: c.Detail, Permissions: c.Permissions, By: by, Reflective: c.Reflective},
				callers: map[string]int{}}
			reads[k] = a
			order = append(order, k)
		}
		a.r.Count += c.Count
		a.callers[c.Class] += c.Count
		if c.Constant != "" && !slices.Contains(a.r.Constants, c.Constant) {
			a.r.Constants = append(a.r.Constants, c.Constant)
		}
		if a.r.Detail == "" {
			a.r.Detail = c.Detail
		}
	}
	out := make([]Read, 0, len(order))
	for _, k := range order {
		a := reads[k]
		r := a.r
		classes := make([]string, 0, len(a.callers))
		for c := range a.callers {
			classes = append(classes, c)
		}
		slices.SortFunc(classes, func(x, y string) int { return cmp.Or(cmp.Compare(a.callers[y], a.callers[x]), cmp.Compare(x, y)) })
		r.Classes = len(classes)
		r.Callers = classes[:min(len(classes), MaxCallers)]
		slices.Sort(r.Constants)
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Read) int {
		return cmp.Or(cmp.Compare(a.By, b.By), cmp.Compare(a.Data, b.Data), cmp.Compare(a.API, b.API),
			cmp.Compare(boolRank(a.Reflective), boolRank(b.Reflective)))
	})
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// owner returns the party whose code the dotted class is.
func (m *Matcher) owner(class, appPkg string, detected map[int]bool) string {
	for _, i := range m.classes[class] {
		if detected[i] {
			return m.entries[i].ID
		}
	}
	pkg := ""
	if j := strings.LastIndexByte(class, '.'); j > 0 {
		pkg = class[:j]
	}
	// The deepest trie node with a detected entry, strong before weak.
	best, bestDepth := "", 0
	weak, weakDepth := "", 0
	cur, depth := m.pkgs, 0
	for rest := pkg; rest != "" && cur != nil; {
		var seg string
		seg, rest, _ = strings.Cut(rest, ".")
		cur = cur.children[seg]
		depth++
		if cur == nil {
			break
		}
		if id := firstDetected(m.entries, cur.strong, detected); id != "" {
			best, bestDepth = id, depth
		}
		if id := firstDetected(m.entries, cur.weak, detected); id != "" {
			weak, weakDepth = id, depth
		}
	}
	// A distinctive class claims its own package (as Match counts it when
	// class names are not kept).
	if id := firstDetected(m.entries, m.classPkgs[strings.ReplaceAll(pkg, ".", "/")], detected); id != "" && depth >= bestDepth {
		best, bestDepth = id, strings.Count(pkg, ".")+1
	}
	if best == "" {
		best, bestDepth = weak, weakDepth
	}
	if appPkg != "" && (pkg == appPkg || strings.HasPrefix(pkg, appPkg+".")) {
		if appDepth := strings.Count(appPkg, ".") + 1; best == "" || appDepth > bestDepth {
			return ByApp
		}
	}
	if best != "" {
		return best
	}
	return ByUnattributed
}

// firstDetected returns the smallest id among the detected entries of list, or "".
func firstDetected(entries []*sdkdb.Entry, list []int, detected map[int]bool) string {
	id := ""
	for _, i := range list {
		if detected[i] && (id == "" || entries[i].ID < id) {
			id = entries[i].ID
		}
	}
	return id
}

// UsedBy returns the parties (SDK ids, ByApp, ByUnattributed) whose code
// reaches an API that needs perm, by a call or by visible reflection,
// sorted and without duplicates. It is the one definition of who uses a
// permission: permissions[].used_by and unused-permission both read it.
func UsedBy(reads []Read, perm string) []string {
	var out []string
	for _, r := range reads {
		if slices.Contains(r.Permissions, perm) && !slices.Contains(out, r.By) {
			out = append(out, r.By)
		}
	}
	slices.Sort(out)
	return out
}

// DataReadBy returns the data types the code of party by reads, sorted,
// without duplicates.
func DataReadBy(reads []Read, by string) []string {
	var out []string
	for _, r := range reads {
		if r.By == by && !slices.Contains(out, r.Data) {
			out = append(out, r.Data)
		}
	}
	slices.Sort(out)
	return out
}

// WithCodeEvidence returns dets with one code-call Evidence per read of
// each SDK's own code appended: the API (and its string constants), the
// number of call sites and up to MaxCallers calling classes. The
// detections' evidence slices are copied, not changed.
func WithCodeEvidence(dets []Detection, reads []Read) []Detection {
	out := slices.Clone(dets)
	for i := range out {
		var ev []Evidence
		for _, r := range reads {
			if out[i].Entry != nil && r.By == out[i].Entry.ID {
				ev = append(ev, Evidence{Kind: sdkdb.EvidenceCodeCall, Value: r.Where(), Count: r.Count})
			}
		}
		if ev != nil {
			out[i].Evidence = append(slices.Clip(out[i].Evidence), ev...)
		}
	}
	return out
}

// Where names the read for evidence: the API, its string constants, the
// kind of reach when it is reflection, and the calling classes,
// "android.content.ContentResolver.query \"content://sms\" in cn.jpush.a.B, cn.jpush.a.C (+2 more)".
func (r Read) Where() string {
	var b strings.Builder
	b.WriteString(r.API)
	for _, c := range r.Constants {
		b.WriteString(" \"" + c + "\"")
	}
	if r.Reflective {
		b.WriteString(" by reflection")
	}
	b.WriteString(" in " + strings.Join(r.Callers, ", "))
	if more := r.Classes - len(r.Callers); more > 0 {
		b.WriteString(" (+" + strconv.Itoa(more) + " more)")
	}
	return b.String()
}
