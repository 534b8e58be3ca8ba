package scan_test

import (
	"context"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

// BenchmarkInspectAppium inspects the 18 MB, 16-DEX appium APK of the external corpus
// (scripts/bench.sh compares the whole command with other tools).
func BenchmarkInspectAppium(b *testing.B) {
	apk := testenv.External(b, "npm", "appium-uiautomator2-server-v10.6.6.apk")
	opt := options(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scan.Inspect(context.Background(), apk, opt); err != nil {
			b.Fatal(err)
		}
	}
}
