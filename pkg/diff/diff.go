// Package diff compares two builds: permissions and SDKs added and removed,
// versions of the SDKs both embed, and changes of target and minimum SDK. New items come first, because they
// are what a release must disclose. It reads inventories and detections only.
package diff

import (
	"sort"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// Build is one side of a comparison.
type Build struct {
	Inventory *inventory.Inventory
	SDKs      []sdk.Detection
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
	return len(r.AddedPermissions)+len(r.RemovedPermissions)+len(r.AddedSDKs)+len(r.RemovedSDKs) == 0 &&
		r.TargetSDK == nil && r.MinSDK == nil
}

// Added reports whether subject — a permission name or an SDK id, as
// findings name them — is a permission or an SDK that New added. It is the
// one rule for which findings about the new build a diff reports: those
// whose subject the release added.
func (r *Result) Added(subject string) bool {
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
