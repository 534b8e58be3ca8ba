// Package diff compares two builds: permissions and SDKs added and removed,
// versions of the SDKs both embed, and changes of target and minimum SDK. New items come first, because they
// are what a release must disclose. It reads inventories and detections only.
package diff

import (
	"slices"
	"sort"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// Build is one side of a comparison.
type Build struct {
	Inventory *inventory.Inventory
	SDKs      []sdk.Detection
	// Reads are the build's attributed code reads (sdk.Matcher.Attribute).
	Reads []sdk.Read
}

// Result is what changed from Old to New.
type Result struct {
	Old, New           Build
	AddedPermissions   []inventory.Permission
	RemovedPermissions []inventory.Permission
	AddedSDKs          []sdk.Detection
	RemovedSDKs        []sdk.Detection
	// VersionChanges are the SDKs of both builds whose versions differ.
	VersionChanges []VersionChange
	// AddedReads are the reads of New that Old lacks: an API, data type,
	// party and kind of reach no read of Old has (see addedReads).
	AddedReads []sdk.Read
	// TargetSDK and MinSDK are set when the value changed.
	TargetSDK *Change
	MinSDK    *Change
	// VersionCode changes are informational.
	VersionCode *Change
}

// Change is an old and a new value.
type Change struct{ Old, New int64 }

// Empty reports whether nothing that matters for a policy changed.
func (r *Result) Empty() bool {
	return len(r.AddedPermissions)+len(r.RemovedPermissions)+len(r.AddedSDKs)+len(r.RemovedSDKs)+len(r.AddedReads) == 0 &&
		r.TargetSDK == nil && r.MinSDK == nil
}

// Added reports whether subject — a permission name, an SDK id or a data
// type, as findings name them — is a permission or an SDK that New added,
// or a data type New's code reads and Old's read nowhere. It is the one
// rule for which findings about the new build a diff reports: those whose
// subject the release added.
func (r *Result) Added(subject string) bool {
	if r.newData(subject) {
		return true
	}
	for _, p := range r.AddedPermissions {
		if p.Name == subject {
			return true
		}
	}
	for _, d := range r.AddedSDKs {
		if d.ID() == subject {
			return true
		}
	}
	return false
}

// Compare lists what New has that Old lacks and the reverse, sorted by name or id.
func Compare(old, new Build) *Result {
	r := &Result{Old: old, New: new}
	oldP := permissionSet(old.Inventory)
	newP := permissionSet(new.Inventory)
	for _, p := range new.Inventory.Permissions {
		if _, ok := oldP[p.Name]; !ok {
			r.AddedPermissions = append(r.AddedPermissions, p)
		}
	}
	for _, p := range old.Inventory.Permissions {
		if _, ok := newP[p.Name]; !ok {
			r.RemovedPermissions = append(r.RemovedPermissions, p)
		}
	}
	oldS := sdkSet(old.SDKs)
	newS := sdkSet(new.SDKs)
	for _, d := range new.SDKs {
		if !oldS[d.ID()] {
			r.AddedSDKs = append(r.AddedSDKs, d)
		}
	}
	for _, d := range old.SDKs {
		if !newS[d.ID()] {
			r.RemovedSDKs = append(r.RemovedSDKs, d)
		}
	}
	sort.Slice(r.AddedSDKs, func(i, j int) bool { return r.AddedSDKs[i].ID() < r.AddedSDKs[j].ID() })
	sort.Slice(r.RemovedSDKs, func(i, j int) bool { return r.RemovedSDKs[i].ID() < r.RemovedSDKs[j].ID() })
	r.VersionChanges = versionChanges(old.SDKs, new.SDKs)
	r.AddedReads = addedReads(old.Reads, new.Reads)
	oa, na := old.Inventory.App, new.Inventory.App
	if oa.TargetSDK != na.TargetSDK {
		r.TargetSDK = &Change{int64(oa.TargetSDK), int64(na.TargetSDK)}
	}
	if oa.MinSDK != na.MinSDK {
		r.MinSDK = &Change{int64(oa.MinSDK), int64(na.MinSDK)}
	}
	if oa.VersionCode != na.VersionCode {
		r.VersionCode = &Change{oa.VersionCode, na.VersionCode}
	}
	return r
}

func permissionSet(inv *inventory.Inventory) map[string]inventory.Permission {
	m := make(map[string]inventory.Permission, len(inv.Permissions))
	for _, p := range inv.Permissions {
		m[p.Name] = p
	}
	return m
}

func sdkSet(ds []sdk.Detection) map[string]bool {
	m := make(map[string]bool, len(ds))
	for _, d := range ds {
		m[d.ID()] = true
	}
	return m
}

// readKey identifies a read across builds: the counts and callers may
// change with any rebuild, the API, data, party and kind of reach not.
type readKey struct {
	api, data, by string
	reflective    bool
}

func keyOf(r sdk.Read) readKey { return readKey{r.API, r.Data, r.By, r.Reflective} }

// addedReads returns the reads of new whose key no read of old has, in new's order.
func addedReads(old, new []sdk.Read) []sdk.Read {
	had := make(map[readKey]bool, len(old))
	for _, r := range old {
		had[keyOf(r)] = true
	}
	var out []sdk.Read
	for _, r := range new {
		if !had[keyOf(r)] {
			out = append(out, r)
		}
	}
	return out
}

// newData reports whether data is a data type some added read reads and
// no read of Old reads at all.
func (r *Result) newData(data string) bool {
	if !slices.ContainsFunc(r.AddedReads, func(x sdk.Read) bool { return x.Data == data }) {
		return false
	}
	return !slices.ContainsFunc(r.Old.Reads, func(x sdk.Read) bool { return x.Data == data })
}
