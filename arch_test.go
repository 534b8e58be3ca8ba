package apkaudit_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// allowed lists, for every apkaudit package, the apkaudit packages it may
// import: the layer table of STYLE.md section 4 (readers at the bottom, rules
// in the middle, renderers and CLI on top; a package imports only from lower
// layers, never from its own). A new edge that is not here fails the build on
// purpose. The table's few additions, each with its reason:
//
//   - pkg/lazyre, a leaf written after the table (regular expressions
//     compiled on first use), may be imported by any package;
//   - sdkdb imports pkg/permissions to validate the permission names
//     catalogue entries list;
//   - pkg/report imports sdkdb for the evidence kinds and to render sdkdb
//     list and show through the same renderers as every other command;
//   - pkg/doctext and pkg/policy import pkg/limits for the policy-size bounds;
//   - sdkdb and pkg/audit import pkg/limits to open and bound their files
//     (catalogue, config, baseline) as every input is (limits.ReadFileAtMost);
//   - pkg/classfile imports pkg/dex (issue 13's reader of JAR class files
//     shares the DEX reader's descriptor and value helpers);
//   - pkg/audit imports pkg/piapi (a table, like pkg/permissions) to know
//     which permissions the sensitive-API table covers (unused-permission)
//     and the APIs that need each;
//   - pkg/inventory/collect imports pkg/piapi to scan code for its APIs;
//   - pkg/inventory is split in two: the types, which import nothing, and
//     pkg/inventory/collect, which fills them with the readers, so that the
//     packages above depend on no reader even indirectly;
//   - pkg/report imports pkg/srcmanifest for the type of the source
//     manifest's lines, which the CLI reads (--source-root) and SARIF points at;
//   - pkg/manifest imports pkg/inventory (the types, which import nothing)
//     so that a component, a meta-data element and the application flags
//     are defined once, where the decoders fill them and the inventory keeps them;
//   - pkg/container imports pkg/inflate, the DEFLATE decoder it reads
//     mapped entries with, which imports nothing;
//   - internal/testenv and the tests/ packages are test-only and import nothing.
var allowed = map[string][]string{
	"pkg/limits":      {},
	"pkg/permissions": {},
	"pkg/lazyre":      {},
	"pkg/isolate":     {"pkg/limits"},
	"pkg/inflate":     {},
	"pkg/container":   {"pkg/limits", "pkg/inflate"},
	"pkg/manifest":    {"pkg/limits", "pkg/inventory"},
	"pkg/dex":         {"pkg/limits"},
	"sdkdb":           {"pkg/permissions", "pkg/lazyre", "pkg/limits"},
	"pkg/native":      {"pkg/limits"},
	"pkg/classfile":   {"pkg/dex"},
	"pkg/piapi":       {},
	"pkg/srcmanifest": {"pkg/limits"},
	"pkg/doctext":     {"pkg/limits", "pkg/lazyre", "pkg/isolate"},
	"pkg/inventory":   {},
	// collect builds the Inventory: the only package that knows all the readers.
	"pkg/inventory/collect":     {"pkg/inventory", "pkg/container", "pkg/manifest", "pkg/dex", "pkg/native", "pkg/classfile", "pkg/permissions", "pkg/limits", "pkg/piapi"},
	"pkg/sdk":                   {"pkg/inventory", "sdkdb"},
	"pkg/policy":                {"pkg/doctext", "pkg/permissions", "sdkdb", "pkg/limits", "pkg/lazyre"},
	"pkg/audit":                 {"pkg/inventory", "pkg/sdk", "pkg/policy", "pkg/permissions", "pkg/piapi", "sdkdb", "pkg/limits"},
	"pkg/diff":                  {"pkg/inventory", "pkg/sdk"},
	"pkg/scan":                  {"pkg/audit", "pkg/diff", "pkg/inventory", "pkg/inventory/collect", "pkg/sdk", "pkg/policy", "pkg/doctext", "pkg/container", "pkg/limits", "sdkdb"},
	"pkg/report":                {"pkg/audit", "pkg/diff", "pkg/inventory", "pkg/sdk", "pkg/policy", "sdkdb", "pkg/srcmanifest"},
	"cmd/apkaudit":              {"cmd/apkaudit/internal/cli", "pkg/doctext", "pkg/isolate"},
	"cmd/apkaudit/internal/cli": {"pkg/scan", "pkg/report", "pkg/audit", "pkg/limits", "sdkdb", "pkg/srcmanifest"},
	"tests/malformed":           {},
	"internal/testenv":          {},
	"tests/sdkbinaries":         {},
	"tests/release":             {},
}

const module = "github.com/apkaudit/apkaudit/"

func TestImportGraphIsOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	require.NoError(t, err)
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], module)
		if pkg == strings.TrimSuffix(module, "/") || strings.HasPrefix(pkg, "scripts/") {
			continue
		}
		may, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not in the layer table of arch_test.go: add it with the packages it may import", pkg)
			continue
		}
		seen++
		for _, imp := range fields[1:] {
			if !strings.HasPrefix(imp, module) {
				if imp == "github.com/spf13/cobra" && !strings.HasPrefix(pkg, "cmd/") {
					t.Errorf("%s imports cobra: only cmd/ may", pkg)
				}
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if !contains(may, dep) {
				t.Errorf("%s imports %s, which its layer may not (see DESIGN.md and arch_test.go)", pkg, dep)
			}
		}
	}
	require.Greater(t, seen, 5)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
