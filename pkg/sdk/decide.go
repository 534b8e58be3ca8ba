package sdk

import (
	"sort"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// decide turns the collected hits into Detections: min_signals, weak-only
// entries, shared-evidence disambiguation, nesting, versions (from vals), and ordering.
func (m *Matcher) decide(c collector, vals []inventory.VersionValue) []Detection {
	// Entries with enough strong evidence.
	found := map[int]*hits{}
	for i, h := range c {
		if len(h.strong) == 0 {
			continue // weak evidence alone never reports an entry
		}
		kinds := map[string]bool{}
		for k := range h.strong {
			kinds[k.kind] = true
		}
		need := m.entries[i].MinSignals
		if need < 1 {
			need = 1
		}
		if len(kinds) >= need {
			found[i] = h
		}
	}

	// Drop an entry whose strong evidence another detected entry explains
	// while having evidence of its own.
	drop := map[int]bool{}
	for a, ha := range found {
		for b, hb := range found {
			if a == b || nested(m.entries[a], m.entries[b]) {
				continue
			}
			if covered(ha.strong, hb) && !covered(hb.strong, ha) {
				drop[a] = true
				break
			}
		}
	}

	byID := map[string]bool{}
	for i := range found {
		if !drop[i] {
			byID[m.entries[i].ID] = true
		}
	}
	var out []Detection
	for i, h := range found {
		if drop[i] {
			continue
		}
		e := m.entries[i]
		d := Detection{Entry: e, Evidence: evidence(h)}
		d.Version, d.VersionEvidence = m.version(i, vals)
		for _, id := range e.NestedIn {
			if byID[id] {
				d.Via = id
				break
			}
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Entry.ID < out[j].Entry.ID })
	return out
}

// nested reports whether a is nested in b or b in a.
func nested(a, b *sdkdb.Entry) bool {
	for _, id := range a.NestedIn {
		if id == b.ID {
			return true
		}
	}
	for _, id := range b.NestedIn {
		if id == a.ID {
			return true
		}
	}
	return false
}

// covered reports whether every key of ev is evidence (strong or weak) in h.
func covered(ev map[evKey]int, h *hits) bool {
	for k := range ev {
		if _, ok := h.strong[k]; ok {
			continue
		}
		if _, ok := h.weak[k]; ok {
			continue
		}
		return false
	}
	return true
}

// evidence lists an entry's hits: strong before weak, by kind, most classes
// first, at most maxValues per kind and strength.
func evidence(h *hits) []Evidence {
	var out []Evidence
	for _, weak := range []bool{false, true} {
		src := h.strong
		if weak {
			src = h.weak
		}
		var ev []Evidence
		for k, n := range src {
			if weak {
				if _, dup := h.strong[k]; dup {
					continue
				}
			}
			if k.kind == sdkdb.EvidenceDexPackage && (underPackage(k.value, h.strong) || weak && underPackage(k.value, h.weak)) {
				continue // a sub-package of a package already listed, or a weak parent of a strong one
			}
			if weak && k.kind == sdkdb.EvidenceDexPackage && childClasses(k.value, h.strong) >= n {
				continue // a weak parent that holds nothing beyond the strong packages under it
			}
			ev = append(ev, Evidence{Kind: k.kind, Value: k.value, Count: n, Weak: weak})
		}
		sort.Slice(ev, func(i, j int) bool {
			a, b := ev[i], ev[j]
			if a.Kind != b.Kind {
				return sdkdb.EvidenceOrder(a.Kind) < sdkdb.EvidenceOrder(b.Kind)
			}
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			return a.Value < b.Value
		})
		perKind := map[string]int{}
		for _, e := range ev {
			if perKind[e.Kind] < maxValues {
				out = append(out, e)
			}
			perKind[e.Kind]++
		}
	}
	return out
}

// underPackage reports whether pkg lies strictly inside another dex-package value in ev.
func underPackage(pkg string, ev map[evKey]int) bool {
	for k := range ev {
		if k.kind == sdkdb.EvidenceDexPackage && len(pkg) > len(k.value) && strings.HasPrefix(pkg, k.value+".") {
			return true
		}
	}
	return false
}

// childClasses sums the classes of the dex-package values in ev that lie under pkg.
func childClasses(pkg string, ev map[evKey]int) int {
	n := 0
	for k, c := range ev {
		if k.kind == sdkdb.EvidenceDexPackage && strings.HasPrefix(k.value, pkg+".") {
			n += c
		}
	}
	return n
}
