package sdkbinaries_test

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/pkg/native"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// TestNativeSignals checks the catalogue's native signals on the dev set's
// real .so files before the scan reads a bare .so (gate so-artifact): each
// library is read with pkg/native, and an entry counts as found when one of
// its strong native_libs globs matches the file name or one of its
// jni_classes matches, on whole segments, a class the library binds (JNI
// exports and class strings). Weak values never count. The SDKs found must be
// exactly the annotated ones. Once so-artifact is enabled, TestSDKBinaries
// scores the same files through the real scan.
func TestNativeSignals(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(repo, binariesDir)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s is absent (run make corpus, or scripts/fetch-sdk-binaries.sh): the SDK-binaries dev set is not scored", binariesDir)
	}
	cat, err := sdkdb.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var s score
	for _, r := range readAnnotation(t, filepath.Join(repo, annotationFile)) {
		if r.kind != "so" {
			continue
		}
		lib, err := native.Open(filepath.Join(dir, r.file), limits.Limits{})
		if err != nil {
			t.Errorf("%s: %v", r.file, err)
			continue
		}
		got := nativeMatches(cat, path.Base(r.file), lib.Classes())
		s.files++
		s.want += len(r.sdks)
		s.reported += len(got)
		for _, id := range r.sdks {
			if contains(got, id) {
				s.found++
				s.correct++
			} else {
				t.Errorf("%s: %s not found from its name or JNI classes %v (got %v)", r.file, id, lib.Classes(), got)
			}
		}
		for _, id := range got {
			if !contains(r.sdks, id) {
				t.Errorf("%s: %s matched but is not in the file", r.file, id)
			}
		}
	}
	t.Logf("so files %2d  SDKs %2d  found %2d  reported %2d  recall %.2f  precision %.2f (catalogue native signals through pkg/native)", s.files, s.want, s.found, s.reported, s.recall(), s.precision())
}

// nativeMatches returns the ids of the entries whose strong native signals match a library.
func nativeMatches(cat *sdkdb.Catalogue, name string, classes []string) []string {
	var ids []string
	for _, e := range cat.Entries {
		if nativeMatch(e.Signals, name, classes) {
			ids = append(ids, e.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func nativeMatch(s sdkdb.Signals, name string, classes []string) bool {
	for _, g := range s.NativeLibs {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	for _, p := range s.JNIClasses {
		for _, c := range classes {
			if strings.HasPrefix(c+".", p+".") {
				return true
			}
		}
	}
	return false
}
