package collect

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/inventory"
)

// xapkOf zips manifest.json and the given APKs, stored, in order.
func xapkOf(t *testing.T, manifest string, apks ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("manifest.json")
	require.NoError(t, err)
	_, err = w.Write([]byte(manifest))
	require.NoError(t, err)
	for _, a := range apks {
		data, err := os.ReadFile(testenv.RepoRoot(t, "testdata", "fixtures", a[1]))
		require.NoError(t, err)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: a[0], Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// TestVerifyBase: the base APK of a bundle is told by its own manifest, not
// by manifest.json: a config split named the base is read as a split, the
// real base is read and the lie is a warning; no base at all is an error.
func TestVerifyBase(t *testing.T) {
	const lying = `{"package_name":"com.example.miitee","split_apks":[{"file":"config.apk","id":"base"},{"file":"app.apk","id":"config.xxhdpi"}]}`
	const otherPkg = `{"package_name":"com.example.other","split_apks":[{"file":"app.apk","id":"base"}]}`
	const noBase = `{"package_name":"com.example.miitee","split_apks":[{"file":"config.apk","id":"base"}]}`
	plain, err := build(t, fixture(t, "miitee.apk"), Options{Jobs: 2})
	require.NoError(t, err)
	for _, tc := range []struct {
		name, manifest string
		apks           [][2]string
		wantErr, warn  string
	}{
		{name: "lying", manifest: lying, apks: [][2]string{{"config.apk", "split/miitee-config.apk"}, {"app.apk", "apk/miitee.apk"}},
			warn: `the bundle names "config.apk" as the base APK, but its AndroidManifest.xml declares split="config.xxhdpi": it is a split, not the base; "app.apk"`},
		{name: "other package", manifest: otherPkg, apks: [][2]string{{"app.apk", "apk/miitee.apk"}},
			warn: `manifest.json claims package "com.example.other", but the base APK "app.apk" declares package "com.example.miitee"`},
		{name: "no base", manifest: noBase, apks: [][2]string{{"config.apk", "split/miitee-config.apk"}}, wantErr: "the bundle holds no base APK"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := xapkOf(t, tc.manifest, tc.apks...)
			inv, err := Build(context.Background(), container.NewFile(bytes.NewReader(data), int64(len(data)), "b.xapk"), Options{Jobs: 2})
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "com.example.miitee", inv.App.Package)
			assert.Equal(t, len(plain.Permissions), len(inv.Permissions), "the real base's permissions")
			found := false
			for _, w := range inv.Warnings {
				found = found || strings.Contains(w.Message, tc.warn)
			}
			assert.True(t, found, "a warning holds %q: %v", tc.warn, inv.Warnings)
			// One split is the base, named by its own manifest.
			var bases []string
			for _, s := range inv.Splits {
				if s.Base {
					bases = append(bases, s.Name)
				}
			}
			assert.Equal(t, []string{"base"}, bases)
			if tc.name == "lying" {
				assert.Contains(t, inv.Splits, inventory.Split{Name: "config.xxhdpi"}, "the claimed base, named by its split=")
			}
		})
	}
}
