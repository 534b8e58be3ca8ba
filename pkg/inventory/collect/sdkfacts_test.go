package collect

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/inventory"
)

// sdkFixture returns a fixture of testdata/fixtures/sdk (built by its build.sh with javac, zip and cc).
func sdkFixture(t testing.TB, name string) string {
	t.Helper()
	p := testenv.RepoRoot(t, "testdata", "fixtures", "sdk", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("fixture %s is missing (make fixtures rebuilds it)", p)
	}
	return p
}

// demoQuery is what a catalogue would ask of the demo SDK: every kind of version location.
var demoQuery = inventory.VersionQuery{
	Files: []string{"demosdk/sdk.properties", "META-INF/MANIFEST.MF", "META-INF/maven/com.example/demosdk-core/pom.properties"},
	Constants: []inventory.ClassField{
		{Class: "com.example.demosdk.BuildConfig", Field: "VERSION_NAME"},
		{Class: "com.example.demosdk.BuildConfig", Field: "BUILD_TIME"}, // computed at run time: no constant
		{Class: "com.example.demosdk.Missing", Field: "VERSION"},
		{Class: "com.umeng.commonsdk.statistics.SdkVersion", Field: "SDK_VERSION"},
	},
}

func demoOptions() Options {
	return Options{WantVersions: func() inventory.VersionQuery { return demoQuery }}
}

// sourceManifest is the oracle for the AAR's manifest: the committed source, read with encoding/xml.
type sourceManifest struct {
	Package     string `xml:"package,attr"`
	VersionName string `xml:"versionName,attr"`
	Uses        []struct {
		Name string `xml:"name,attr"`
	} `xml:"uses-permission"`
	App struct {
		Activities []named `xml:"activity"`
		Services   []named `xml:"service"`
		Receivers  []named `xml:"receiver"`
		Providers  []named `xml:"provider"`
	} `xml:"application"`
}

type named struct {
	Name string `xml:"name,attr"`
}

func names(ns []named, pkg string) []string {
	var out []string
	for _, n := range ns {
		if strings.HasPrefix(n.Name, ".") {
			n.Name = pkg + n.Name
		}
		out = append(out, n.Name)
	}
	sort.Strings(out)
	return out
}

func componentNames(cs []inventory.Component) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	sort.Strings(out)
	return out
}

// TestAAR: an AAR yields its manifest's permissions, components and
// version, its classes.jar and libs/*.jar classes, its jni/ library's JNI
// classes, its assets and its -keep rules, each checked against the sources
// the fixture was built from and the tools that read them.
func TestAAR(t *testing.T) {
	inv, err := build(t, sdkFixture(t, "demosdk.aar"), demoOptions())
	require.NoError(t, err)
	assert.Equal(t, "aar", inv.Artifact.Kind)

	raw, err := os.ReadFile(testenv.RepoRoot(t, "testdata", "fixtures", "sdk", "src", "demosdk", "AndroidManifest.xml"))
	require.NoError(t, err)
	var want sourceManifest
	require.NoError(t, xml.Unmarshal(raw, &want))
	var perms []string
	for _, u := range want.Uses {
		perms = append(perms, u.Name)
	}
	sort.Strings(perms)
	var got []string
	for _, p := range inv.Permissions {
		got = append(got, p.Name)
	}
	assert.Equal(t, perms, got, "permissions")
	assert.Equal(t, names(want.App.Activities, want.Package), componentNames(inv.Components.Activities))
	assert.Equal(t, names(want.App.Services, want.Package), componentNames(inv.Components.Services))
	assert.Equal(t, names(want.App.Receivers, want.Package), componentNames(inv.Components.Receivers))
	assert.Equal(t, names(want.App.Providers, want.Package), componentNames(inv.Components.Providers))
	assert.Equal(t, want.Package, inv.App.Package)
	require.Len(t, inv.PermissionDefs, 1)
	assert.Equal(t, "${applicationId}.permission.DEMOSDK_MESSAGE", inv.PermissionDefs[0].Name, "the placeholder is kept as the library wrote it")
	for _, w := range inv.Warnings {
		assert.NotContains(t, w.Message, "no manifest was read")
	}

	// Classes: the packages `unzip -l` lists in classes.jar and libs/demosdk-core.jar.
	assert.Equal(t, unzipPackages(t, sdkFixture(t, "demosdk.aar"), "classes.jar", "libs/demosdk-core.jar"), packageCounts(inv))

	assert.Equal(t, []string{"jni/x86_64/libdemosdk.so"}, inv.NativeLibs)
	require.Len(t, inv.Native, 1)
	assert.Equal(t, nmJNIClasses(t, sdkFixture(t, "libdemosdk.so")), inv.Native[0].JNIClasses)
	assert.Equal(t, []string{"com.example.demosdk.internal.Bridge"}, inv.Native[0].ClassStrings)
	assert.Equal(t, "x86_64", inv.Native[0].ABI)
	assert.Equal(t, []string{"assets/demosdk/config.json"}, inv.Assets)

	assert.Equal(t, []inventory.KeepRule{
		{Pattern: "com.example.demosdk.**", Path: "proguard.txt"},
		{Pattern: "com.example.demosdk.DemoSdk", Path: "proguard.txt"},
		{Pattern: "com.thirdparty.needed.Api", Path: "proguard.txt"},
	}, inv.KeepRules, "-keep rules naming a class or a package; '*', members and -dontwarn left out")

	assert.Equal(t, []inventory.VersionValue{
		{Kind: inventory.VersionManifest, Key: "com.example.demosdk", Path: "AndroidManifest.xml", Value: want.VersionName},
		{Kind: inventory.VersionClassConstant, Key: "com.example.demosdk.BuildConfig.VERSION_NAME",
			Path: "classes.jar!/com/example/demosdk/BuildConfig.class", Value: javapConstant(t, "com.example.demosdk.BuildConfig", "VERSION_NAME")},
		{Kind: inventory.VersionFileText, Key: "demosdk/sdk.properties", Path: "classes.jar!/demosdk/sdk.properties",
			Value: unzipNested(t, sdkFixture(t, "demosdk.aar"), "classes.jar", "demosdk/sdk.properties")},
		{Kind: inventory.VersionFileText, Key: "META-INF/MANIFEST.MF", Path: "libs/demosdk-core.jar!/META-INF/MANIFEST.MF",
			Value: unzipNested(t, sdkFixture(t, "demosdk.aar"), "libs/demosdk-core.jar", "META-INF/MANIFEST.MF")},
		{Kind: inventory.VersionFileText, Key: "META-INF/maven/com.example/demosdk-core/pom.properties",
			Path:  "libs/demosdk-core.jar!/META-INF/maven/com.example/demosdk-core/pom.properties",
			Value: unzipNested(t, sdkFixture(t, "demosdk.aar"), "libs/demosdk-core.jar", "META-INF/maven/com.example/demosdk-core/pom.properties")},
	}, inv.VersionValues)
}

// TestBareNativeLibrary: a .so given alone is an artifact of its own kind,
// named by its file, with its ABI, soname and JNI classes (oracles: readelf, nm).
func TestBareNativeLibrary(t *testing.T) {
	p := sdkFixture(t, "libdemosdk.so")
	inv, err := build(t, p, demoOptions())
	require.NoError(t, err)
	assert.Equal(t, "so", inv.Artifact.Kind)
	assert.Equal(t, []string{"libdemosdk.so"}, inv.NativeLibs)
	require.Len(t, inv.Native, 1)
	n := inv.Native[0]
	assert.Equal(t, readelfSoname(t, p), n.Soname)
	assert.Equal(t, nmJNIClasses(t, p), n.JNIClasses)
	assert.Empty(t, inv.Warnings, "a native library has no manifest to miss")
	assert.NotEmpty(t, inv.Artifact.SHA256)

	inv, err = build(t, p, Options{NoCode: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"libdemosdk.so"}, inv.NativeLibs, "named even when code is not analysed")
	assert.Empty(t, inv.Native)
}

// TestJARVersionFiles: a JAR's MANIFEST.MF and pom.properties are read where asked (oracle: unzip -p).
func TestJARVersionFiles(t *testing.T) {
	p := sdkFixture(t, "demosdk-core.jar")
	inv, err := build(t, p, demoOptions())
	require.NoError(t, err)
	assert.Equal(t, []inventory.VersionValue{
		{Kind: inventory.VersionFileText, Key: "META-INF/MANIFEST.MF", Path: "META-INF/MANIFEST.MF", Value: unzipText(t, p, "META-INF/MANIFEST.MF")},
		{Kind: inventory.VersionFileText, Key: "META-INF/maven/com.example/demosdk-core/pom.properties",
			Path: "META-INF/maven/com.example/demosdk-core/pom.properties", Value: unzipText(t, p, "META-INF/maven/com.example/demosdk-core/pom.properties")},
	}, inv.VersionValues)

	inv, err = build(t, p, Options{})
	require.NoError(t, err)
	assert.Empty(t, inv.VersionValues, "nothing asked, nothing read")
}

// TestDexConstants: a DEX class's static String initial value is read where
// asked (oracle: dexdump's "value" of the static field).
func TestDexConstants(t *testing.T) {
	p := testenv.RepoRoot(t, "testdata", "fixtures", "code", "codereads.apk")
	inv, err := build(t, p, demoOptions())
	require.NoError(t, err)
	var got []inventory.VersionValue
	for _, v := range inv.VersionValues {
		if v.Kind == inventory.VersionDexConstant {
			got = append(got, v)
		}
	}
	require.Len(t, got, 1)
	assert.Equal(t, "com.umeng.commonsdk.statistics.SdkVersion.SDK_VERSION", got[0].Key)
	assert.Equal(t, dexdumpStaticValue(t, p, got[0].Path, "Lcom/umeng/commonsdk/statistics/SdkVersion;", "SDK_VERSION"), got[0].Value)
}

// TestKeepRules: the class specifications -keep rules name, table-driven.
func TestKeepRules(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"-keep class com.alipay.sdk.app.PayTask{ public *;}", []string{"com.alipay.sdk.app.PayTask"}},
		{"-keep class com.ta.utdid2.** { *;}", []string{"com.ta.utdid2.**"}},
		{"-keep public interface com.x.Api", []string{"com.x.Api"}},
		{"-keepnames,allowshrinking class com.x.y.*", []string{"com.x.y.*"}},
		{"-keepclasseswithmembernames class * { native <methods>; }", nil},
		{"-keep public class * extends android.app.Activity", nil},
		{"-keep class !com.x.** { *; }", nil},
		{"-keep class com.x.*Activity", nil},
		{"-keepattributes Signature", nil},
		{"-dontwarn com.ta.utdid2.**", nil},
		{"  # -keep class com.commented.Out", nil},
		{"-keep enum com.x.Mode { *; } # trailing comment", []string{"com.x.Mode"}},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range keepRules(strings.NewReader(tt.line), "proguard.txt") {
			got = append(got, r.Pattern)
		}
		assert.Equal(t, tt.want, got, tt.line)
	}
}

// unzipPackages counts the classes per package of the named JARs inside the archive, from `unzip -l`.
func unzipPackages(t *testing.T, archive string, jars ...string) map[string]int {
	t.Helper()
	out := map[string]int{}
	dir := t.TempDir()
	for _, j := range jars {
		p := filepath.Join(dir, filepath.Base(j))
		require.NoError(t, os.WriteFile(p, []byte(unzipText(t, archive, j)), 0o644))
		list, err := exec.Command("unzip", "-Z1", p).Output()
		require.NoError(t, err)
		for _, name := range strings.Fields(string(list)) {
			if strings.HasSuffix(name, ".class") {
				out[filepath.Dir(name)]++
			}
		}
	}
	return out
}

func packageCounts(inv *inventory.Inventory) map[string]int {
	out := map[string]int{}
	for _, p := range inv.Code.Packages {
		out[p.Name] = p.Classes
	}
	return out
}

func unzipText(t *testing.T, archive, entry string) string {
	t.Helper()
	out, err := exec.Command("unzip", "-p", archive, entry).Output()
	require.NoError(t, err, "unzip -p %s %s", archive, entry)
	return string(out)
}

// unzipNested is unzip -p of an entry of a JAR inside the archive.
func unzipNested(t *testing.T, archive, jar, entry string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), filepath.Base(jar))
	require.NoError(t, os.WriteFile(p, []byte(unzipText(t, archive, jar)), 0o644))
	return unzipText(t, p, entry)
}

// javapConstant is the constant javap -constants shows for the field of the class in the AAR's classes.jar.
func javapConstant(t *testing.T, class, field string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "classes.jar")
	require.NoError(t, os.WriteFile(p, []byte(unzipText(t, sdkFixture(t, "demosdk.aar"), "classes.jar")), 0o644))
	out, err := exec.Command("javap", "-constants", "-cp", p, class).Output()
	require.NoError(t, err, "javap (openjdk-17-jdk-headless) is this test's oracle")
	m := regexp.MustCompile(`static final java\.lang\.String ` + field + ` = "([^"]*)";`).FindStringSubmatch(string(out))
	require.NotNil(t, m, "javap shows no constant %s.%s:\n%s", class, field, out)
	return m[1]
}

// nmJNIClasses decodes the classes of the Java_ symbols nm -D --defined-only lists (simple names only: no escapes).
func nmJNIClasses(t *testing.T, lib string) []string {
	t.Helper()
	out, err := exec.Command("nm", "-D", "--defined-only", lib).Output()
	require.NoError(t, err, "nm (binutils) is this test's oracle")
	seen := map[string]bool{}
	var classes []string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || !strings.HasPrefix(f[2], "Java_") {
			continue
		}
		parts := strings.Split(strings.TrimPrefix(f[2], "Java_"), "_")
		c := strings.Join(parts[:len(parts)-1], ".")
		if !seen[c] {
			seen[c] = true
			classes = append(classes, c)
		}
	}
	sort.Strings(classes)
	return classes
}

func readelfSoname(t *testing.T, lib string) string {
	t.Helper()
	out, err := exec.Command("readelf", "-d", lib).Output()
	require.NoError(t, err, "readelf (binutils) is this test's oracle")
	m := regexp.MustCompile(`\(SONAME\)\s+Library soname: \[([^\]]+)\]`).FindStringSubmatch(string(out))
	require.NotNil(t, m)
	return m[1]
}

// dexdumpStaticValue is the value dexdump prints for a static field of a class in the APK's DEX entry.
func dexdumpStaticValue(t *testing.T, apk, entry, class, field string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), entry)
	require.NoError(t, os.WriteFile(p, []byte(unzipText(t, apk, entry)), 0o644))
	out, err := exec.Command("dexdump", p).Output()
	require.NoError(t, err, "dexdump is this test's oracle")
	text := string(out)
	i := strings.Index(text, "Class descriptor  : '"+class+"'")
	require.GreaterOrEqual(t, i, 0)
	m := regexp.MustCompile(`name\s+: '` + field + `'\n\s+type\s+: '[^']*'\n\s+access\s+: [^\n]*\n\s+value\s+: "([^"]*)"`).FindStringSubmatch(text[i:])
	require.NotNil(t, m, "dexdump shows no value of %s.%s", class, field)
	return m[1]
}

// TestNativeLibraryPerName: an archive's libraries are read once per name,
// from the preferred ABI's folder (the fixture APKs carry arm64-v8a and x86_64 copies).
func TestNativeLibraryPerName(t *testing.T) {
	inv, err := build(t, fixture(t, "miitee.apk"), Options{})
	require.NoError(t, err)
	require.NotEmpty(t, inv.NativeLibs)
	bases := map[string]bool{}
	for _, p := range inv.NativeLibs {
		bases[filepath.Base(p)] = true
	}
	require.Len(t, inv.Native, len(bases))
	for _, n := range inv.Native {
		assert.True(t, strings.HasPrefix(n.Path, "lib/arm64-v8a/"), n.Path)
		assert.NotEmpty(t, n.ABI)
	}
}
