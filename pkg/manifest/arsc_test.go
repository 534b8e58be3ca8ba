package manifest

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const chineseLabel = "微信支付 测试 ✓ 😀"

// buildLabelAPK compiles a manifest whose label and versionName are string
// resources, with a zh-rCN translation, using aapt and extra flags.
func buildLabelAPK(t *testing.T, extra ...string) string {
	t.Helper()
	framework := "/usr/share/android-framework-res/framework-res.apk"
	if _, err := os.Stat(framework); err != nil {
		t.Skip("android-framework-res not installed")
	}
	if _, err := exec.LookPath("aapt"); err != nil {
		t.Skip("aapt not installed")
	}
	dir := t.TempDir()
	write := func(name, s string) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(s), 0o644))
	}
	write("AndroidManifest.xml", `<manifest xmlns:android="http://schemas.android.com/apk/res/android"
    package="cn.example.label" android:versionCode="7" android:versionName="@string/ver">
  <uses-sdk android:minSdkVersion="21" android:targetSdkVersion="30"/>
  <uses-permission android:name="android.permission.CAMERA"/>
  <application android:label="@string/app_name" android:allowBackup="@bool/backup">
    <activity android:name=".Main" android:exported="true"/>
  </application>
</manifest>`)
	write("res/values/strings.xml", `<resources><string name="app_name">`+chineseLabel+`</string>
<string name="ver">版本 1.0</string><bool name="backup">false</bool></resources>`)
	write("res/values-zh-rCN/strings.xml", `<resources><string name="app_name">不是默认</string></resources>`)
	out := filepath.Join(dir, "out.apk")
	args := append([]string{"package", "-f", "-M", filepath.Join(dir, "AndroidManifest.xml"),
		"-S", filepath.Join(dir, "res"), "-I", framework, "-F", out}, extra...)
	msg, err := exec.Command("aapt", args...).CombinedOutput()
	require.NoError(t, err, "aapt package: %s", msg)
	return out
}

// TestResourcesChineseLabel checks string resolution through UTF-8 and
// UTF-16 string pools (emoji included: surrogate pairs and 4-byte UTF-8),
// and that the default configuration wins over zh-rCN.
func TestResourcesChineseLabel(t *testing.T) {
	for _, tt := range []struct {
		name  string
		flags []string
		utf8  bool
	}{
		{"utf8", nil, true},
		{"utf16", []string{"--utf16"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			apk := buildLabelAPK(t, tt.flags...)
			arsc, err := zipEntry(apk, "resources.arsc")
			require.NoError(t, err)
			require.Greater(t, len(arsc), 32)
			flags := binary.LittleEndian.Uint32(arsc[12+16:])
			require.Equal(t, tt.utf8, flags&poolFlagUTF8 != 0, "global pool encoding")

			m, err := readManifest(t, apk)
			require.NoError(t, err)
			assert.Equal(t, chineseLabel, m.Label)
			assert.Equal(t, "版本 1.0", m.VersionName)
			assert.Equal(t, boolp(false), m.Application.AllowBackup, "@bool reference resolved")
			assert.Equal(t, []Component{{Name: "cn.example.label.Main", Exported: boolp(true)}}, m.Activities)
			assert.Empty(t, m.Warnings)

			out, err := aapt(t, "dump", "badging", apk)
			require.NoError(t, err)
			assert.Contains(t, out, "application-label:'"+chineseLabel+"'")
			assert.Contains(t, out, "versionName='版本 1.0'")
		})
	}
}

// TestLoadResourcesFramework opens the 32 MB framework table and resolves
// one string, lazily.
func TestLoadResourcesFramework(t *testing.T) {
	ext := externalDir(t)
	if ext == "" {
		t.Skip("testdata/external not fetched (run fetch-external.sh)")
	}
	apk := filepath.Join(ext, "framework-res.apk")
	arsc, err := zipEntry(apk, "resources.arsc")
	require.NoError(t, err)
	res, err := LoadResources(arsc)
	require.NoError(t, err)
	axml, err := zipEntry(apk, "AndroidManifest.xml")
	require.NoError(t, err)
	m, err := ParseAXML(axml, res)
	require.NoError(t, err)
	assert.Equal(t, "Android System", m.Label)
	_, ok := res.String(0x7f010000)
	assert.False(t, ok, "no such package")
	_, ok = res.String(0x01ff0000)
	assert.False(t, ok, "no such type")
}
