package inventory

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/dex"
	"github.com/apkaudit/apkaudit/pkg/manifest"
)

func fixture(t testing.TB, name string) string {
	p := filepath.Join("..", "..", "testdata", "fixtures", "apk", name)
	_, err := os.Stat(p)
	require.NoError(t, err)
	return p
}

// TestReaderPanicsBecomeErrors: a panic inside a reader is stopped at the inventory's
// boundary and reported with the file and the component, never as a crash.
func TestReaderPanicsBecomeErrors(t *testing.T) {
	t.Run("dex", func(t *testing.T) {
		defer func(f func([]byte) (*dex.File, error)) { parseDEX = f }(parseDEX)
		parseDEX = func([]byte) (*dex.File, error) { panic("index out of range [7] with length 3") }
		inv, err := Build(fixture(t, "miitee.apk"), Options{})
		require.NoError(t, err, "one DEX failing is partial analysis, not an unreadable artifact")
		require.Len(t, inv.Unanalysed, 2)
		for _, u := range inv.Unanalysed {
			assert.Contains(t, []string{"classes.dex", "classes2.dex"}, u.Path)
			assert.Contains(t, u.Reason, "dex reader failed")
			assert.Contains(t, u.Reason, "index out of range")
		}
		assert.NotEmpty(t, inv.Permissions, "the manifest is still read")
	})
	t.Run("manifest", func(t *testing.T) {
		defer func(f func([]byte, *manifest.Resources) (*manifest.Manifest, error)) { parseManifest = f }(parseManifest)
		parseManifest = func([]byte, *manifest.Resources) (*manifest.Manifest, error) { panic("nil map write") }
		_, err := Build(fixture(t, "miitee.apk"), Options{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "AndroidManifest.xml")
		assert.Contains(t, err.Error(), "manifest reader failed: nil map write")
	})
}

// TestJARClasses lists the classes of a real JAR (the JPush jar of the external corpus).
func TestJARClasses(t *testing.T) {
	jar := filepath.Join("..", "..", "testdata", "external", "npm", "jpush-android-5.5.0.jar")
	if _, err := os.Stat(jar); err != nil {
		t.Skip("external corpus absent (make corpus)")
	}
	inv, err := Build(jar, Options{KeepClasses: true})
	require.NoError(t, err)
	assert.Equal(t, "jar", inv.Artifact.Kind)
	assert.Equal(t, len(inv.Code.ClassNames), inv.Code.Classes)
	assert.Contains(t, inv.Code.ClassNames, "cn.jpush.android.api.JPushInterface")
	total := 0
	for _, p := range inv.Code.Packages {
		total += p.Classes
	}
	assert.Equal(t, inv.Code.Classes, total)
}

// TestFoldPermissions: duplicates fold, the widest maxSdkVersion wins, facts attach.
func TestFoldPermissions(t *testing.T) {
	got := foldPermissions([]manifest.UsesPermission{
		{Name: "android.permission.CAMERA", MaxSDK: 28},
		{Name: "android.permission.INTERNET"},
		{Name: "android.permission.CAMERA"},
		{Name: "com.meizu.flyme.push.permission.RECEIVE", SDK23: true},
		{Name: ""},
	})
	require.Len(t, got, 3)
	assert.Equal(t, "android.permission.CAMERA", got[0].Name)
	assert.Equal(t, 0, got[0].MaxSDK)
	assert.True(t, got[0].Sensitive)
	assert.Equal(t, "dangerous", got[0].Protection)
	assert.Equal(t, "com.meizu.flyme.push.permission.RECEIVE", got[2].Name)
	assert.False(t, got[2].Known)
	assert.True(t, got[2].SDK23)
}
