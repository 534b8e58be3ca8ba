package collect

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/container"
)

// FuzzBuild drives the whole inventory (container sniffing, zip layer,
// nested archives, AXML/proto/text manifests, DEX, JAR/AAR class listing,
// native libraries) with arbitrary bytes. Seeds: the fixture APKs, the SDK
// fixtures and a few small corpus files.
func FuzzBuild(f *testing.F) {
	seeds, _ := filepath.Glob(testenv.RepoRoot(f, "testdata", "fixtures", "apk", "*.apk"))
	sdk, _ := filepath.Glob(testenv.RepoRoot(f, "testdata", "fixtures", "sdk", "*.*"))
	seeds = append(seeds, sdk...) // an AAR, a JAR and a bare .so
	if fd := testenv.LookupShared(f, "corpus", "apk", "fdroidserver"); fd != "" {
		seeds = append(seeds, filepath.Join(fd, "signindex", "guardianproject.jar"),
			filepath.Join(fd, "source-files", "fdroid", "fdroidclient", "AndroidManifest.xml"))
	}
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := Build(context.Background(), container.NewFile(bytes.NewReader(data), int64(len(data)), "fuzz.apk"), Options{Jobs: 2, KeepClasses: true})
		if err != nil {
			return
		}
		n := 0
		for _, p := range inv.Code.Packages {
			n += p.Classes
		}
		if n != inv.Code.Classes {
			t.Fatalf("package counts %d != classes %d", n, inv.Code.Classes)
		}
	})
}
