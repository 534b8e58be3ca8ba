package manifest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// featuresXML uses every element the model reads, an unusual prefix for the
// android namespace and tools: attributes. usesPermissionFlags is added only
// for the text decoder (the platform framework-res predates API 31).
const featuresXML = `<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:a="http://schemas.android.com/apk/res/android"
    xmlns:tools="http://schemas.android.com/tools"
    package="cn.example.full" a:versionCode="42" a:versionName="4.2-测试">
  <uses-sdk a:minSdkVersion="21" a:targetSdkVersion="29" tools:overrideLibrary="x"/>
  <uses-permission a:name="android.permission.CAMERA"/>
  <uses-permission a:name="android.permission.WRITE_EXTERNAL_STORAGE" a:maxSdkVersion="18" tools:node="replace"/>
  <uses-permission-sdk-23 a:name="android.permission.READ_CONTACTS"/>
  <uses-permission a:name="android.permission.BLUETOOTH_SCAN" FLAGS/>
  <uses-permission a:name="android.permission.CAMERA"/>
  <permission a:name="cn.example.full.permission.C2D" a:protectionLevel="signature|privileged"/>
  <permission a:name="cn.example.full.permission.D" a:protectionLevel="dangerous"/>
  <queries>
    <package a:name="com.tencent.mm"/>
    <provider a:name="q" a:authorities="com.a.b;com.c.d"/>
    <intent><action a:name="android.intent.action.SEND"/></intent>
  </queries>
  <application a:name=".App" a:label="全功能" a:debuggable="true" a:allowBackup="false"
      a:usesCleartextTraffic="true" tools:replace="android:label">
    <uses-library a:name="org.apache.http.legacy"/>
    <meta-data a:name="UMENG_APPKEY" a:value="abc123"/>
    <meta-data a:name="INT_VALUE" a:value="7"/>
    <activity a:name="Main" a:exported="true">
      <meta-data a:name="android.app.lib_name" a:value="main"/>
    </activity>
    <activity-alias a:name=".Alias" a:targetActivity=".Main" a:enabled="false"/>
    <service a:name="com.other.Svc" a:exported="false" a:process=":push"/>
    <receiver a:name=".Rcv"/>
    <provider a:name=".Prov" a:authorities="cn.example.full.a;cn.example.full.b" a:exported="false"/>
  </application>
</manifest>`

func TestParseXMLFeatures(t *testing.T) {
	text := strings.Replace(featuresXML, "FLAGS", `a:usesPermissionFlags="neverForLocation"`, 1)
	m, err := ParseXML([]byte(text))
	require.NoError(t, err)
	f, tr := false, true
	want := &Manifest{
		Package: "cn.example.full", VersionName: "4.2-测试", VersionCode: 42, MinSDK: 21, TargetSDK: 29,
		Label: "全功能",
		Permissions: []UsesPermission{
			{Name: "android.permission.CAMERA"},
			{Name: "android.permission.WRITE_EXTERNAL_STORAGE", MaxSDK: 18},
			{Name: "android.permission.READ_CONTACTS", SDK23: true},
			{Name: "android.permission.BLUETOOTH_SCAN", Flags: "neverForLocation"},
			{Name: "android.permission.CAMERA"},
		},
		PermissionDefs: []PermissionDef{
			{Name: "cn.example.full.permission.C2D", ProtectionLevel: "signature|privileged"},
			{Name: "cn.example.full.permission.D", ProtectionLevel: "dangerous"},
		},
		Activities: []Component{
			{Name: "cn.example.full.Main", Exported: &tr},
			{Name: "cn.example.full.Alias", Alias: true, TargetActivity: "cn.example.full.Main", Enabled: &f},
		},
		Services:  []Component{{Name: "com.other.Svc", Exported: &f, Process: ":push"}},
		Receivers: []Component{{Name: "cn.example.full.Rcv"}},
		Providers: []Component{{Name: "cn.example.full.Prov", Exported: &f, Authorities: []string{"cn.example.full.a", "cn.example.full.b"}}},
		MetaData: []MetaData{
			{Name: "UMENG_APPKEY", Value: "abc123"},
			{Name: "INT_VALUE", Value: "7"},
			{Name: "android.app.lib_name", Value: "main", Parent: "cn.example.full.Main"},
		},
		Queries:       []string{"com.tencent.mm", "com.a.b", "com.c.d"},
		UsesLibraries: []string{"org.apache.http.legacy"},
		Application:   AppFlags{Debuggable: &tr, AllowBackup: &f, UsesCleartextTraffic: &tr, Name: "cn.example.full.App"},
	}
	assert.Equal(t, want, m)

	// The same manifest compiled by aapt must decode to the same model
	// (protection levels come back as names of the compiled flags).
	framework := "/usr/share/android-framework-res/framework-res.apk"
	if _, err := os.Stat(framework); err != nil {
		t.Skip("android-framework-res not installed")
	}
	if _, err := exec.LookPath("aapt"); err != nil {
		t.Skip("aapt not installed")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "AndroidManifest.xml")
	require.NoError(t, os.WriteFile(src, []byte(strings.Replace(featuresXML, "FLAGS", "", 1)), 0o644))
	apk := filepath.Join(dir, "out.apk")
	msg, err := exec.Command("aapt", "package", "-f", "-M", src, "-I", framework, "-F", apk).CombinedOutput()
	require.NoError(t, err, "aapt package: %s", msg)
	bin, err := readManifest(t, apk)
	require.NoError(t, err)
	want.Permissions[3].Flags = ""
	want.CompileSDK = bin.CompileSDK // aapt adds the framework's compileSdkVersion
	assert.Equal(t, want, bin)
	assert.Equal(t, KindAXML, Detect(mustZipEntry(t, apk, "AndroidManifest.xml")))
}

func mustZipEntry(t *testing.T, path, name string) []byte {
	t.Helper()
	b, err := zipEntry(path, name)
	require.NoError(t, err)
	return b
}
