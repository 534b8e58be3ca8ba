package native

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// FuzzELF reads arbitrary bytes as a native library and walks everything a
// File offers. Seeds: the cc-built fixture and the smaller real libraries of
// the SDK-binaries dev set when it is present. Crashers are kept in
// testdata/fuzz/FuzzELF.
func FuzzELF(f *testing.F) {
	b, err := os.ReadFile(fixture(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, p := range devSet(f) {
		if st, err := os.Stat(p); err == nil && st.Size() <= 64<<10 {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		nf, err := NewFile(bytes.NewReader(b), int64(len(b)), limits.Limits{})
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, limits.ErrLimit) {
				t.Fatalf("error %v is neither ErrFormat nor ErrLimit", err)
			}
			return
		}
		for _, m := range nf.JNI {
			if m.Class == "" || m.Method == "" {
				t.Fatalf("empty class or method from %q", m.Symbol)
			}
		}
		if nf.ABI == "" && nf.Machine == "" {
			t.Fatal("a File without its machine")
		}
		if len(nf.ClassStrings) > MaxClassStrings {
			t.Fatalf("%d class strings", len(nf.ClassStrings))
		}
		_ = nf.Classes()
	})
}
