// Package inventory assembles what a build contains — app identity,
// permissions, components, code packages, native libraries, assets, version
// files and warnings — from a container, using the format readers. It is the
// only package that knows all the readers; it knows nothing of SDKs or policies.
package inventory

import "github.com/apkaudit/apkaudit/pkg/manifest"

// Inventory is everything apkaudit extracts from one artifact.
type Inventory struct {
	Artifact Artifact
	App      App
	// Permissions are declared permissions, duplicates folded, sorted by name.
	Permissions []Permission
	// PermissionDefs are the custom permissions the app (or an SDK in it) defines.
	PermissionDefs []manifest.PermissionDef
	Components     Components
	MetaData       []manifest.MetaData
	Queries        []string
	UsesLibraries  []string
	AppFlags       manifest.AppFlags

	// Code summarises DEX and JAR classes.
	Code Code
	// NativeLibs are paths of .so files ("lib/arm64-v8a/libfoo.so"), sorted.
	NativeLibs []string
	// Assets are paths under assets/ (nested archives included with "!/"), sorted.
	Assets []string
	// VersionFiles are META-INF/*.version files.
	VersionFiles []VersionFile
	// Strings counts the DEX string constants that were asked for (Options.WantStrings) and found.
	Strings map[string]int
	// Splits lists the APKs of a split bundle, an AAB's modules or nested APKs.
	Splits []Split

	// Warnings are problems that did not stop the analysis.
	Warnings []Warning
	// Unanalysed lists code that could not be read (a DEX that failed to parse, a limit hit);
	// each may hide an SDK.
	Unanalysed []Unanalysed
}

// Artifact identifies the analysed file.
type Artifact struct {
	Path   string
	Kind   string // apk, apks, xapk, apkm, aab, manifest, dex, jar, aar
	SHA256 string
	Size   int64
}

// App is the app's identity from the manifest.
type App struct {
	Package     string
	VersionName string
	VersionCode int64
	MinSDK      int
	TargetSDK   int
	CompileSDK  int
	Label       string
}

// Permission is one declared permission with the platform's facts about it.
type Permission struct {
	Name       string
	MaxSDK     int
	SDK23      bool
	Protection string // dangerous, normal, signature, …, or "unknown"
	Group      string
	Sensitive  bool
	Zh         string // Chinese name (TC260, else AOSP label), "" if unknown
	Known      bool   // a platform permission apkaudit has facts for
}

// Components lists manifest components by kind.
type Components struct {
	Activities []manifest.Component
	Services   []manifest.Component
	Receivers  []manifest.Component
	Providers  []manifest.Component
}

// Code summarises classes over all DEX and JAR files.
type Code struct {
	DexFiles int
	// Classes counts class definitions over all DEX files (as dexdump does) plus .class files in JARs.
	Classes int
	// Packages are Java packages (slash-separated, "com/umeng/analytics") with their class counts, sorted by name.
	Packages []Package
	// ClassNames holds every class name (dotted) when Options.KeepClasses is set.
	ClassNames []string
}

// Package is one Java package and how many classes it defines.
type Package struct {
	Name    string // "com/umeng/analytics"
	Classes int
}

// VersionFile is a META-INF/<name>.version file (AndroidX, Firebase, GMS).
type VersionFile struct {
	Name    string // "com.google.firebase_firebase-analytics"
	Version string
}

// Split is one APK inside a bundle or one AAB module.
type Split struct {
	Name string
	Base bool
}

// Warning is a problem that did not stop the analysis.
type Warning struct {
	Source  string // the entry or component ("classes2.dex", "AndroidManifest.xml", "zip")
	Message string
}

// String renders the warning as "source: message".
func (w Warning) String() string {
	if w.Source == "" {
		return w.Message
	}
	return w.Source + ": " + w.Message
}

// Unanalysed is code apkaudit could not read.
type Unanalysed struct {
	Path   string
	Reason string
}
