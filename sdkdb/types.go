package sdkdb

// Catalogue is a loaded, validated SDK catalogue. Build it with Load, Embedded or Merge.
type Catalogue struct {
	// Version identifies the catalogue data (e.g. "2026.11.23"), shown as tool.sdkdb_version.
	Version string
	// Entries are sorted by ID.
	Entries []*Entry

	byID map[string]*Entry
}

// Lookup returns the entry with the given id, or nil.
func (c *Catalogue) Lookup(id string) *Entry {
	if c == nil {
		return nil
	}
	return c.byID[id]
}

// Entry describes one SDK: who makes it, what it collects, and how to recognise it in a build.
type Entry struct {
	// ID is kebab-case vendor-product ("umeng-analytics"); stable, used in findings.
	ID     string `yaml:"id" json:"id"`
	Name   string `yaml:"name" json:"name"`       // English display name
	NameZh string `yaml:"name_zh" json:"name_zh"` // Chinese display name
	// Aliases are spellings policies use. A trailing '?' marks an ambiguous alias
	// that matches only together with other evidence (e.g. "微信?").
	Aliases []string `yaml:"aliases" json:"aliases"`
	// Vendor is the current Chinese legal name of the operator (公司全称), or the English legal name for foreign SDKs.
	Vendor        string   `yaml:"vendor" json:"vendor"`
	VendorAliases []string `yaml:"vendor_aliases,omitempty" json:"vendor_aliases,omitempty"`
	Category      string   `yaml:"category" json:"category"`
	// Family groups kits of one product line ("hms", "umeng", "tencent-cloud"):
	// a policy row naming the family covers every member, with lower confidence.
	Family string `yaml:"family,omitempty" json:"family,omitempty"`
	// Signals are the evidence that identifies the SDK in a build.
	Signals Signals `yaml:"signals" json:"signals"`
	// MinSignals is how many distinct signal kinds must match before the SDK
	// is reported (default 1). Use 2 where prefixes are generic.
	MinSignals int `yaml:"min_signals,omitempty" json:"min_signals,omitempty"`
	// Version lists where the SDK's binaries carry its version, most reliable first;
	// the first location found in the build gives sdks[].version. A version the
	// binary does not carry is absent, never guessed.
	Version []VersionSource `yaml:"version,omitempty" json:"version,omitempty"`
	// Permissions the SDK typically requests (full names).
	Permissions []string `yaml:"permissions,omitempty" json:"permissions,omitempty"`
	// DataCollected lists personal-information types in Chinese, as the vendor documents them.
	DataCollected    []string `yaml:"data_collected,omitempty" json:"data_collected,omitempty"`
	PrivacyPolicyURL string   `yaml:"privacy_policy_url,omitempty" json:"privacy_policy_url,omitempty"`
	// NoPrivacyPolicy says, with its evidence, why no privacy policy exists to
	// link (an open-source library, a framework used only in the vendor's own
	// apps); it stands instead of PrivacyPolicyURL, never beside it.
	NoPrivacyPolicy string `yaml:"no_privacy_policy,omitempty" json:"no_privacy_policy,omitempty"`
	// Confidence is H, M or L for the identification evidence.
	Confidence string   `yaml:"confidence,omitempty" json:"confidence,omitempty"`
	Sources    []string `yaml:"sources,omitempty" json:"sources,omitempty"`
	// Related lists ids of SDKs that share code with or bundle this one.
	Related []string `yaml:"related,omitempty" json:"related,omitempty"`
	// NestedIn lists ids of SDKs that usually bundle this one (carrier login inside shanyan).
	NestedIn []string `yaml:"nested_in,omitempty" json:"nested_in,omitempty"`
	Notes    string   `yaml:"notes,omitempty" json:"notes,omitempty"`

	file  string         // catalogue file the entry came from
	line  int            // line of the entry in file
	lines map[string]int // line of each key and list item, by dotted path
}

// Signals are the kinds of evidence the matcher looks for, one list per kind
// of SignalKinds (which says what each reports). Each list is optional.
type Signals struct {
	// DexPackages are Java package prefixes, dotted ("com.umeng.analytics"); they match on whole segments.
	DexPackages []string `yaml:"dex_packages,omitempty" json:"dex_packages,omitempty"`
	// Classes are fully qualified distinctive class names ("com.tencent.mm.opensdk.openapi.WXAPIFactory").
	Classes []string `yaml:"classes,omitempty" json:"classes,omitempty"`
	// NativeLibs are .so file names with '*' globs ("libjiagu*.so").
	NativeLibs []string `yaml:"native_libs,omitempty" json:"native_libs,omitempty"`
	// Components are manifest component class names; a trailing ".*" matches any class under that package,
	// a leading "*." matches any package ("*.wxapi.WXEntryActivity").
	Components []string `yaml:"components,omitempty" json:"components,omitempty"`
	// MetaData are <meta-data> keys.
	MetaData []string `yaml:"meta_data,omitempty" json:"meta_data,omitempty"`
	// PermissionsDefined are custom <permission> names, with ${applicationId} allowed.
	PermissionsDefined []string `yaml:"permissions_defined,omitempty" json:"permissions_defined,omitempty"`
	// Assets are asset paths or globs under assets/.
	Assets []string `yaml:"assets,omitempty" json:"assets,omitempty"`
	// VersionFiles are META-INF/*.version base names ("com.google.firebase_firebase-analytics").
	VersionFiles []string `yaml:"version_files,omitempty" json:"version_files,omitempty"`
	// Strings are DEX string constants that identify the SDK.
	Strings []string `yaml:"strings,omitempty" json:"strings,omitempty"`
	// JNIClasses are Java class names or package prefixes, dotted, matched on whole
	// segments against the classes a native library binds: its exported Java_*
	// functions and the class names it hands to RegisterNatives or FindClass
	// ("cn.jpush.android.service.PushProtocol" for libjpush220.so).
	JNIClasses []string `yaml:"jni_classes,omitempty" json:"jni_classes,omitempty"`
	// Weak lists values shared with other SDKs, by kind: they count as evidence
	// only when another signal of this entry matched too.
	Weak WeakSignals `yaml:"weak,omitempty" json:"weak,omitzero"`
}

// VersionSource is one place an SDK's binary carries its version. Exactly one
// of Manifest, File, Pom and Class is set.
type VersionSource struct {
	// Manifest is the package of the library manifest (an AAR's AndroidManifest.xml,
	// package="com.alipay.sdk") whose android:versionName is the SDK's version.
	Manifest string `yaml:"manifest,omitempty" json:"manifest,omitempty"`
	// File is a path inside the archive ("META-INF/com.google.firebase_firebase-analytics.version",
	// "fabric/io.branch.sdk.android.library.properties"): its text is the version,
	// or with Key the value of that key in it (Java properties syntax).
	File string `yaml:"file,omitempty" json:"file,omitempty"`
	// Key is the properties key of File that holds the version ("fabric-version").
	Key string `yaml:"key,omitempty" json:"key,omitempty"`
	// Pom is "groupId:artifactId" of a Maven META-INF/maven/<group>/<artifact>/pom.properties;
	// its version key is the version.
	Pom string `yaml:"pom,omitempty" json:"pom,omitempty"`
	// Class and Field name a static final String field whose constant value is the
	// version ("cn.jiguang.android.BuildConfig", "VERSION_NAME"): in DEX its
	// static_values initial value, in a JAR's .class file its ConstantValue attribute.
	Class string `yaml:"class,omitempty" json:"class,omitempty"`
	Field string `yaml:"field,omitempty" json:"field,omitempty"`
	// Pattern, when set, is a regular expression whose first group extracts the version
	// from the value found ("^android (.+)$" for "android 5.5.3").
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	// Sources say where this location was seen (a real binary and the tool that showed it).
	Sources []string `yaml:"sources,omitempty" json:"sources,omitempty"`
}
