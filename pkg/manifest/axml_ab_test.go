package manifest

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// corpusAXML reads AndroidManifest.xml and resources.arsc of the APK at path.
func corpusAXML(t *testing.T, path string) ([]byte, *Resources) {
	t.Helper()
	axml, err := zipEntry(path, "AndroidManifest.xml")
	if err != nil || axml == nil {
		return nil, nil
	}
	var res *Resources
	if arsc, err := zipEntry(path, "resources.arsc"); err == nil && arsc != nil {
		res, err = LoadResources(arsc)
		require.NoError(t, err, "resources.arsc")
	}
	return axml, res
}

// TestAXMLDecoderPaths reports which corpus manifests androidbinary decodes
// and which fall back to the walker, and checks the known fallbacks.
func TestAXMLDecoderPaths(t *testing.T) {
	paths := map[string][]string{}
	for _, path := range corpusAPKs(t) {
		axml, res := corpusAXML(t, path)
		if axml == nil {
			continue
		}
		name := filepath.Base(filepath.Dir(path)) + "/" + filepath.Base(path)
		m, how, err := decodeAXML(axml, res)
		if err != nil {
			paths["error"] = append(paths["error"], name)
			continue
		}
		paths[how] = append(paths[how], name)
		if how == pathWalker {
			require.NotEmpty(t, m.Warnings, name)
			t.Logf("%s: %s", name, m.Warnings[0])
			assert.Contains(t, m.Warnings[0], walkerNote, "%s: fallback is reported", name)
		} else {
			for _, w := range m.Warnings {
				assert.NotContains(t, w, walkerNote, name)
			}
		}
	}
	for _, k := range []string{pathAndroidBinary, pathWalker, "error"} {
		sort.Strings(paths[k])
		t.Logf("%s: %d files", k, len(paths[k]))
		if k != pathAndroidBinary {
			for _, n := range paths[k] {
				t.Logf("  %s", n)
			}
		}
	}
	assert.NotEmpty(t, paths[pathAndroidBinary], "androidbinary decodes the ordinary corpus manifests")

	// Files androidbinary is known to trip on elsewhere (fallingblocks
	// breaks its apk package's resource lookup, ShortName has short string
	// pool entries): whichever path they take, package and permissions
	// must match aapt.
	cases := []struct{ dir, file string }{
		{filepath.Join(corpusDir(t), "apk", "fdroidserver"), "org.sajeg.fallingblocks_3.apk"},
	}
	if ext := externalDir(t); ext != "" {
		cases = append(cases, struct{ dir, file string }{filepath.Join(ext, "androguard", "axml"), "AndroidManifest_ShortName.apk"})
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(c.dir, c.file)
			axml, res := corpusAXML(t, path)
			require.NotNil(t, axml)
			m, how, err := decodeAXML(axml, res)
			require.NoError(t, err)
			t.Logf("decoded by %s", how)
			if c.file == "org.sajeg.fallingblocks_3.apk" {
				// Its attributes name the namespace by its prefix string,
				// which androidbinary rejects; the walker goes by resource ID.
				assert.Equal(t, pathWalker, how)
				assert.Contains(t, m.Warnings[0], "androidbinary could not decode the manifest (invalid reference")
			}
			out, err := aapt(t, "dump", "permissions", path)
			require.NoError(t, err)
			want := []string{}
			for _, line := range strings.Split(out, "\n") {
				if g := aaptPermRE.FindStringSubmatch(line); g != nil {
					want = append(want, g[1])
				}
				if p, ok := strings.CutPrefix(line, "package: "); ok {
					assert.Equal(t, p, m.Package)
				}
			}
			sort.Strings(want)
			assert.Equal(t, dedup(want), foldPermissions(m.Permissions))
		})
	}
}

func dedup(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// TestAXMLDecodersAgree checks that on every corpus manifest androidbinary
// decodes, the walker gives the identical Manifest. (aapt remains the
// correctness oracle, in TestAXMLAgainstAapt.)
func TestAXMLDecodersAgree(t *testing.T) {
	n := 0
	for _, path := range corpusAPKs(t) {
		axml, res := corpusAXML(t, path)
		if axml == nil {
			continue
		}
		if testing.Short() && strings.Contains(path, "framework-res") {
			continue
		}
		if unsafe, lossy, err := abCheck(axml); err != nil || unsafe != "" || lossy != "" {
			continue
		}
		ab, err := abDecode(axml, res)
		if err != nil {
			continue
		}
		w, err := parseAXML(axml, res)
		require.NoError(t, err, path)
		assert.Equal(t, w, ab, path)
		n++
	}
	t.Logf("%d manifests decoded identically by both", n)
	if n == 0 {
		t.Skip("no corpus manifest decoded by androidbinary")
	}
}
