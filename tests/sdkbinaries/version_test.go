package sdkbinaries_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/sdkdb"
)

// TestVersionLocations checks the catalogue's version locations on the dev set
// before the scan reads them (gates aar-manifest, class-constant, jar-file):
// for every annotated version, the entry's locations, tried in order, are
// read with independent tools (unzip for manifests, files and pom.properties,
// javap -constants for class constants) and the first one found, through its
// pattern, must be the annotated version; for an SDK whose file carries no
// version, no location may yield one.
func TestVersionLocations(t *testing.T) {
	repo, dir := devSet(t)
	for _, tool := range []string{"unzip", "javap"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is this test's oracle: install it (unzip, openjdk-17-jdk-headless)", tool)
		}
	}
	cat, err := sdkdb.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range readAnnotation(t, filepath.Join(repo, annotationFile)) {
		for _, id := range r.sdks {
			if _, carried := r.versions[id]; carried || r.kind == "so" {
				continue
			}
			e := cat.Lookup(id)
			if e == nil {
				t.Fatalf("%s: annotated id %s is not in the catalogue", r.file, id)
			}
			// A version the binary does not carry is absent, never guessed.
			for _, v := range e.Version {
				if got, where := readVersion(t, filepath.Join(dir, r.file), v); got != "" {
					t.Errorf("%s: %s version %q from %s, but the annotation says the file carries none", r.file, id, got, where)
				}
			}
		}
		for id, want := range r.versions {
			e := cat.Lookup(id)
			if e == nil || len(e.Version) == 0 {
				t.Errorf("%s: %s carries version %s, but the catalogue says nowhere where", r.file, id, want)
				continue
			}
			got, where := "", ""
			for _, v := range e.Version {
				if got, where = readVersion(t, filepath.Join(dir, r.file), v); got != "" {
					break
				}
			}
			if got != want {
				t.Errorf("%s: %s version %q (from %s), want %q", r.file, id, got, where, want)
				continue
			}
			checked++
		}
	}
	t.Logf("versions: %d annotated versions read from the catalogue's locations by unzip and javap", checked)
}

// readVersion reads one version location of file with the oracle tools; "" when it is not there.
func readVersion(t *testing.T, file string, v sdkdb.VersionSource) (version, where string) {
	var raw string
	switch {
	case v.Manifest != "":
		where = "manifest " + v.Manifest
		m := unzipText(file, "AndroidManifest.xml")
		if p := regexp.MustCompile(`package="([^"]+)"`).FindStringSubmatch(m); p == nil || p[1] != v.Manifest {
			return "", where
		}
		if s := regexp.MustCompile(`android:versionName="([^"]+)"`).FindStringSubmatch(m); s != nil {
			raw = s[1]
		}
	case v.File != "":
		where = "file " + v.File
		raw = strings.TrimSpace(unzipText(file, v.File))
		if v.Key != "" {
			raw = property(raw, v.Key)
		}
	case v.Pom != "":
		where = "pom " + v.Pom
		g, a, _ := strings.Cut(v.Pom, ":")
		raw = property(unzipText(file, "META-INF/maven/"+g+"/"+a+"/pom.properties"), "version")
	case v.Class != "":
		where = "class " + v.Class + "." + v.Field
		if !strings.HasSuffix(file, ".jar") {
			return "", where
		}
		out, _ := exec.Command("javap", "-constants", "-p", "-cp", file, v.Class).Output()
		re := regexp.MustCompile(`static final java\.lang\.String ` + regexp.QuoteMeta(v.Field) + ` = "((?:[^"\\]|\\.)*)";`)
		if m := re.FindStringSubmatch(string(out)); m != nil {
			raw = m[1]
		}
	}
	if raw == "" || v.Pattern == "" {
		return raw, where
	}
	m := regexp.MustCompile(v.Pattern).FindStringSubmatch(raw)
	if m == nil {
		t.Logf("%s: %s %q does not match the pattern %q", file, where, raw, v.Pattern)
		return "", where
	}
	return m[1], where
}

func unzipText(file, entry string) string {
	out, _ := exec.Command("unzip", "-p", file, entry).Output()
	return string(out)
}

// property returns the value of key in Java properties text ("key=value" or "key: value").
func property(text, key string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
