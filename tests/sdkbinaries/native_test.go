package sdkbinaries_test

import (
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
	repo, dir := devSet(t)
	cat, err := sdkdb.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	s := kindScores{}
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
		missed, extra := s.add(r.kind, r.sdks, got)
		for _, id := range missed {
			t.Errorf("%s: %s not found from its name or JNI classes %v (got %s)", r.file, id, lib.Classes(), joinIDs(got))
		}
		for _, id := range extra {
			t.Errorf("%s: %s matched but is not in the file", r.file, id)
		}
	}
	s.log(t, "catalogue native signals through pkg/native: ")
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
