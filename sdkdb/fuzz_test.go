package sdkdb

import (
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary bytes to the loader as a --sdkdb file and
// validates whatever loads: neither may panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(umengYAML))
	f.Add([]byte(firebaseYAML))
	f.Add([]byte("- id: a\n  signals: {dex_packages: [a.b], native_libs: ['[']}\n  min_signals: -1\n"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Load(fstest.MapFS{"f.yaml": {Data: b}})
		if err != nil {
			return
		}
		for _, p := range Validate(c) {
			_ = p.Error()
		}
		Merge(c, c).Families()
	})
}
