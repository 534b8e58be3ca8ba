// Package manifest holds one model of AndroidManifest.xml and three decoders
// for it: binary AXML (as packaged in an APK), text XML (source or merged
// manifests) and the aapt2 protobuf XmlNode found in Android App Bundles.
// It is a leaf of the pipeline: it knows nothing of SDKs, policies or reports,
// and shares only the inventory's plain element types.
package manifest

import "github.com/apkaudit/apkaudit/pkg/inventory"

// Manifest is what apkaudit reads from an AndroidManifest.xml, whatever its encoding.
type Manifest struct {
	Package string
	// Split is the <manifest split="…"> attribute of a split APK
	// ("config.arm64_v8a"); empty for a base APK.
	Split       string
	VersionName string
	VersionCode int64
	// MinSDK, TargetSDK and CompileSDK are 0 when the manifest does not say.
	MinSDK     int
	TargetSDK  int
	CompileSDK int
	// Label is the application label, resolved through resources.arsc when it is
	// a reference and a resource table was given; otherwise the raw value ("@0x7f0b0001").
	Label string

	// Permissions lists <uses-permission> and <uses-permission-sdk-23> in document order,
	// duplicates included (the inventory folds them).
	Permissions []UsesPermission
	// PermissionDefs lists the custom <permission> elements the app defines.
	PermissionDefs []PermissionDef

	Activities []Component // <activity> and <activity-alias>
	Services   []Component
	Receivers  []Component
	Providers  []Component

	// MetaData lists <meta-data> under <application> and under components.
	MetaData []MetaData
	// Queries lists <queries><package android:name> values and <queries><provider android:authorities>.
	Queries []string
	// UsesLibraries lists <uses-library android:name>.
	UsesLibraries []string

	Application AppFlags

	// Warnings are problems that did not stop decoding (unresolved references,
	// obfuscated attribute names, unknown chunks), each a short sentence.
	Warnings []string
}

// UsesPermission is one <uses-permission> or <uses-permission-sdk-23>.
type UsesPermission struct {
	Name string
	// MaxSDK is android:maxSdkVersion, 0 when absent.
	MaxSDK int
	// SDK23 is true for <uses-permission-sdk-23>.
	SDK23 bool
	// Flags is android:usesPermissionFlags as written ("neverForLocation") or as a hex value.
	Flags string
}

// The manifest's elements are the inventory's own types: the decoders fill
// them and the inventory keeps them as they are, so there is one definition
// of each.
type (
	// PermissionDef is one <permission> the app defines.
	PermissionDef = inventory.PermissionDef
	// Component is one activity, activity-alias, service, receiver or provider.
	Component = inventory.Component
	// MetaData is one <meta-data> element.
	MetaData = inventory.MetaData
	// AppFlags are the <application> attributes that matter for an audit.
	AppFlags = inventory.AppFlags
)
