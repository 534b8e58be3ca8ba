package classfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

var (
	fixtureOnce  sync.Once
	fixtureBytes []byte
	fixtureErr   error
)

// fixture compiles testdata/Version.java with javac once per test run and returns the class file.
func fixture(tb testing.TB) []byte {
	tb.Helper()
	fixtureOnce.Do(func() {
		dir, err := os.MkdirTemp("", "apkaudit-classfile-")
		if err != nil {
			fixtureErr = err
			return
		}
		defer os.RemoveAll(dir)
		out, err := exec.Command("javac", "-encoding", "UTF-8", "-d", dir, filepath.Join("testdata", "Version.java")).CombinedOutput()
		if err != nil {
			fixtureErr = err
			tb.Logf("javac: %s", out)
			return
		}
		fixtureBytes, fixtureErr = os.ReadFile(filepath.Join(dir, "com", "example", "sdk", "Version.class"))
	})
	if fixtureErr != nil {
		tb.Fatalf("compiling testdata/Version.java with javac (a JDK is in the machine image): %v", fixtureErr)
	}
	return fixtureBytes
}

// devJars returns some JARs of the SDK-binaries dev set, or nil when it is absent.
func devJars(tb testing.TB) []string {
	root := testenv.LookupExternal(tb, "sdk-binaries")
	var jars []string
	for _, p := range []string{
		"jcore-react-native@1.9.0/android/libs/jcore-android-2.3.4.jar",
		"com.adjust.sdk@4.29.1/src/android/adjust-android.jar",
		"branch-cordova-sdk@3.1.0/src/android/dependencies/Branch.jar",
		"react-native-wechat-lib@1.1.27/android/libs/libammsdk.jar",
		"react-native-wechat@1.9.12/android/libs/libammsdk.jar",
		"jverification-react-native@2.4.8/android/libs/jverification-android-release-2.7.2.jar",
	} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			jars = append(jars, filepath.Join(root, p))
		}
	}
	return jars
}
