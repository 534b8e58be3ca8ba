package sdk

import (
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// matchKeepRules matches the classes and packages an AAR's -keep rules name
// against dex_packages (longest prefix) and classes. The evidence is always
// weak (sdkdb.EvidenceProguardKeep): a library's consumer rules may keep an
// SDK it depends on without bundling it, so they support a detection and
// never make one.
func (m *Matcher) matchKeepRules(inv *inventory.Inventory, c collector) {
	for _, r := range inv.KeepRules {
		name := strings.TrimSuffix(strings.TrimSuffix(r.Pattern, ".**"), ".*")
		entries := append([]int(nil), m.classes[name]...)
		if n := m.pkgs.longest(name); n != nil {
			for _, i := range n.strong {
				entries = appendOnce(entries, i)
			}
		}
		for _, i := range entries {
			c.add(i, true, sdkdb.EvidenceProguardKeep, r.Pattern, 1)
		}
	}
}
