package sdkbinaries_test

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// shipped is the part of inspect's JSON TestShippedArtifacts reads.
type shipped struct {
	Artifact struct {
		Kind string `json:"kind"`
	} `json:"artifact"`
	Permissions []struct {
		Name string `json:"name"`
	} `json:"permissions"`
	Components map[string][]struct {
		Name string `json:"name"`
	} `json:"components"`
	Native []struct {
		Path       string   `json:"path"`
		Soname     string   `json:"soname"`
		JNIClasses []string `json:"jni_classes"`
	} `json:"native"`
}

// TestShippedArtifacts checks what inspect reads from the dev set's AARs and
// bare .so files against independent tools: every AAR yields its manifest's
// permissions and components (unzip -p of its text AndroidManifest.xml), and
// every bare .so its soname (readelf -d) and the classes of its exported
// Java_* functions (nm -D --defined-only, each symbol "Java_" + the class
// mangled by the JNI rules + "_" + the method).
func TestShippedArtifacts(t *testing.T) {
	repo, dir := devSet(t)
	for _, tool := range []string{"unzip", "nm", "readelf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is this test's oracle: install it (unzip, binutils)", tool)
		}
	}
	bin := filepath.Join(t.TempDir(), "apkaudit")
	if out, err := exec.Command("go", "build", "-o", bin, filepath.Join(repo, "cmd", "apkaudit")).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	aars, libs := 0, 0
	for _, r := range readAnnotation(t, filepath.Join(repo, annotationFile)) {
		if r.kind != "aar" && r.kind != "so" {
			continue
		}
		file := filepath.Join(dir, r.file)
		out, err := exec.Command(bin, "inspect", "--format", "json", file).Output()
		if err != nil {
			t.Errorf("%s: inspect: %v", r.file, err)
			continue
		}
		var got shipped
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %v", r.file, err)
		}
		if got.Artifact.Kind != r.kind {
			t.Errorf("%s: artifact.kind %q, want %q", r.file, got.Artifact.Kind, r.kind)
		}
		switch r.kind {
		case "aar":
			aars++
			checkAARManifest(t, r.file, unzipText(file, "AndroidManifest.xml"), got)
		case "so":
			libs++
			checkNative(t, r.file, file, got)
		}
	}
	t.Logf("%d AARs and %d bare .so files checked against unzip, readelf and nm", aars, libs)
}

func checkAARManifest(t *testing.T, name, manifest string, got shipped) {
	t.Helper()
	if manifest == "" {
		t.Fatalf("%s: unzip read no AndroidManifest.xml", name)
	}
	pkg := regexp.MustCompile(`package="([^"]+)"`).FindStringSubmatch(manifest)[1]
	attr := func(tag string) []string {
		var out []string
		re := regexp.MustCompile(`(?s)<` + tag + `\b[^>]*?android:name="([^"]+)"`)
		for _, m := range re.FindAllStringSubmatch(manifest, -1) {
			n := m[1]
			if strings.HasPrefix(n, ".") {
				n = pkg + n
			}
			out = append(out, n)
		}
		sort.Strings(out)
		return out
	}
	var perms []string
	for _, p := range got.Permissions {
		perms = append(perms, p.Name)
	}
	want := attr("uses-permission")
	if strings.Join(perms, ",") != strings.Join(want, ",") || len(want) == 0 {
		t.Errorf("%s: permissions %v, the manifest says %v", name, perms, want)
	}
	for kind, tag := range map[string]string{"activities": "activity", "services": "service", "receivers": "receiver", "providers": "provider"} {
		var have []string
		for _, c := range got.Components[kind] {
			have = append(have, c.Name)
		}
		sort.Strings(have)
		if w := attr(tag); strings.Join(have, ",") != strings.Join(w, ",") {
			t.Errorf("%s: %s %v, the manifest says %v", name, kind, have, w)
		}
	}
}

func checkNative(t *testing.T, name, file string, got shipped) {
	t.Helper()
	if len(got.Native) != 1 {
		t.Errorf("%s: %d native entries, want 1", name, len(got.Native))
		return
	}
	lib := got.Native[0]
	elf, _ := exec.Command("readelf", "-d", file).Output()
	if m := regexp.MustCompile(`Library soname: \[([^\]]+)\]`).FindStringSubmatch(string(elf)); m == nil || m[1] != lib.Soname {
		t.Errorf("%s: soname %q, readelf says %v", name, lib.Soname, m)
	}
	nm, _ := exec.Command("nm", "-D", "--defined-only", file).Output()
	var syms []string
	for _, line := range strings.Split(string(nm), "\n") {
		if f := strings.Fields(line); len(f) == 3 && strings.HasPrefix(f[2], "Java_") {
			syms = append(syms, f[2])
		}
	}
	used := map[string]bool{}
	for _, s := range syms {
		found := false
		for _, c := range lib.JNIClasses {
			if strings.HasPrefix(s, "Java_"+mangle(c)+"_") {
				found, used[c] = true, true
			}
		}
		if !found {
			t.Errorf("%s: exported %s binds none of the JNI classes %v", name, s, lib.JNIClasses)
		}
	}
	for _, c := range lib.JNIClasses {
		if !used[c] {
			t.Errorf("%s: JNI class %s names no exported symbol", name, c)
		}
	}
}

// mangle is the JNI specification's mangling of a dotted class name ("Resolving Native Method Names").
func mangle(class string) string {
	var b strings.Builder
	for _, r := range class {
		switch {
		case r == '.':
			b.WriteByte('_')
		case r == '_':
			b.WriteString("_1")
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteString("_0" + hex4(r))
		}
	}
	return b.String()
}

func hex4(r rune) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[r>>12&15], digits[r>>8&15], digits[r>>4&15], digits[r&15]})
}
