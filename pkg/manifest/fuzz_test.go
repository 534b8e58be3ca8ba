package manifest

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// fuzzSeedAPKs are small real APKs whose manifests and tables seed the fuzzers.
var fuzzSeedAPKs = []string{
	"fdroidserver/org.sajeg.fallingblocks_3.apk",
	"fdroidserver/urzip.apk",
	"fdroidserver/minimal_targetsdk_30_unsigned.apk",
	"bundletool/com.test.app.apk",
	"exodus-core/blooddonation.apk",
}

// seedFrom adds entry of each seed APK (or AAB) to f when the corpus is present.
func seedFrom(f *testing.F, files []string, entry string) {
	dir := testenv.LookupShared(f, "corpus", "apk")
	for _, name := range files {
		if b, err := zipEntry(filepath.Join(dir, name), entry); err == nil && b != nil {
			f.Add(b)
		}
	}
}

// walk touches every field of m so that lazily decoded data is exercised.
func walk(m *Manifest, res *Resources) int {
	n := len(m.Package) + len(m.VersionName) + len(m.Label) + int(m.VersionCode) + m.MinSDK + m.TargetSDK + m.CompileSDK
	for _, p := range m.Permissions {
		n += len(p.Name) + len(p.Flags) + p.MaxSDK
	}
	for _, p := range m.PermissionDefs {
		n += len(p.Name) + len(p.ProtectionLevel)
	}
	for _, cs := range [][]Component{m.Activities, m.Services, m.Receivers, m.Providers} {
		for _, c := range cs {
			n += len(c.Name) + len(c.TargetActivity) + len(c.Process)
			for _, a := range c.Authorities {
				n += len(a)
			}
			if c.Exported != nil && *c.Exported {
				n++
			}
			if c.Enabled != nil && *c.Enabled {
				n++
			}
		}
	}
	for _, md := range m.MetaData {
		n += len(md.Name) + len(md.Value) + len(md.Parent)
		// android:resource values are kept raw; resolve them as a caller would.
		if id, err := strconv.ParseUint(strings.TrimPrefix(md.Value, "@0x"), 16, 32); err == nil && res != nil {
			s, _ := res.String(uint32(id))
			n += len(s)
		}
	}
	for _, s := range append(append(append([]string{}, m.Queries...), m.UsesLibraries...), m.Warnings...) {
		n += len(s)
	}
	a := m.Application
	for _, b := range []*bool{a.Debuggable, a.AllowBackup, a.UsesCleartextTraffic} {
		if b != nil && *b {
			n++
		}
	}
	n += len(a.NetworkSecurityConfig) + len(a.Name)
	return n
}

func FuzzParseAXML(f *testing.F) {
	seedFrom(f, fuzzSeedAPKs, "AndroidManifest.xml")
	f.Add([]byte{3, 0, 8, 0, 8, 0, 0, 0})
	// A real table so that reference resolution is fuzzed too.
	var res *Resources
	apk := testenv.LookupShared(f, "corpus", "apk", "fdroidserver", "org.sajeg.fallingblocks_3.apk")
	if arsc, err := zipEntry(apk, "resources.arsc"); err == nil && arsc != nil {
		res, _ = LoadResources(arsc)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		trusted := abTrusted(b)
		for _, r := range []*Resources{nil, res} {
			m, err := ParseAXML(b, r)
			// Differential check against the oracle, where it can be trusted:
			// the walker must read what androidbinary reads.
			var ab *Manifest
			if trusted {
				ab, _ = abDecode(b, r)
			}
			if err != nil {
				if ab != nil {
					t.Fatalf("androidbinary decodes a manifest the walker rejects: %v", err)
				}
				return
			}
			walk(m, r)
			if ab != nil && !reflect.DeepEqual(m, ab) {
				t.Fatalf("decoders disagree:\nwalker:        %+v\nandroidbinary: %+v", m, ab)
			}
		}
	})
}

func FuzzLoadResources(f *testing.F) {
	seedFrom(f, fuzzSeedAPKs, "resources.arsc")
	f.Add([]byte{2, 0, 12, 0, 12, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := LoadResources(b)
		if err != nil {
			return
		}
		// Every package, type and a range of entries, plus the ids a
		// typical app label uses.
		for pkg := range res.pkgs {
			for typ := range res.pkgs[pkg].types {
				for e := range uint32(64) {
					res.String(pkg<<24 | uint32(typ)<<16 | e)
				}
			}
		}
		res.String(0x7f010000)
		res.String(0x01040000)
	})
}

func FuzzParseProto(f *testing.F) {
	dir := testenv.LookupShared(f, "corpus", "apk", "bundletool")
	for _, aab := range []string{"install-time-permanent-modules.aab", "watch-face-from-tool.aab"} {
		for _, mod := range []string{"base", "runtime", "java"} {
			if b, err := zipEntry(filepath.Join(dir, aab), mod+"/manifest/AndroidManifest.xml"); err == nil && b != nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte{0x0a, 0x0a, 0x1a, 0x08, 'm', 'a', 'n', 'i', 'f', 'e', 's', 't'})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseProto(b, nil)
		if err != nil {
			return
		}
		walk(m, nil)
	})
}

func FuzzLoadProtoResources(f *testing.F) {
	dir := testenv.LookupShared(f, "corpus", "apk", "bundletool")
	// The small tables only: the fuzzer minimises every new input.
	for _, e := range [][2]string{{"watch-face-from-tool.aab", "base/resources.pb"}, {"install-time-permanent-modules.aab", "java/resources.pb"}, {"install-time-permanent-modules.aab", "assets/resources.pb"}} {
		if b, err := zipEntry(filepath.Join(dir, e[0]), e[1]); err == nil && b != nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := LoadProtoResources(b)
		if err != nil {
			return
		}
		for id := range r.pb {
			r.String(id)
		}
	})
}

func FuzzParseXML(f *testing.F) {
	root := testenv.LookupShared(f, "corpus", "apk", "fdroidserver", "source-files")
	for _, p := range []string{
		"cn.wildfirechat.chat/client/src/main/AndroidManifest.xml",
		"com.anpmech.launcher/app/src/main/AndroidManifest.xml",
		"com.integreight.onesheeld/localeapi/src/main/AndroidManifest.xml",
	} {
		if b, err := os.ReadFile(filepath.Join(root, p)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<manifest xmlns:a="http://schemas.android.com/apk/res/android" package="p"><application><activity a:name=".A"/></application></manifest>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseXML(b)
		if err != nil {
			return
		}
		walk(m, nil)
	})
}
