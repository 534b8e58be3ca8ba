package diff

import (
	"sort"

	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// VersionChange is an SDK both builds embed whose version changed: the
// detection in each build.
type VersionChange struct {
	Old, New sdk.Detection
}

// ID returns the catalogue id of the SDK whose version changed.
func (c VersionChange) ID() string { return c.New.ID() }

// versionChanges lists, by id, the SDKs in both builds that carry a version
// in each and whose versions differ. An SDK whose version one build does not
// carry is no change: a version is never guessed.
func versionChanges(old, new []sdk.Detection) []VersionChange {
	byID := make(map[string]sdk.Detection, len(old))
	for _, d := range old {
		byID[d.ID()] = d
	}
	var out []VersionChange
	for _, d := range new {
		o, ok := byID[d.ID()]
		if ok && o.Version != "" && d.Version != "" && o.Version != d.Version {
			out = append(out, VersionChange{Old: o, New: d})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID() < out[j].ID() })
	return out
}
