package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/srcmanifest"
)

// sourceOptions adds to o where the repository is: the root SARIF's paths
// are relative to (--source-root, else the working directory), and the
// app's source manifest (--manifest-source, else the one under
// --source-root that declares most of the results' permissions), whose
// lines build-side findings then point at. A source root without a source
// manifest is a note, not an error: findings are then shown at the policy.
func (g *globals) sourceOptions(o report.Options, results ...*audit.Result) (report.Options, error) {
	wd, err := os.Getwd()
	if err != nil {
		return o, err
	}
	o.WorkDir, o.SourceRoot = wd, wd
	if g.sourceRoot != "" {
		if o.SourceRoot, err = filepath.Abs(g.sourceRoot); err != nil {
			return o, err
		}
		if fi, err := os.Stat(o.SourceRoot); err != nil || !fi.IsDir() {
			return o, fmt.Errorf("--source-root %s: not a directory", g.sourceRoot)
		}
	}
	switch {
	case g.manifestSource != "":
		if o.Source, err = srcmanifest.Open(g.manifestSource); err != nil {
			return o, fmt.Errorf("--manifest-source: %w", err)
		}
	case g.sourceRoot != "":
		var declared []string
		for _, r := range results {
			if r.Inventory != nil {
				for _, p := range r.Inventory.Permissions {
					declared = append(declared, p.Name)
				}
			}
		}
		o.Source, err = srcmanifest.Find(o.SourceRoot, declared)
		if errors.Is(err, srcmanifest.ErrNotFound) {
			g.note("%s: no src/main/AndroidManifest.xml under it: build-side findings are shown at the policy (give --manifest-source FILE)", g.sourceRoot)
			err = nil
		}
	}
	return o, err
}
