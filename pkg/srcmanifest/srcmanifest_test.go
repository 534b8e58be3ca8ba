package srcmanifest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// grepLines is the oracle: the line of every android:name="…" of the file,
// found by reading it line by line (each declaration of the fixture sources
// is on one line).
func grepLines(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	re := regexp.MustCompile(`<(uses-permission|activity|service|receiver|provider|meta-data)\s[^>]*android:name="([^"]+)"`)
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			out[m[1]+" "+m[2]] = n
		}
	}
	return out
}

// TestDemoSource reads the demo app's source manifest and checks every
// line against the oracle, and the permission names against what aapt
// reads from the APK built from it.
func TestDemoSource(t *testing.T) {
	src := testenv.RepoRoot(t, "testdata", "fixtures", "src", "demo", "AndroidManifest.xml")
	m, err := Open(src)
	require.NoError(t, err)
	assert.Equal(t, "cn.example.jizhang", m.Package)
	want := grepLines(t, src)
	require.NotEmpty(t, want)
	for key, line := range want {
		kind, name, _ := strings.Cut(key, " ")
		switch kind {
		case "uses-permission":
			assert.Equal(t, line, m.Permissions[name], key)
		case "meta-data":
			assert.Equal(t, line, m.MetaData[name], key)
		default:
			if strings.HasPrefix(name, ".") {
				name = m.Package + name
			}
			assert.Equal(t, line, m.Components[name], key)
		}
	}
	assert.Positive(t, m.Application)

	if _, err := exec.LookPath("aapt"); err != nil {
		t.Skip("skipping the aapt oracle: aapt is absent (apt-get install -y aapt)")
	}
	out, err := exec.Command("aapt", "dump", "permissions", testenv.RepoRoot(t, "testdata", "demo", "demo.apk")).Output()
	require.NoError(t, err)
	var names []string
	for _, l := range strings.Split(string(out), "\n") {
		if n, ok := strings.CutPrefix(l, "uses-permission: name='"); ok {
			names = append(names, strings.SplitN(n, "'", 2)[0])
		}
	}
	require.NotEmpty(t, names)
	for _, n := range names {
		assert.Contains(t, m.Permissions, n, "aapt reads %s from the APK built from this source", n)
	}
}

// TestMultiLineTag: a tag spread over lines is found on its first line.
func TestMultiLineTag(t *testing.T) {
	m, err := Parse(strings.NewReader(`<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="a.b">
    <!-- a comment -->
    <uses-permission
        android:name="android.permission.CAMERA"
        android:maxSdkVersion="30" />
    <application>
        <service
            android:name=".Sync" />
    </application>
</manifest>
`), "m.xml")
	require.NoError(t, err)
	assert.Equal(t, 4, m.Permissions["android.permission.CAMERA"])
	assert.Equal(t, 8, m.Components["a.b.Sync"])
	assert.Equal(t, 7, m.Application)
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	_, err := Find(root, nil)
	require.ErrorIs(t, err, ErrNotFound)
	write("lib/src/main/AndroidManifest.xml", `<manifest xmlns:android="http://schemas.android.com/apk/res/android"><uses-permission android:name="android.permission.INTERNET"/></manifest>`)
	write("app/src/main/AndroidManifest.xml", `<manifest xmlns:android="http://schemas.android.com/apk/res/android">
<uses-permission android:name="android.permission.INTERNET"/>
<uses-permission android:name="android.permission.CAMERA"/></manifest>`)
	m, err := Find(root, []string{"android.permission.INTERNET", "android.permission.CAMERA"})
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "app", "src", "main", "AndroidManifest.xml"), m.Path, "the module that declares most of the build's permissions")
	assert.Equal(t, 3, m.Permissions["android.permission.CAMERA"])

	write("bad/src/main/AndroidManifest.xml", `<manifest><unclosed>`)
	_, err = Find(root, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad")
	_, err = Parse(strings.NewReader("<html/>"), "x.xml")
	require.ErrorContains(t, err, "no <manifest> element")
}

func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "fixtures", "src", "demo", "AndroidManifest.xml")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`<manifest package="x"><application><activity android:name=".A"/></application></manifest>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(strings.NewReader(string(b)), "fuzz.xml")
		if err != nil {
			return
		}
		for _, l := range m.Permissions {
			if l < 1 {
				t.Fatalf("line %d", l)
			}
		}
	})
}
