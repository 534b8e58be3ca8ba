package scan_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/scan"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// TestSDKFixtures scans the SDK fixtures (an AAR, a JAR and a bare .so
// built from testdata/fixtures/sdk/src by javac, zip and cc) against their
// catalogue: which SDKs, by which evidence, at which version, from where.
func TestSDKFixtures(t *testing.T) {
	cat, err := sdkdb.LoadFile(testenv.RepoRoot(t, "testdata", "fixtures", "sdk", "demosdk.yaml"))
	require.NoError(t, err)
	type want struct {
		version string
		ev      *sdk.VersionEvidence
		kinds   []string // evidence kinds that must be there
	}
	tests := []struct {
		file string
		want map[string]want
	}{
		{"demosdk.aar", map[string]want{
			"example-demosdk": {"2.4.1", &sdk.VersionEvidence{Kind: sdk.VersionFromManifest, Path: "AndroidManifest.xml", Field: "android:versionName", Value: "2.4.1"},
				[]string{"dex-package", "native-lib", "native-jni", "proguard-keep"}},
			"example-demosdk-core": {"1.8.0", &sdk.VersionEvidence{Kind: sdk.VersionFromPom,
				Path: "libs/demosdk-core.jar!/META-INF/maven/com.example/demosdk-core/pom.properties", Field: "version", Value: "1.8.0"},
				[]string{"dex-package"}},
			// example-thirdparty: named by a -keep rule only, which never reports an SDK.
		}},
		{"demosdk-core.jar", map[string]want{
			"example-demosdk-core": {"1.8.0", &sdk.VersionEvidence{Kind: sdk.VersionFromPom,
				Path: "META-INF/maven/com.example/demosdk-core/pom.properties", Field: "version", Value: "1.8.0"}, []string{"dex-package"}},
		}},
		{"libdemosdk.so", map[string]want{
			// A library carries no version location: none is reported.
			"example-demosdk": {"", nil, []string{"native-lib", "native-jni"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := scan.Inspect(context.Background(), testenv.RepoRoot(t, "testdata", "fixtures", "sdk", tt.file), scan.Options{Catalogue: cat})
			require.NoError(t, err)
			got := map[string]bool{}
			for _, d := range r.SDKs {
				got[d.ID()] = true
				w, ok := tt.want[d.ID()]
				if !assert.True(t, ok, "%s reported", d.ID()) {
					continue
				}
				assert.Equal(t, w.version, d.Version, d.ID())
				assert.Equal(t, w.ev, d.VersionEvidence, d.ID())
				kinds := map[string]bool{}
				for _, e := range d.Evidence {
					kinds[e.Kind] = true
				}
				for _, k := range w.kinds {
					assert.True(t, kinds[k], "%s: no %s evidence in %+v", d.ID(), k, d.Evidence)
				}
			}
			for id := range tt.want {
				assert.True(t, got[id], "%s not detected", id)
			}
		})
	}
}
