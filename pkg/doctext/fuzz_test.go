package doctext

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// fuzzLimits keeps each fuzz input cheap.
var fuzzLimits = limits.Limits{PolicySize: 1 << 20, PDFPages: 20}

func addFixtures(f *testing.F, pattern string) {
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// checkDoc walks everything a successful extraction returns and checks the
// invariants the rest of apkaudit relies on.
func checkDoc(t *testing.T, doc *Document, err error) {
	if err != nil {
		if doc != nil {
			t.Fatalf("document and error both returned: %v", err)
		}
		if !strings.HasPrefix(err.Error(), "doctext: ") {
			t.Fatalf("error without package prefix: %v", err)
		}
		return
	}
	chars := 0
	for _, l := range doc.Lines {
		if l.Text == "" || !utf8.ValidString(l.Text) || l.No <= 0 {
			t.Fatalf("bad line %+v", l)
		}
		if l.Table != 0 && strings.Join(l.Cells, " | ") != l.Text {
			t.Fatalf("row text %q does not match cells %q", l.Text, l.Cells)
		}
		chars += utf8.RuneCountInString(l.Text)
	}
	if chars != doc.Chars {
		t.Fatalf("Chars %d, lines hold %d", doc.Chars, chars)
	}
	// The PDF reader's child process sends a Document back as JSON.
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("document does not marshal: %v", err)
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(*doc, back) {
		t.Fatalf("document does not round-trip through JSON (%v)", err)
	}
}

// FuzzExtractMarkdown fuzzes the goldmark reader: nesting, CJK emphasis,
// raw HTML blocks holding tables, GFM tables and links.
func FuzzExtractMarkdown(f *testing.F) {
	addFixtures(f, "*.md")
	for _, s := range []string{
		"**使用目的：**统计分析\n**第三方主体：**友盟",
		"| SDK名称 | 链接 |\n|---|---|\n| 友盟 | [隐私政策](https://www.umeng.com/) |\n",
		"<table><tr><td rowspan=3>a</td><td>b</td></tr><tr><td>c</td></tr></table>\n\n正文",
		strings.Repeat("> ", 100) + "深\n" + strings.Repeat("- ", 100) + "列表",
		"1. 友盟SDK：统计\n   - **SDK名称**: 个推\n     - 设备信息: 型号<br>网络",
		"[[[[[[[[[[x](https://a.com)](b)](c)](d)]]]]]\n***~~`x`~~***",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Extract("f.md", append([]byte("# 标题\n\n"), b...), fuzzLimits)
		checkDoc(t, doc, err)
	})
}

func FuzzExtractHTML(f *testing.F) {
	addFixtures(f, "*.html")
	f.Add([]byte(`<table><tr><td colspan=99999999999>a<td><table><tr><td>b</table></table>`))
	f.Add([]byte(`<html><template><p>x</template><h1>标题<br/>二</h1><noscript>y`))
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Extract("f.html", append([]byte("<html>"), b...), fuzzLimits)
		checkDoc(t, doc, err)
	})
}

// FuzzExtractDOCX fuzzes whole DOCX files and, since mutated deflate data
// rarely survives the CRC check, also document.xml alone, stored into a
// fresh zip by the harness.
func FuzzExtractDOCX(f *testing.F) {
	addFixtures(f, "*.docx")
	files, _ := filepath.Glob(filepath.Join("testdata", "*.docx"))
	for _, name := range files {
		zr, err := zip.OpenReader(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, e := range zr.File {
			if e.Name == "word/document.xml" {
				rc, err := e.Open()
				if err != nil {
					f.Fatal(err)
				}
				b, err := limits.ReadAtMost(rc, 1<<20, e.Name)
				rc.Close()
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
			}
		}
		zr.Close()
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Extract("f.docx", b, fuzzLimits)
		checkDoc(t, doc, err)
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		doc, err = Extract("f.docx", buf.Bytes(), fuzzLimits)
		checkDoc(t, doc, err)
	})
}

func FuzzExtractPDF(f *testing.F) {
	addFixtures(f, "*.pdf")
	// Extract reads each input in a child (TestMain serves PDFJob); inputs on
	// which the library loops end at this limit.
	saved := PDFChildLimits
	PDFChildLimits.Time = time.Second
	f.Cleanup(func() { PDFChildLimits = saved })
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Extract("f.pdf", b, fuzzLimits)
		checkDoc(t, doc, err)
	})
}

func FuzzExtractText(f *testing.F) {
	addFixtures(f, "*.txt")
	addFixtures(f, "*.md")
	f.Fuzz(func(t *testing.T, b []byte) {
		doc, err := Extract("f.txt", b, fuzzLimits)
		checkDoc(t, doc, err)
		if err == nil && doc.Format == FormatText && utf8.Valid(b) && doc.Encoding != "utf-8" {
			t.Fatalf("valid UTF-8 decoded as %s", doc.Encoding)
		}
	})
}
