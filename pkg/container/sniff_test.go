package container

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sniffBytes(t *testing.T, b []byte) (Kind, error) {
	t.Helper()
	return Sniff(bytes.NewReader(b), int64(len(b)))
}

func sniffPath(t *testing.T, p string) Kind {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	k, err := sniffBytes(t, b)
	require.NoError(t, err, p)
	return k
}

// extract returns an entry's bytes as archive/zip reads them.
func extract(t *testing.T, zipPath, name string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	require.NoError(t, err)
	defer zr.Close()
	rc, err := zr.Open(name)
	require.NoError(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	require.NoError(t, err)
	return b
}

func TestSniffCorpus(t *testing.T) {
	c := corpusDir(t)
	tests := []struct {
		glob string
		want Kind
	}{
		{"apk/fdroidserver/*.apk", KindAPK},
		{"apk/fdroidserver/repo/*.apk", KindAPK},
		{"apk/exodus-core/*.apk", KindAPK},
		{"apk/bundletool/*.apk", KindAPK},
		{"apk/bundletool/*.aab", KindAAB},
		{"apk/fdroidserver/signindex/*.jar", KindJAR},
		{"apk/fdroidserver/source-files/*/*/src/main/AndroidManifest.xml", KindManifestXML},
		{"README.md", KindUnknown},
	}
	for _, tt := range tests {
		files, err := filepath.Glob(filepath.Join(c, tt.glob))
		require.NoError(t, err)
		require.NotEmpty(t, files, tt.glob)
		for _, p := range files {
			assert.Equal(t, tt.want, sniffPath(t, p), p)
		}
	}

	// A binary manifest, extracted with archive/zip.
	axml := extract(t, fdroid(t, "urzip.apk"), "AndroidManifest.xml")
	k, err := sniffBytes(t, axml)
	require.NoError(t, err)
	assert.Equal(t, KindManifestAXML, k)
	// The DEX of an APK.
	k, err = sniffBytes(t, extract(t, fdroid(t, "urzip.apk"), "classes.dex"))
	require.NoError(t, err)
	assert.Equal(t, KindDEX, k)
}

func TestSniffExternal(t *testing.T) {
	ext := externalDir(t)
	var dex, jars, axml int
	err := filepath.WalkDir(ext, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.HasSuffix(p, ".dex"):
			dex++
			assert.Equal(t, KindDEX, sniffPath(t, p), p)
		case strings.HasSuffix(p, ".jar"):
			jars++
			assert.Equal(t, KindJAR, sniffPath(t, p), p)
		case strings.Contains(p, "/axml/") && strings.HasSuffix(p, ".xml"):
			if b, _ := os.ReadFile(p); len(b) > 4 && b[0] == 3 && b[1] == 0 {
				axml++
				assert.Equal(t, KindManifestAXML, sniffPath(t, p), p)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Positive(t, dex)
	assert.Positive(t, jars)
	// Its first chunk type is zeroed (a packer trick Android ignores); the string pool after it gives it away.
	assert.Equal(t, KindManifestAXML, sniffPath(t, filepath.Join(ext, "androguard", "axml", "AndroidManifest_WrongChunkStart.xml")))
	t.Logf("sniffed %d DEX files, %d JARs, %d binary XML files", dex, jars, axml)
}

func TestSniffShapes(t *testing.T) {
	rnd := make([]byte, 4096)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range rnd {
		rnd[i] = byte(r.Uint32())
	}
	apk := buildZip(t, zipFile{name: "AndroidManifest.xml", data: []byte{3, 0, 8, 0}}, zipFile{name: "classes.dex", data: []byte("dex\n035\x00")})
	tests := []struct {
		name    string
		in      []byte
		want    Kind
		wantErr bool
	}{
		{"empty", nil, KindUnknown, false},
		{"random", rnd, KindUnknown, false},
		{"text", []byte("hello, world\n"), KindUnknown, false},
		{"text manifest", []byte("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- c -->\n<manifest xmlns:android=\"x\" package=\"a\"/>"), KindManifestXML, false},
		{"other xml", []byte("<?xml version=\"1.0\"?><resources/>"), KindUnknown, false},
		{"manifestx is not manifest", []byte("<manifestx/>"), KindUnknown, false},
		{"dex", []byte("dex\n039\x00rest"), KindDEX, false},
		{"dex-like text", []byte("dex\nabc"), KindUnknown, false},
		{"elf shared object", append([]byte("\x7fELF\x02\x01\x01\x00"), 0, 0, 0, 0, 0, 0, 0, 0, 3, 0), KindELF, false},
		{"elf shared object, big-endian", append([]byte("\x7fELF\x01\x02\x01\x00"), 0, 0, 0, 0, 0, 0, 0, 0, 0, 3), KindELF, false},
		{"elf object file is no artifact", append([]byte("\x7fELF\x02\x01\x01\x00"), 0, 0, 0, 0, 0, 0, 0, 0, 1, 0), KindUnknown, false},
		{"elf header cut short", []byte("\x7fELF\x02\x01\x01\x00"), KindUnknown, false},
		{"axml", []byte{3, 0, 8, 0, 0x10, 0, 0, 0}, KindManifestAXML, false},
		{"apk", apk, KindAPK, false},
		{"aar", buildZip(t, zipFile{name: "AndroidManifest.xml"}, zipFile{name: "classes.jar"}), KindAAR, false},
		{"jar of classes", buildZip(t, zipFile{name: "a/B.class"}), KindJAR, false},
		{"dex jar", buildZip(t, zipFile{name: "classes.dex"}), KindJAR, false},
		{"plain zip", buildZip(t, zipFile{name: "readme.txt"}), KindZip, false},
		{"xapk without package is not xapk", buildZip(t, zipFile{name: "manifest.json", data: []byte(`{}`)}, zipFile{name: "a.apk", data: apk}, zipFile{name: "i.png"}), KindZip, false},
		{"broken zip", apk[:len(apk)-10], KindZip, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := sniffBytes(t, tt.in)
			if tt.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, k)
		})
	}
}
