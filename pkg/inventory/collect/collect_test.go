package collect

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"io"
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
	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/dex"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/manifest"
)

func fixture(t testing.TB, name string) string {
	return testenv.Fixture(t, name)
}

// build opens the file at path and builds its inventory.
func build(t testing.TB, path string, opt Options) (*inventory.Inventory, error) {
	t.Helper()
	f, err := container.Open(path)
	require.NoError(t, err)
	defer func() { require.NoError(t, f.Close()) }()
	return Build(context.Background(), f, opt)
}

// TestReaderPanicsBecomeErrors: a panic inside a reader is stopped at the inventory's
// boundary and reported with the file and the component, never as a crash.
func TestReaderPanicsBecomeErrors(t *testing.T) {
	t.Run("dex", func(t *testing.T) {
		defer func(f func([]byte, int) (*dex.File, error)) { parseDEX = f }(parseDEX)
		parseDEX = func([]byte, int) (*dex.File, error) { panic("index out of range [7] with length 3") }
		inv, err := build(t, fixture(t, "miitee.apk"), Options{})
		require.NoError(t, err, "one DEX failing is partial analysis, not an unreadable artifact")
		require.Len(t, inv.Unanalysed, 2)
		for _, u := range inv.Unanalysed {
			assert.Contains(t, []string{"classes.dex", "classes2.dex"}, u.Path)
			assert.Contains(t, u.Reason, "reader failed")
			assert.Contains(t, u.Reason, "index out of range")
		}
		assert.NotEmpty(t, inv.Permissions, "the manifest is still read")
	})
	t.Run("manifest", func(t *testing.T) {
		defer func(f func([]byte, *manifest.Resources) (*manifest.Manifest, error)) { parseManifest = f }(parseManifest)
		parseManifest = func([]byte, *manifest.Resources) (*manifest.Manifest, error) { panic("nil map write") }
		_, err := build(t, fixture(t, "miitee.apk"), Options{})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "AndroidManifest.xml")
		assert.Contains(t, err.Error(), "reader failed: nil map write")
	})
}

// TestJARClasses lists the classes of a real JAR (the JPush jar of the external corpus).
func TestJARClasses(t *testing.T) {
	jar := testenv.External(t, "npm", "jpush-android-5.5.0.jar")
	inv, err := build(t, jar, Options{KeepClasses: true})
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

// TestSplitBundle: an .apks/.xapk bundle (built here from the real fixture APKs, as
// bundletool and APK stores pack them) reports the base APK's manifest, the code of
// every split, and the split list.
func TestSplitBundle(t *testing.T) {
	base, err := os.ReadFile(fixture(t, "miitee.apk"))
	require.NoError(t, err)
	split, err := os.ReadFile(fixture(t, "packed.apk"))
	require.NoError(t, err)
	tests := []struct {
		name  string
		files map[string][]byte
		kind  string
	}{
		{"apks", map[string][]byte{"splits/base-master.apk": base, "splits/base-arm64_v8a.apk": split}, "apks"},
		{"xapk", map[string][]byte{
			"manifest.json":          []byte(`{"package_name":"com.example.miitee","version_code":42,"split_apks":[{"file":"com.example.miitee.apk","id":"base"},{"file":"config.arm64_v8a.apk","id":"config.arm64_v8a"}]}`),
			"com.example.miitee.apk": base, "config.arm64_v8a.apk": split}, "xapk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bundle."+tt.name)
			writeZip(t, p, tt.files)
			inv, err := build(t, p, Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.kind, inv.Artifact.Kind)
			assert.Equal(t, "com.example.miitee", inv.App.Package, "the base APK's manifest is the app's")
			assert.NotEmpty(t, inv.Permissions)
			assert.Len(t, inv.Splits, 2)
			bases := 0
			for _, s := range inv.Splits {
				if s.Base {
					bases++
				}
			}
			assert.Equal(t, 1, bases)
			assert.Equal(t, 65+2, inv.Code.Classes, "classes of both splits")
			assert.Contains(t, strings.Join(inv.NativeLibs, " "), "libjiagu.so")
		})
	}
}

func writeZip(t *testing.T, path string, files map[string][]byte) {
	f, err := os.Create(path)
	require.NoError(t, err)
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		require.NoError(t, err)
		_, err = w.Write(files[n])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	require.NoError(t, f.Close())
}

// TestWarningsRaisedWhileReading: warnings the zip layer raises while entries
// are read (here a DEX whose data does not match the CRC the central
// directory declares) reach the inventory, and so do the layout warnings the
// pool computes beside the DEX work.
func TestWarningsRaisedWhileReading(t *testing.T) {
	clean, err := build(t, fixture(t, "miitee.apk"), Options{})
	require.NoError(t, err)
	for _, w := range clean.Warnings {
		require.NotContains(t, w.String(), "CRC", "the fixture itself is sound")
	}
	data, err := os.ReadFile(fixture(t, "miitee.apk"))
	require.NoError(t, err)
	cd := bytes.Index(data, []byte("PK\x01\x02"))
	require.Positive(t, cd)
	found := false
	for off := cd; off >= 0 && off+46 < len(data); {
		nameLen := int(binary.LittleEndian.Uint16(data[off+28:]))
		if string(data[off+46:off+46+nameLen]) == "classes2.dex" {
			binary.LittleEndian.PutUint32(data[off+16:], binary.LittleEndian.Uint32(data[off+16:])^1)
			found = true
			break
		}
		next := bytes.Index(data[off+4:], []byte("PK\x01\x02"))
		if next < 0 {
			break
		}
		off += 4 + next
	}
	require.True(t, found, "no central directory record for classes2.dex")
	data = append(data, 0, 0, 0, 0) // bytes after the end record: a layout warning
	for _, mem := range []bool{false, true} {
		var r io.ReaderAt = bytes.NewReader(data)
		if mem {
			r = container.Mem(data)
		}
		inv, err := Build(context.Background(), container.NewFile(r, int64(len(data)), "miitee.apk"), Options{Jobs: 2})
		require.NoError(t, err)
		var all []string
		for _, w := range inv.Warnings {
			all = append(all, w.String())
		}
		joined := strings.Join(all, "\n")
		assert.Contains(t, joined, `entry "classes2.dex" has CRC`, "mem=%v", mem)
		assert.Contains(t, joined, "after the end of central directory record", "mem=%v", mem)
		assert.Equal(t, clean.Code.Classes, inv.Code.Classes, "the data is kept and its classes counted")
	}
}

// TestAABLabelFromResourcesPB: a bundle's label is resolved through
// base/resources.pb; the oracle is aapt2 dump badging of the base module
// repackaged as a proto-format APK.
func TestAABLabelFromResourcesPB(t *testing.T) {
	aapt2, err := exec.LookPath("aapt2")
	if err != nil {
		t.Skip("aapt2 not installed (make deps: Debian's aapt)")
	}
	dir := testenv.Shared(t, "corpus", "apk", "bundletool")
	for _, name := range []string{"install-time-permanent-modules.aab", "watch-face-from-tool.aab"} {
		aab := filepath.Join(dir, name)
		if _, err := os.Stat(aab); err != nil {
			t.Skip("shared corpus absent")
		}
		t.Run(name, func(t *testing.T) {
			zr, err := zip.OpenReader(aab)
			require.NoError(t, err)
			defer zr.Close()
			apk := filepath.Join(t.TempDir(), "base.apk")
			out := map[string][]byte{}
			for _, f := range zr.File {
				target := map[string]string{"base/manifest/AndroidManifest.xml": "AndroidManifest.xml", "base/resources.pb": "resources.pb"}[f.Name]
				if target == "" {
					continue
				}
				rc, err := f.Open()
				require.NoError(t, err)
				out[target], err = io.ReadAll(rc)
				require.NoError(t, err)
				rc.Close()
			}
			writeZip(t, apk, out)
			badging, err := exec.Command(aapt2, "dump", "badging", apk).Output()
			require.NoError(t, err)
			m := regexp.MustCompile(`(?m)^application-label:'(.*)'$`).FindSubmatch(badging)
			require.NotNil(t, m, "aapt2 gives no label")

			inv, err := build(t, aab, Options{NoCode: true})
			require.NoError(t, err)
			assert.Equal(t, string(m[1]), inv.App.Label)
			for _, w := range inv.Warnings {
				assert.NotContains(t, w.String(), "unresolved resource reference")
			}
		})
	}
}

// TestMappedAndReadAgree: the same artifact read through the mapping (with
// its pages dropped behind the scan) and through pread gives the same
// inventory.
func TestMappedAndReadAgree(t *testing.T) {
	apk := testenv.External(t, "npm", "appium-uiautomator2-server-v10.6.6.apk")
	mapped, err := build(t, apk, Options{Jobs: 2})
	require.NoError(t, err)
	data, err := os.ReadFile(apk)
	require.NoError(t, err)
	plain, err := Build(context.Background(), container.NewFile(strings.NewReader(string(data)), int64(len(data)), apk), Options{Jobs: 2})
	require.NoError(t, err)
	assert.Equal(t, plain.Artifact, mapped.Artifact)
	assert.Equal(t, plain.Code.Classes, mapped.Code.Classes)
	assert.Equal(t, plain.Code.Packages, mapped.Code.Packages)
	assert.Equal(t, plain.Warnings, mapped.Warnings)
}

// TestCancel: a cancelled context stops the scan with its error.
func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f, err := container.Open(fixture(t, "miitee.apk"))
	require.NoError(t, err)
	defer f.Close()
	_, err = Build(ctx, f, Options{})
	require.ErrorIs(t, err, context.Canceled)
}
