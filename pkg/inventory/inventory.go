// Package inventory holds what a build contains — app identity, permissions,
// components, code packages, native libraries, assets, version files and
// warnings — as plain types of its own. It imports nothing: its subpackage
// collect reads an artifact with the format readers and fills it, and the
// packages above (the matcher, the rules, the renderers) read it without
// depending on any reader.
package inventory

// Inventory is everything apkaudit extracts from one artifact.
type Inventory struct {
	Artifact Artifact
	App      App
	// Permissions are declared permissions, duplicates folded, sorted by name.
	Permissions []Permission
	// PermissionDefs are the custom permissions the app (or an SDK in it) defines.
	PermissionDefs []PermissionDef
	Components     Components
	MetaData       []MetaData
	Queries        []string
	UsesLibraries  []string
	AppFlags       AppFlags

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

	// Native describes the native libraries whose ELF headers were read: a
	// bare .so, or one library of each name in an archive. Sorted by Path.
	Native []NativeLib
	// VersionValues are the values read where SDK versions live: the
	// versionName of every library manifest (an AAR's), and the files and
	// constants a VersionQuery asked for. Sorted by Path, then Key.
	VersionValues []VersionValue
	// KeepRules are the classes and packages named by the -keep rules of an
	// AAR's proguard.txt (its consumer rules). Sorted by Path, then Pattern.
	KeepRules []KeepRule
}

// Artifact identifies the analysed file.
type Artifact struct {
	Path   string
	Kind   string // apk, apks, xapk, apkm, aab, manifest, dex, jar, aar, so (a bare ELF native library)
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

// PermissionDef is one custom <permission> the app (or an SDK in it) defines.
type PermissionDef struct {
	Name            string
	ProtectionLevel string
}

// Components lists manifest components by kind.
type Components struct {
	Activities []Component // <activity> and <activity-alias>
	Services   []Component
	Receivers  []Component
	Providers  []Component
}

// Component is one activity, activity-alias, service, receiver or provider.
type Component struct {
	// Name is absolute: ".Foo" and "Foo" are resolved against the package.
	Name string
	// Alias is true for <activity-alias>; TargetActivity is then its target.
	Alias          bool
	TargetActivity string
	// Exported and Enabled are nil when the attribute is absent.
	Exported *bool
	Enabled  *bool
	// Authorities is set for providers.
	Authorities []string
	// Process is android:process when given.
	Process string
}

// MetaData is one <meta-data> element: Value holds android:value or
// android:resource as text; Parent is the component it sits under, "" for
// <application>.
type MetaData struct {
	Name   string
	Value  string
	Parent string
}

// AppFlags are the <application> attributes that matter for an audit. Nil means absent.
type AppFlags struct {
	Debuggable            *bool
	AllowBackup           *bool
	UsesCleartextTraffic  *bool
	NetworkSecurityConfig string
	Name                  string // android:name, the Application class
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
	// Calls are the call sites of sensitive APIs (pkg/piapi's table) the code
	// scan found, one per API entry, calling class and kind of reach; sorted.
	Calls []Call
	// CallScan says what the code scan covered.
	CallScan CallScan
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
