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
// library is read with pkg/native, and an entry counts as found when
//   - one of its strong native_libs globs matches the file name, or
//   - a class the library exports Java_* functions for (its own code) falls
//     under one of its dex_packages or jni_classes, or is one of its classes, or
//   - a class name in the library's read-only data (handed to RegisterNatives,
//     or to FindClass for a class it only calls) falls under its jni_classes.
//
// Matching is on whole segments, and weak values never count. The SDKs found
// must be exactly the annotated ones. This is the rule the scan is to follow;
// once so-artifact is enabled, TestSDKBinaries scores the same files through it.
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
		var exported []string
		for _, m := range lib.JNI {
			exported = append(exported, m.Class)
		}
		got := nativeMatches(cat, path.Base(r.file), exported, lib.ClassStrings)
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
func nativeMatches(cat *sdkdb.Catalogue, name string, exported, named []string) []string {
	var ids []string
	for _, e := range cat.Entries {
		if nativeMatch(e.Signals, name, exported, named) {
			ids = append(ids, e.ID)
		}
	}
	sort.Strings(ids)
	return ids
}

func nativeMatch(s sdkdb.Signals, name string, exported, named []string) bool {
	for _, g := range s.NativeLibs {
		if ok, _ := path.Match(g, name); ok {
			return true
		}
	}
	for _, c := range exported {
		if contains(s.Classes, c) || under(c, s.DexPackages) || under(c, s.JNIClasses) {
			return true
		}
	}
	for _, c := range named {
		if under(c, s.JNIClasses) {
			return true
		}
	}
	return false
}

// under reports whether the dotted class c is one of prefixes or in a package under one, on whole segments.
func under(c string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(c+".", p+".") {
			return true
		}
	}
	return false
}
