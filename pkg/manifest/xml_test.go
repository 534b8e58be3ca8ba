package manifest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sourceManifests(t *testing.T) []string {
	t.Helper()
	var files []string
	root := filepath.Join(corpusDir(t), "apk", "fdroidserver", "source-files")
	require.NoError(t, filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "AndroidManifest.xml" {
			files = append(files, p)
		}
		return err
	}))
	sort.Strings(files)
	require.Len(t, files, 9, "source manifests in the corpus")
	return files
}

func boolp(b bool) *bool { return &b }

// TestParseXMLHandChecked asserts values read by hand from two source manifests.
func TestParseXMLHandChecked(t *testing.T) {
	root := filepath.Join(corpusDir(t), "apk", "fdroidserver", "source-files")
	tests := []struct {
		file  string
		check func(t *testing.T, m *Manifest)
	}{
		{"cn.wildfirechat.chat/client/src/main/AndroidManifest.xml", func(t *testing.T, m *Manifest) {
			assert.Equal(t, "cn.wildfirechat.client", m.Package)
			require.Len(t, m.Permissions, 10, "duplicates are kept")
			assert.Equal(t, "android.permission.ACCESS_NETWORK_STATE", m.Permissions[0].Name)
			assert.Equal(t, "android.permission.REQUEST_IGNORE_BATTERY_OPTIMIZATIONS", m.Permissions[9].Name)
			assert.Len(t, foldPermissions(m.Permissions), 9, "READ_PHONE_STATE is listed twice")
			require.Len(t, m.Services, 1)
			assert.Equal(t, Component{Name: "cn.wildfirechat.client.ClientService", Process: ":marsservice"}, m.Services[0])
			require.Len(t, m.Receivers, 2)
			assert.Equal(t, "com.tencent.mars.BaseEvent$ConnectionReceiver", m.Receivers[0].Name)
			assert.Equal(t, "cn.wildfirechat.remote.RecoverReceiver", m.Receivers[1].Name)
			assert.Empty(t, m.Activities)
			assert.Zero(t, m.VersionCode)
		}},
		{"com.anpmech.launcher/app/src/main/AndroidManifest.xml", func(t *testing.T, m *Manifest) {
			assert.Equal(t, "com.anpmech.launcher", m.Package)
			assert.Equal(t, []UsesPermission{{Name: "android.permission.PACKAGE_USAGE_STATS"}}, m.Permissions)
			assert.Equal(t, "@string/app_name", m.Label, "references stay unresolved in text XML")
			assert.Equal(t, boolp(true), m.Application.AllowBackup)
			assert.Nil(t, m.Application.Debuggable)
			var names []string
			for _, a := range m.Activities {
				names = append(names, a.Name)
			}
			assert.Equal(t, []string{
				"com.anpmech.launcher.activities.SearchActivity",
				"com.anpmech.launcher.activities.SettingsActivity",
				"com.anpmech.launcher.activities.AboutActivity",
			}, names)
			require.Len(t, m.Receivers, 1)
			assert.Equal(t, "com.anpmech.launcher.monitor.PackageChangedReceiver", m.Receivers[0].Name)
			assert.Equal(t, boolp(false), m.Receivers[0].Enabled)
			assert.Nil(t, m.Receivers[0].Exported)
		}},
		{"com.integreight.onesheeld/oneSheeld/src/main/AndroidManifest.xml", func(t *testing.T, m *Manifest) {
			assert.Equal(t, "com.integreight.onesheeld", m.Package)
			assert.Len(t, m.Permissions, 25)
			require.NotEmpty(t, m.Providers)
			p := m.Providers[len(m.Providers)-1]
			assert.Equal(t, "android.support.v4.content.FileProvider", p.Name)
			assert.Equal(t, []string{"${applicationId}.provider"}, p.Authorities, "placeholders are kept")
			assert.Equal(t, boolp(false), p.Exported)
			assert.Contains(t, m.MetaData, MetaData{Name: "android.support.FILE_PROVIDER_PATHS", Value: "@xml/provider_paths", Parent: p.Name})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, tt.file))
			require.NoError(t, err)
			assert.Equal(t, KindXML, Detect(data))
			m, err := ParseXML(data)
			require.NoError(t, err)
			tt.check(t, m)
		})
	}
}

var resRefRE = regexp.MustCompile(`@(?:\+)?([a-z]+)/([A-Za-z0-9_.]+)`)

// stubResources writes a res/ tree defining every @type/name the manifest
// references, so that aapt can compile a source manifest on its own.
func stubResources(t *testing.T, dir string, manifest []byte) {
	t.Helper()
	var values strings.Builder
	values.WriteString("<resources>\n")
	seen := map[string]bool{}
	for _, m := range resRefRE.FindAllStringSubmatch(string(manifest), -1) {
		typ, name := m[1], m[2]
		if seen[typ+"/"+name] {
			continue
		}
		seen[typ+"/"+name] = true
		file := ""
		switch typ {
		case "string":
			fmt.Fprintf(&values, "<string name=%q>%s</string>\n", name, name)
		case "style":
			fmt.Fprintf(&values, "<style name=%q parent=\"\" />\n", name)
		case "integer":
			fmt.Fprintf(&values, "<integer name=%q>7</integer>\n", name)
		case "bool":
			fmt.Fprintf(&values, "<bool name=%q>true</bool>\n", name)
		case "drawable", "mipmap":
			file = `<shape xmlns:android="http://schemas.android.com/apk/res/android" />`
		case "xml":
			file = `<stub />`
		default:
			t.Logf("no stub for @%s/%s", typ, name)
			continue
		}
		if file != "" {
			p := filepath.Join(dir, typ, name+".xml")
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, []byte(file), 0o644))
		}
	}
	values.WriteString("</resources>\n")
	p := filepath.Join(dir, "values", "stubs.xml")
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(values.String()), 0o644))
}

// comparable drops what legitimately differs between a text manifest and
// its compiled form: resource references are text in one and resolved in
// the other, and aapt adds compileSdkVersion.
func comparable(m *Manifest) *Manifest {
	c := *m
	c.Label, c.Application.NetworkSecurityConfig, c.Warnings, c.CompileSDK = "", "", nil, 0
	c.MetaData = nil
	for _, md := range m.MetaData {
		if strings.HasPrefix(md.Value, "@") {
			md.Value = ""
		}
		c.MetaData = append(c.MetaData, md)
	}
	return &c
}

// TestParseXMLAgainstAapt compiles each source manifest with aapt (against
// the platform framework-res.apk and stub resources) and checks that the
// text decoder and the binary decoder agree on the whole model.
func TestParseXMLAgainstAapt(t *testing.T) {
	framework := "/usr/share/android-framework-res/framework-res.apk"
	if _, err := os.Stat(framework); err != nil {
		t.Skip("android-framework-res not installed (apt-get install android-framework-res)")
	}
	if _, err := exec.LookPath("aapt"); err != nil {
		t.Skip("aapt not installed")
	}
	var compiled, failed int
	for _, file := range sourceManifests(t) {
		rel, _ := filepath.Rel(filepath.Join(corpusDir(t), "apk", "fdroidserver", "source-files"), file)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			text, err := ParseXML(data)
			require.NoError(t, err)

			dir := t.TempDir()
			stubResources(t, filepath.Join(dir, "res"), data)
			out := filepath.Join(dir, "out.apk")
			cmd := exec.Command("aapt", "package", "-f", "-M", file, "-S", filepath.Join(dir, "res"), "-I", framework, "-F", out)
			if msg, err := cmd.CombinedOutput(); err != nil {
				failed++
				t.Skipf("aapt cannot compile this manifest: %v\n%s", err, msg)
			}
			compiled++
			bin, err := readManifest(t, out)
			require.NoError(t, err)
			assert.Equal(t, comparable(text), comparable(bin))
			if strings.HasPrefix(text.Label, "@string/") {
				assert.Equal(t, strings.TrimPrefix(text.Label, "@string/"), bin.Label, "label resolved through the stub table")
			}
		})
	}
	t.Logf("aapt compiled %d of %d source manifests (%d failed)", compiled, compiled+failed, failed)
}
