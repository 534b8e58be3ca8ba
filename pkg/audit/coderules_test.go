package audit

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
)

// TestUnusedPermissionNeedsACompleteScan: the rule fires only when the code
// scan walked every DEX file to its end; each way the scan can fall short
// silences it (the fixtures of pkg/scan's TestUnusedPermissionSilent cover
// packers, class loaders, reflection and a scan that was off).
func TestUnusedPermissionNeedsACompleteScan(t *testing.T) {
	complete := inventory.CallScan{Ran: true, DexFiles: 1, Methods: 10}
	tests := []struct {
		name       string
		scan       inventory.CallScan
		unanalysed []inventory.Unanalysed
		fires      bool
	}{
		{"complete", complete, nil, true},
		{"a DEX only partly analysed", complete, []inventory.Unanalysed{{Path: "classes2.dex", Reason: "code only partly analysed: dex: …"}}, false},
		{"JAR classes not scanned", inventory.CallScan{Ran: true, DexFiles: 1, Incomplete: []string{"3 .class files: the code of JAR classes is not scanned"}}, nil, false},
		{"no DEX file", inventory.CallScan{Ran: true}, nil, false},
		{"class loader", inventory.CallScan{Ran: true, DexFiles: 1, Loaders: []string{"com.example.Plugin"}}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := &inventory.Inventory{App: inventory.App{Package: "com.example"}, Unanalysed: tt.unanalysed,
				Permissions: []inventory.Permission{{Name: "android.permission.RECORD_AUDIO", Protection: "dangerous", Sensitive: true}},
				Code:        inventory.Code{CallScan: tt.scan}}
			n := 0
			for _, f := range Evaluate(Input{Inventory: inv, Disclosure: &policy.Disclosure{}}, nil) {
				if f.Rule == RuleUnusedPermission {
					n++
				}
			}
			assert.Equal(t, tt.fires, n == 1)
		})
	}
}
