package inventory

// NativeLib is what one native library (ELF shared object) says about the
// Java code that loads it.
type NativeLib struct {
	// Path is the library's place in the artifact ("lib/arm64-v8a/libjpush220.so",
	// "classes.jar!/…"), or the file's base name for a bare .so.
	Path string
	// Soname is its DT_SONAME ("libjpush220.so"), "" when it has none.
	Soname string
	// ABI is the Android ABI its machine code is for ("arm64-v8a"), "" when unknown.
	ABI string
	// Needed lists its DT_NEEDED libraries in file order.
	Needed []string
	// JNIClasses are the dotted Java classes it exports Java_* functions for
	// (its own code), sorted and without duplicates.
	JNIClasses []string
	// ClassStrings are the dotted Java class names held as strings in its
	// read-only data (classes it binds with RegisterNatives, or only calls
	// through FindClass), sorted and without duplicates.
	ClassStrings []string
}

// The kinds of VersionValue.
const (
	VersionManifest      = "manifest"       // a library manifest's android:versionName; Key is its package
	VersionFileText      = "file"           // the text of an archive entry; Key is its path in its archive
	VersionClassConstant = "class-constant" // a static final String of a .class file; Key is "class.FIELD"
	VersionDexConstant   = "dex-constant"   // a static String field's DEX static_values entry; Key is "class.FIELD"
)

// VersionValue is one value read where an SDK's version may live.
type VersionValue struct {
	// Kind is VersionManifest, VersionFileText, VersionClassConstant or VersionDexConstant.
	Kind string
	// Key names what was read (see the kinds).
	Key string
	// Path is where in the artifact it was read ("AndroidManifest.xml",
	// "libs/Branch.jar!/fabric/io.branch.sdk.android.library.properties",
	// "classes.jar!/io/branch/referral/BuildConfig.class", "classes.dex").
	Path string
	// Value is the raw value: the versionName, the file's text (at most its
	// first MaxVersionText bytes), or the constant.
	Value string
}

// MaxVersionText is the most bytes of a version file kept in a VersionValue
// (a signed JAR's MANIFEST.MF lists a digest per entry after its main
// attributes, which come first).
const MaxVersionText = 16 << 10

// VersionQuery names the places the catalogue says SDK versions live, for
// the collector to read: files in any archive of the artifact, and constants.
type VersionQuery struct {
	// Files are entry paths inside an archive ("META-INF/MANIFEST.MF",
	// "META-INF/maven/com.example/sdk/pom.properties"), looked up in the
	// artifact and in every archive nested in it.
	Files []string
	// Constants are static final String fields, read from .class files of JARs
	// and from the static values of DEX class definitions.
	Constants []ClassField
}

// ClassField names a static field of a class.
type ClassField struct {
	// Class is the dotted class name ("io.branch.referral.BuildConfig").
	Class string
	// Field is the field name ("VERSION_NAME").
	Field string
}

// KeepRule is one class specification of a ProGuard -keep rule
// ("-keep class com.alipay.sdk.app.PayTask { public *; }").
type KeepRule struct {
	// Pattern is the class name or package wildcard, dotted
	// ("com.alipay.sdk.app.PayTask", "com.alipay.tscenter.**").
	Pattern string
	// Path is the rules file it was read from ("proguard.txt").
	Path string
}
