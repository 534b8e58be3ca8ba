package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/doctext"
)

// FuzzExtract feeds arbitrary text (split into lines, TAB lines as table
// rows) to Extract: it must not panic and every LineRef must point at an
// existing line.
func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(sharedDir(f), "seeds", "*.txt"))
	// The seeds are cut into chunks of about 2 KB at line ends: small inputs
	// keep the fuzzer fast, and every layout of the seeds is still in the corpus.
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for len(b) > 0 {
			n := min(len(b), 2048)
			if i := bytes.IndexByte(b[n:], '\n'); i >= 0 {
				n += i + 1
			} else {
				n = len(b)
			}
			f.Add(b[:n])
			b = b[n:]
		}
	}
	f.Add([]byte("SDK名称\t公司名称\n友盟SDK\t友盟同欣\nSDK名称：微信\n使用目的：分享\n1. 极光SDK：IMEI\n三、权限说明\n存储"))
	cat := testCatalogue(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		doc := docFromText("f.txt", b)
		d := Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
		checkRefs(t, []*doctext.Document{doc}, d)
		for _, r := range d.SDKs {
			_ = DataTypesIn(r.Data)
		}
	})
}

// BenchmarkExtract measures extraction of seed 003, the longest seed (59 KB).
func BenchmarkExtract(b *testing.B) {
	doc := readDoc(b, "seeds/003_3000a5bc25fa09ae.txt")
	cat := testCatalogue(b)
	b.SetBytes(59048)
	b.ReportAllocs()
	for b.Loop() {
		Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
	}
}
