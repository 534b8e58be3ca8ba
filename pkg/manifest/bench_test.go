package manifest

import (
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

func BenchmarkParseAXML(b *testing.B) {
	cases := []struct{ name, path string }{
		{"app", testenv.LookupShared(b, "corpus", "apk", "exodus-core", "instapaper.apk")},
		{"framework-res", testenv.LookupExternal(b, "framework-res.apk")},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			axml, err := zipEntry(c.path, "AndroidManifest.xml")
			if err != nil || axml == nil {
				b.Skipf("%s not available: %v", c.path, err)
			}
			b.Run("ParseAXML", func(b *testing.B) {
				b.SetBytes(int64(len(axml)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ParseAXML(axml, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
			// The oracle, for comparison.
			b.Run("androidbinary", func(b *testing.B) {
				if !abTrusted(axml) {
					b.Skip("androidbinary is not safe on this manifest")
				}
				b.SetBytes(int64(len(axml)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := abDecode(axml, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

func BenchmarkLoadResources(b *testing.B) {
	arsc, err := zipEntry(testenv.LookupExternal(b, "framework-res.apk"), "resources.arsc")
	if err != nil || arsc == nil {
		b.Skip("framework-res.apk not available")
	}
	b.SetBytes(int64(len(arsc)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := LoadResources(arsc)
		if err != nil {
			b.Fatal(err)
		}
		res.String(0x01040000)
	}
}
