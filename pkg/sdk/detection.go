// Package sdk matches an Inventory against the SDK catalogue and returns the
// SDKs embedded in the build, each with the evidence that points to it. It
// reads inventory and sdkdb types and knows nothing of policies or reports.
package sdk

import "github.com/apkaudit/apkaudit/sdkdb"

// Evidence is one observation in the build that supports a Detection.
type Evidence struct {
	Kind  string // an evidence kind: sdkdb.EvidenceDexPackage, …
	Value string // the package, file, component, key … that matched
	Count int    // classes in the package, or 1
	// Weak marks shared evidence (a package or component several SDKs carry)
	// that counted only because this SDK had evidence of its own.
	Weak bool
}

// Detection is one SDK found in the build.
type Detection struct {
	Entry    *sdkdb.Entry
	Evidence []Evidence
	// Via names the SDK this one was found inside (carrier login inside "shanyan"), "" if standalone.
	Via string
	// Version is the SDK's version as its binary carries it, in the first of
	// the catalogue's version locations found in the build; "" when the
	// build carries none (a version is never guessed).
	Version string
	// VersionEvidence says where Version was read; nil when Version is "".
	VersionEvidence *VersionEvidence
}

// ID returns the catalogue id of the detected SDK.
func (d Detection) ID() string { return d.Entry.ID }
