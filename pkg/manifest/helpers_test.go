package manifest

import (
	"archive/zip"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

// corpusDir is shared/corpus beside the checkout; tests skip without it.
func corpusDir(t testing.TB) string { return testenv.Shared(t, "corpus") }

// externalDir is testdata/external, fetched by make corpus; "" when absent.
func externalDir(t testing.TB) string { return testenv.LookupExternal(t) }

// corpusAPKs lists the APKs the oracle tests run over.
func corpusAPKs(t testing.TB) []string {
	t.Helper()
	var files []string
	walk := func(root string, deep bool) {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && p != root && !deep {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".apk") {
				files = append(files, p)
			}
			return nil
		})
	}
	walk(filepath.Join(corpusDir(t), "apk"), true)
	if ext := externalDir(t); ext != "" {
		walk(filepath.Join(ext, "androguard", "tests"), true)
		walk(filepath.Join(ext, "androguard", "android"), true)
		walk(filepath.Join(ext, "androguard", "axml"), true)
		walk(filepath.Join(ext, "androguard", "dalvik"), true)
		walk(filepath.Join(ext, "androguard", "signing"), false)
		if os.Getenv("MANIFEST_ORACLE_APKSIG") != "" {
			// Android's 309 apksig vectors: about 40 s of aapt, so opt-in.
			walk(filepath.Join(ext, "androguard", "signing", "apksig"), true)
		}
		walk(filepath.Join(ext, "npm"), false)
		files = append(files, filepath.Join(ext, "framework-res.apk"))
	}
	sort.Strings(files)
	return files
}

// zipEntry reads one entry of the zip at path; (nil, nil) when it is absent.
func zipEntry(path, name string) ([]byte, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(io.LimitReader(rc, 256<<20))
	}
	return nil, nil
}

// readManifest extracts and decodes AndroidManifest.xml (and resources.arsc)
// from the APK at path.
func readManifest(t testing.TB, path string) (*Manifest, error) {
	t.Helper()
	axml, err := zipEntry(path, "AndroidManifest.xml")
	if err != nil {
		return nil, err
	}
	if axml == nil {
		return nil, errors.New("no AndroidManifest.xml")
	}
	var res *Resources
	if arsc, err := zipEntry(path, "resources.arsc"); err == nil && arsc != nil {
		res, err = LoadResources(arsc)
		require.NoError(t, err, "resources.arsc")
	}
	return ParseAXML(axml, res)
}

// aapt runs aapt with args and returns its stdout, or an error when it fails.
func aapt(t testing.TB, args ...string) (string, error) {
	t.Helper()
	bin, err := exec.LookPath("aapt")
	if err != nil {
		t.Skip("aapt not installed (apt-get install aapt)")
	}
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		return string(out), err
	}
	return string(out), nil
}
