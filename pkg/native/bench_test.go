package native

import (
	"bytes"
	"os"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// BenchmarkNewFile reads the cc-built fixture library.
func BenchmarkNewFile(b *testing.B) {
	lib, err := os.ReadFile(fixture(b))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(lib)))
	for b.Loop() {
		if _, err := NewFile(bytes.NewReader(lib), int64(len(lib)), limits.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
