package native

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

var (
	fixtureOnce sync.Once
	fixturePath string
	fixtureErr  error
)

// fixture builds testdata/jni.c with the system C compiler once per test run
// and returns the library's path.
func fixture(tb testing.TB) string {
	tb.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "apkaudit-native-")
		if err != nil {
			fixtureErr = err
			return
		}
		fixturePath = filepath.Join(dir, "libapkaudit-jni.so")
		out, err := exec.Command("cc", "-shared", "-fPIC", "-O0", "-Wl,-soname,libapkaudit-jni.so",
			"-o", fixturePath, filepath.Join("testdata", "jni.c"), "-lm").CombinedOutput()
		if err != nil {
			fixtureErr = err
			tb.Logf("cc: %s", out)
		}
	})
	if fixtureErr != nil {
		tb.Fatalf("building the JNI fixture with cc (the fixtures need a C compiler): %v", fixtureErr)
	}
	return fixturePath
}

// devSet returns the .so files of the SDK-binaries dev set, or nil when it is absent.
func devSet(tb testing.TB) []string {
	tb.Helper()
	root := testenv.LookupExternal(tb, "sdk-binaries")
	var files []string
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && filepath.Ext(p) == ".so" {
			files = append(files, p)
		}
		return nil
	})
	return files
}
