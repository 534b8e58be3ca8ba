package scan_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

// reviewed lists, for every real corpus file in which apkaudit reports SDKs, the exact
// set it must report; every other file must report none. Each entry was checked by hand
// against an independent tool (dexdump class lists, aapt dump xmltree) — see the notes.
// A new detection anywhere in the corpus fails this test until it is reviewed here.
var reviewed = map[string][]string{
	// google/bundletool test bundles: Play Core (com/google/android/play/core) in the
	// install-time module; Play services auth and base in the watch face.
	"shared/bundletool/install-time-permanent-modules.aab": {"google-play-core"},
	"shared/bundletool/watch-face-from-tool.aab":           {"google-play-services-base", "google-signin"},
	// exodus-core's own reference apps (its tracker reports list these).
	"shared/exodus-core/blooddonation.apk": {"firebase-messaging", "google-admob", "google-ads-identifier",
		"google-location", "google-play-services-base", "google-safetynet", "google-signin"},
	"shared/exodus-core/instapaper.apk": {"facebook-sdk", "firebase-analytics", "firebase-auth", "firebase-core",
		"firebase-crashlytics", "firebase-messaging", "firebase-remote-config", "google-ads-identifier",
		"google-play-services-base", "google-signin"},
	// Chromium's WebView manifest declares Play services cast components (aapt dump xmltree).
	"shared/fdroidserver/SystemWebView-repack.apk": {"google-play-services-base"},
	// Android's wear sample links Play services (dexdump: 367 classes in gms/common, gms/location, auth, ads.identifier).
	"ext/androguard/tests/com.example.android.wearable.wear.weardrawers.apk": {"google-ads-identifier",
		"google-location", "google-play-services-base", "google-signin"},
	// An ad-supported app's DEX in androguard's tests: dexdump lists 533 com/xiaomi classes
	// (mipush.sdk, push, xmpush), 528 in com/facebook/ads, 302 in com/inmobi, AdMob's
	// com/google/android/gms/ads. The one Chinese SDK in the F-Droid/androguard corpus, and real.
	"ext/androguard/tests/dc4b1bb9d58daa82f29e60f79d5662f731a3351f.37.dex": {"facebook-audience-network",
		"google-admob", "google-location", "google-play-services-base", "inmobi", "xiaomi-push"},
	// AndStatus (F-Droid) bundles the open-source ACRA crash reporter (org/acra, 143 classes).
	"ext/androguard/tests/fdroid/org.andstatus.app_254.dex": {"acra"},
	// Appium's settings helper links Play services location.
	"ext/npm/io.appium.settings-8.0.10.apk": {"google-location", "google-play-services-base", "google-signin"},
	// The real JIGUANG jars shipped in old npm packages: found from their classes alone.
	"ext/npm/jcore-android-5.1.0.jar": {"jcore"},
	"ext/npm/jpush-android-5.5.0.jar": {"jpush"},
}

// TestCorpusPrecision runs the matcher over every APK, AAB, JAR and DEX of the shared and
// external corpus and compares the SDK set with the reviewed expectations.
func TestCorpusPrecision(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus precision run skipped under -short")
	}
	shared := testenv.Shared(t, "corpus", "apk")
	ext := testenv.External(t)
	var files []string
	dirs := []string{shared}
	for _, d := range fetched {
		dirs = append(dirs, filepath.Join(ext, d))
	}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() && d.Name() == "sdk-binaries" {
				return filepath.SkipDir // scored against testdata/sdk-binaries.tsv by tests/sdkbinaries
			}
			if err == nil && !d.IsDir() {
				switch strings.ToLower(filepath.Ext(p)) {
				case ".apk", ".aab", ".jar", ".dex":
					files = append(files, p)
				}
			}
			return nil
		})
	}
	opt := options(t)
	seen := map[string]bool{}
	withSDKs := 0
	for _, f := range files {
		key := f
		if rel, err := filepath.Rel(shared, f); err == nil && !strings.HasPrefix(rel, "..") {
			key = "shared/" + filepath.ToSlash(rel)
		} else if rel, err := filepath.Rel(ext, f); err == nil {
			key = "ext/" + filepath.ToSlash(rel)
		}
		r, err := scan.Inspect(context.Background(), f, opt)
		if err != nil {
			continue // unreadable inputs are the malformed suite's business
		}
		got := []string{}
		for _, d := range r.SDKs {
			got = append(got, d.ID())
		}
		want := reviewed[key]
		if want == nil {
			want = []string{}
		}
		sort.Strings(want)
		assert.Equal(t, want, got, key)
		seen[key] = true
		if len(got) > 0 {
			withSDKs++
		}
	}
	for key := range reviewed {
		assert.True(t, seen[key], "reviewed file %s was not scanned", key)
	}
	t.Logf("%d corpus files scanned, %d with SDKs, all as reviewed", len(seen), withSDKs)
	assert.Greater(t, len(seen), 400)
}
