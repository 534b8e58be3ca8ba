package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// htmlPolicy100K builds a policy of at least 100 KB from the committed HTML
// layout fixtures: their bodies repeated inside one document.
func htmlPolicy100K(b *testing.B) []byte {
	var body bytes.Buffer
	for _, f := range []string{"tables.html", "kv-blocks.html"} {
		src, err := os.ReadFile(filepath.Join("..", "..", "testdata", "policies", "layouts", f))
		if err != nil {
			b.Fatal(err)
		}
		i, j := bytes.Index(src, []byte("<body>")), bytes.LastIndex(src, []byte("</body>"))
		body.Write(src[i+len("<body>") : j])
	}
	var doc bytes.Buffer
	doc.WriteString(`<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>`)
	for doc.Len() < 100<<10 {
		doc.Write(body.Bytes())
	}
	doc.WriteString("</body></html>")
	return doc.Bytes()
}

// benchRead reads data as policy path the way apkaudit policy does: text
// extraction, then the disclosure with the embedded catalogue.
func benchRead(b *testing.B, path string, data []byte) {
	cat, err := sdkdb.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc, err := doctext.Extract(path, data, limits.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		if d := Extract([]*doctext.Document{doc}, Options{Catalogue: cat}); len(d.SDKs) == 0 {
			b.Fatal("no SDK rows")
		}
	}
}

// BenchmarkReadHTML100K reads a 100 KB HTML policy (issue 11 asks below 50 ms).
func BenchmarkReadHTML100K(b *testing.B) {
	benchRead(b, "policy.html", htmlPolicy100K(b))
}

// BenchmarkReadPDF30Pages reads a 30-page PDF policy made by LibreOffice (make fixtures).
func BenchmarkReadPDF30Pages(b *testing.B) {
	p := filepath.Join("..", "..", "testdata", "policies", "generated", "bench-30pages.pdf")
	data, err := os.ReadFile(p)
	if err != nil {
		b.Skipf("%s is not built (make fixtures): %v", p, err)
	}
	benchRead(b, p, data)
}

// BenchmarkNewMatcher builds the embedded catalogue's matcher, which every
// check and policy read pays once.
func BenchmarkNewMatcher(b *testing.B) {
	cat, err := sdkdb.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		newMatcher(cat)
	}
}
