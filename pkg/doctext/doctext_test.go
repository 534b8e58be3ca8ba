package doctext

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharedDir is shared/ beside the repository root (the CI layout).
func sharedDir(t *testing.T, sub string) string { return testenv.Shared(t, sub) }

func readFixture(t *testing.T, name string) *Document {
	t.Helper()
	doc, err := ReadFile(filepath.Join("testdata", name), limits.Limits{})
	require.NoError(t, err, name)
	return doc
}

func findLine(doc *Document, substr string) (Line, bool) {
	for _, l := range doc.Lines {
		if strings.Contains(l.Text, substr) {
			return l, true
		}
	}
	return Line{}, false
}

func TestFixtures(t *testing.T) {
	type want struct {
		no      int
		text    string
		heading bool
		table   bool
	}
	tests := []struct {
		file, format, encoding string
		lines                  []want
	}{
		{"seed002-excerpt.txt", FormatText, "utf-8", []want{
			{18, "SDK名称:友盟统计分析SDK", false, false},
			{30, "SDK名称:微信", false, false},
		}},
		{"seed002-excerpt.gb18030.txt", FormatText, "gb18030", []want{{18, "SDK名称:友盟统计分析SDK", false, false}}},
		{"seed002-excerpt.utf16le.txt", FormatText, "utf-16le", []want{{18, "SDK名称:友盟统计分析SDK", false, false}}},
		{"seed002-excerpt.utf16be.txt", FormatText, "utf-16be", []want{{18, "SDK名称:友盟统计分析SDK", false, false}}},
		{"sdk-table.html", FormatHTML, "utf-8", []want{
			{10, "Miitee隐私政策", true, false},
			{13, "我们不对第三方如何收集和使用您的个人信息负责。", false, false},
			{17, "友盟统计分析SDK | 友盟同欣(北京)科技有限公司 | 设备信息、位置信息、网络信息 | 进行APP营统计与分析", false, true},
			{28, "1.在获取明确同意的情况下共享:获得您的明确同意后,我们会与其他方共享您的个人信息。", false, false},
		}},
		{"sdk-table.gbk.html", FormatHTML, "gbk", []want{
			{10, "Miitee隐私政策", true, false},
			{17, "友盟统计分析SDK | 友盟同欣(北京)科技有限公司 | 设备信息、位置信息、网络信息 | 进行APP营统计与分析", false, true},
		}},
		{"sdk-table.md", FormatMarkdown, "utf-8", []want{
			{1, "Miitee隐私政策", true, false},
			{11, "友盟统计分析SDK | 友盟同欣(北京)科技有限公司 | 设备信息、位置信息、网络信息 | 进行APP营统计与分析", false, true},
			{21, "- 1.在获取明确同意的情况下共享:获得您的明确同意后,我们会与其他方共享您的个人信息。", false, false},
		}},
		{"sdk-table.docx", FormatDOCX, "utf-8", []want{
			{1, "Miitee隐私政策", true, false},
			{0, "友盟统计分析SDK | 友盟同欣(北京)科技有限公司 | 设备信息、位置信息、网络信息 | 进行APP营统计与分析", false, true},
		}},
		{"sdk-table.pdf", FormatPDF, "", []want{
			{1, "Miitee隐私政策", true, false},
			// The first paragraph is wrapped over three lines in the PDF and joined back.
			{3, "我们的隐私政策不适用于第三方提供的产品或服务。根据您使用的Miitee的产品或服务,其中可能包括第三方的产品或服务(例如:涉及娱乐等类型的产品或服务),其中一些会以第三方网站的链接形式提供,还有一些会以SDKAPI形式接入。", false, false},
			{0, "友盟统计分析SDK | 友盟同欣(北京)科技有限公司 | 设备信息、位置信息、网络信息 | 进行APP营统计与分析", false, true},
			{0, "友盟统计分析SDK隐私政策链接:https://www.umeng.com/page/policy", false, false},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", tt.file))
			require.NoError(t, err)
			assert.Less(t, len(raw), 200<<10, "fixture must stay small")
			assert.Equal(t, tt.format, Detect(raw))
			doc := readFixture(t, tt.file)
			assert.Equal(t, tt.format, doc.Format)
			assert.Equal(t, tt.encoding, doc.Encoding)
			assert.Empty(t, doc.Warnings)
			chars := 0
			for _, l := range doc.Lines {
				chars += utf8.RuneCountInString(l.Text)
				assert.Equal(t, normalize(l.Text), l.Text, "lines are normalised")
				assert.NotEmpty(t, l.Text)
				assert.Positive(t, l.No)
			}
			assert.Equal(t, chars, doc.Chars)
			for _, w := range tt.lines {
				var got *Line
				for i := range doc.Lines {
					if doc.Lines[i].Text == w.text {
						got = &doc.Lines[i]
						break
					}
				}
				require.NotNil(t, got, "line %q missing", w.text)
				if w.no != 0 {
					assert.Equal(t, w.no, got.No, w.text)
				}
				assert.Equal(t, w.heading, got.Heading, w.text)
				assert.Equal(t, w.table, got.Table != 0, w.text)
			}
			assert.NotContains(t, strings.Join(texts(doc), "\n"), "tracker", "script text must be dropped")
		})
	}
}

func texts(doc *Document) []string {
	var out []string
	for _, l := range doc.Lines {
		out = append(out, l.Text)
	}
	return out
}

// sourceRows reads the table rows straight from the hand-written HTML
// source with a regular expression: the oracle for every format.
func sourceRows(t *testing.T) [][]string {
	src, err := os.ReadFile(filepath.Join("testdata", "sdk-table.html"))
	require.NoError(t, err)
	cell := regexp.MustCompile(`<t[dh]>(.*?)</t[dh]>`)
	var rows [][]string
	for _, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(line, "<tr>") {
			continue
		}
		var cells []string
		for _, m := range cell.FindAllStringSubmatch(line, -1) {
			cells = append(cells, m[1])
		}
		rows = append(rows, cells)
	}
	require.Len(t, rows, 6)
	return rows
}

func TestSameTableInEveryFormat(t *testing.T) {
	want := sourceRows(t)
	for _, file := range []string{"sdk-table.html", "sdk-table.gbk.html", "sdk-table.md", "sdk-table.docx", "sdk-table.pdf"} {
		t.Run(file, func(t *testing.T) {
			doc := readFixture(t, file)
			var got [][]string
			table := 0
			for _, l := range doc.Lines {
				if l.Table == 0 {
					continue
				}
				if table == 0 {
					table = l.Table
				}
				assert.Equal(t, table, l.Table, "one table")
				assert.Equal(t, strings.Join(l.Cells, " | "), l.Text)
				got = append(got, l.Cells)
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestOtherEncodingsMatchUTF8(t *testing.T) {
	orig := readFixture(t, "seed002-excerpt.txt")
	require.Greater(t, orig.Chars, 1000)
	for _, file := range []string{"seed002-excerpt.gb18030.txt", "seed002-excerpt.utf16le.txt", "seed002-excerpt.utf16be.txt"} {
		doc := readFixture(t, file)
		assert.Equal(t, orig.Lines, doc.Lines, file)
		assert.Equal(t, orig.Chars, doc.Chars, file)
	}
	html := readFixture(t, "sdk-table.html")
	gbk := readFixture(t, "sdk-table.gbk.html")
	assert.Equal(t, html.Lines, gbk.Lines)
}

// TestLineNumbers checks that every line points at the source line its
// text starts on.
func TestLineNumbers(t *testing.T) {
	for _, file := range []string{"seed002-excerpt.txt", "sdk-table.html", "sdk-table.md"} {
		src, err := os.ReadFile(filepath.Join("testdata", file))
		require.NoError(t, err)
		srcLines := strings.Split(string(src), "\n")
		doc := readFixture(t, file)
		for _, l := range doc.Lines {
			require.LessOrEqual(t, l.No, len(srcLines), file)
			first := l.Text
			if l.Table != 0 {
				first = l.Cells[0]
			}
			first = string([]rune(first)[:min(4, utf8.RuneCountInString(first))])
			assert.Contains(t, normalize(srcLines[l.No-1]), first, "%s line %d", file, l.No)
		}
	}
	// DOCX: the number is the paragraph index in word/document.xml.
	zr, err := zip.OpenReader(filepath.Join("testdata", "sdk-table.docx"))
	require.NoError(t, err)
	defer zr.Close()
	f, err := zr.Open("word/document.xml")
	require.NoError(t, err)
	xmlText, err := limits.ReadAtMost(f, 1<<20, "document.xml")
	require.NoError(t, err)
	paras := regexp.MustCompile(`<w:p[ >]`).Split(string(xmlText), -1)[1:]
	doc := readFixture(t, "sdk-table.docx")
	tag := regexp.MustCompile(`<[^>]*>`)
	for _, l := range doc.Lines {
		first := l.Text
		if l.Table != 0 {
			first = l.Cells[0]
		}
		first = string([]rune(first)[:min(4, utf8.RuneCountInString(first))])
		require.LessOrEqual(t, l.No, len(paras))
		assert.Contains(t, tag.ReplaceAllString(paras[l.No-1], ""), first, "docx paragraph %d", l.No)
	}
	// PDF: physical line numbers grow through the document.
	pdfDoc := readFixture(t, "sdk-table.pdf")
	for i := 1; i < len(pdfDoc.Lines); i++ {
		assert.Greater(t, pdfDoc.Lines[i].No, pdfDoc.Lines[i-1].No)
	}
}

// TestHardWrappedText wraps a real policy at 60 display columns, as
// plain-text exports do, and checks that sentences broken between two Han
// characters come back whole with the line number of their first physical
// line, while other breaks are left alone.
func TestHardWrappedText(t *testing.T) {
	orig := readFixture(t, "seed002-excerpt.txt")
	var sb strings.Builder
	type para struct {
		no      int
		text    string
		hanOnly bool // every break falls between two Han characters
	}
	var paras []para
	n := 0
	for _, l := range orig.Lines {
		p := para{no: n + 1, text: l.Text, hanOnly: true}
		var cur []rune
		for _, r := range l.Text {
			if width(string(cur))+width(string(r)) > 60 {
				sb.WriteString(string(cur) + "\n")
				n++
				if !isHan(cur[len(cur)-1]) || !isHan(r) || isTerminal(cur[len(cur)-1]) {
					p.hanOnly = false
				}
				cur = cur[:0]
			}
			cur = append(cur, r)
		}
		sb.WriteString(string(cur) + "\n\n")
		n += 2
		paras = append(paras, p)
	}
	doc, err := Extract("wrapped.txt", []byte(sb.String()), limits.Limits{})
	require.NoError(t, err)
	joined, j := 0, 0
	for _, p := range paras {
		for j < len(doc.Lines) && doc.Lines[j].No < p.no {
			j++
		}
		require.Less(t, j, len(doc.Lines))
		got := doc.Lines[j]
		assert.Equal(t, p.no, got.No, p.text)
		if p.hanOnly {
			joined++
			assert.Equal(t, p.text, got.Text)
		} else {
			assert.True(t, strings.HasPrefix(p.text, got.Text), "%q is not the start of %q", got.Text, p.text)
		}
	}
	assert.Greater(t, joined, 40)
	// The same policy with one paragraph per line is never joined.
	assert.Len(t, orig.Lines, 90)
}

func TestCAPP130(t *testing.T) {
	dir := sharedDir(t, filepath.Join("corpus", "policies", "capp-130"))
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 130)
	tabRows := map[string]int{}
	for _, f := range files {
		doc, err := ReadFile(f, limits.Limits{})
		require.NoError(t, err, f)
		assert.Equal(t, FormatText, doc.Format, f)
		assert.Greater(t, doc.Chars, 1000, f)
		src, err := os.ReadFile(f)
		require.NoError(t, err)
		srcLines := strings.Split(string(src), "\n")
		for _, l := range doc.Lines {
			if l.Table != 0 {
				// A TAB-separated row: its cells are the source line's fields.
				assert.Equal(t, normalize(strings.ReplaceAll(srcLines[l.No-1], "\t", " ")), normalize(strings.Join(l.Cells, " ")), "%s:%d", f, l.No)
				tabRows[filepath.Base(f)]++
				continue
			}
			// Each line starts with its normalised source line.
			assert.True(t, strings.HasPrefix(l.Text, normalize(srcLines[l.No-1])), "%s:%d", f, l.No)
		}
	}
	// 得间小说 and 阿瓦隆 list their SDKs in TAB-separated tables.
	assert.Greater(t, tabRows["得间小说.txt"], 15)
	assert.Greater(t, tabRows["阿瓦隆.txt"], 10)
	seeds, err := filepath.Glob(filepath.Join(sharedDir(t, "seeds"), "*.txt"))
	require.NoError(t, err)
	for _, f := range seeds {
		doc, err := ReadFile(f, limits.Limits{})
		require.NoError(t, err, f)
		assert.Greater(t, doc.Chars, 1000, f)
	}
}

func TestErrors(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	garbage := make([]byte, 4096)
	rng.Read(garbage)
	nul := bytes.Repeat([]byte("隐私\x00\x00\x00\x00"), 200)
	var notDocx bytes.Buffer
	zw := zip.NewWriter(&notDocx)
	w, err := zw.Create("classes.dex")
	require.NoError(t, err)
	_, err = w.Write([]byte("dex\n035"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	pdfData, err := os.ReadFile(filepath.Join("testdata", "sdk-table.pdf"))
	require.NoError(t, err)

	tests := []struct {
		name string
		data []byte
		lim  limits.Limits
		want error
	}{
		{"empty", nil, limits.Limits{}, ErrEmpty},
		{"blank", []byte(" \n\t\r\n\u3000\n"), limits.Limits{}, ErrEmpty},
		{"garbage", garbage, limits.Limits{}, ErrUnreadable},
		{"nul heavy", nul, limits.Limits{}, ErrUnreadable},
		{"zip without document.xml", notDocx.Bytes(), limits.Limits{}, ErrUnreadable},
		{"truncated pdf", pdfData[:len(pdfData)/3], limits.Limits{}, ErrUnreadable},
		{"html with no text", []byte("<html><body><script>x()</script></body></html>"), limits.Limits{}, ErrEmpty},
		{"oversize", bytes.Repeat([]byte("隐私政策\n"), 100), limits.Limits{PolicySize: 100}, limits.ErrLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("bad.bin", tt.data, tt.lim)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, doc)
			assert.True(t, strings.HasPrefix(err.Error(), "doctext: "), err.Error())
			assert.Contains(t, err.Error(), "bad.bin")
		})
	}
	_, err = ReadFile(filepath.Join("testdata", "no-such-file"), limits.Limits{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no-such-file")
	_, err = ReadFile(filepath.Join("testdata", "sdk-table.pdf"), limits.Limits{PolicySize: 1000})
	var le *limits.LimitError
	require.ErrorAs(t, err, &le)
	assert.Contains(t, err.Error(), "sdk-table.pdf")
}

func TestDeeplyNestedHTML(t *testing.T) {
	const depth = 100000
	for _, tag := range []string{"div", "b", "table><tr><td", "ul><li"} {
		open := "<" + tag + ">"
		closing := strings.NewReplacer("<", "</", "><", "></").Replace(open)
		var sb strings.Builder
		sb.WriteString("<html><body><p>隐私政策</p>")
		for range depth {
			sb.WriteString(open)
		}
		sb.WriteString("我们收集设备信息")
		for range depth {
			sb.WriteString(closing)
		}
		// Best of three, so a busy machine does not fail the test.
		var doc *Document
		best := time.Hour
		for range 3 {
			start := time.Now()
			var err error
			doc, err = Extract("nested.html", []byte(sb.String()), limits.Limits{})
			require.NoError(t, err, tag)
			best = min(best, time.Since(start))
			if best < 2*time.Second {
				break
			}
		}
		assert.Less(t, best, 2*time.Second, tag)
		_, ok := findLine(doc, "我们收集设备信息")
		assert.True(t, ok, tag)
	}
}

// spaceBomb returns a raw deflate stream of n MiB of spaces, about 1 KiB
// per MiB, built by repeating one independently decodable flushed block.
func spaceBomb(t *testing.T, mib int) []byte {
	var block bytes.Buffer
	fw, err := flate.NewWriter(&block, flate.BestCompression)
	require.NoError(t, err)
	_, err = fw.Write(bytes.Repeat([]byte{' '}, 1<<20))
	require.NoError(t, err)
	require.NoError(t, fw.Flush())
	var tail bytes.Buffer
	fw, err = flate.NewWriter(&tail, flate.BestCompression)
	require.NoError(t, err)
	require.NoError(t, fw.Close())
	return append(bytes.Repeat(block.Bytes(), mib), tail.Bytes()...)
}

func bombDOCX(t *testing.T, stream []byte, declared uint64) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name:               "word/document.xml",
		Method:             zip.Deflate,
		CompressedSize64:   uint64(len(stream)),
		UncompressedSize64: declared,
	})
	require.NoError(t, err)
	_, err = w.Write(stream)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestDOCXZipBomb(t *testing.T) {
	stream := spaceBomb(t, 2048) // 2 GiB of spaces
	require.Less(t, len(stream), 4<<20)
	tests := []struct {
		name     string
		declared uint64
		lim      limits.Limits
	}{
		{"declared 2 GiB", 2 << 30, limits.Limits{}},
		{"declared 2 GiB, limit 8 MiB", 2 << 30, limits.Limits{PolicySize: 8 << 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bombDOCX(t, stream, tt.declared)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Extract("bomb.docx", data, tt.lim)
			runtime.ReadMemStats(&after)
			require.ErrorIs(t, err, limits.ErrLimit)
			var le *limits.LimitError
			require.ErrorAs(t, err, &le)
			assert.Contains(t, err.Error(), "word/document.xml")
			grew := after.TotalAlloc - before.TotalAlloc
			assert.Less(t, grew, uint64(16<<20), "allocated %d bytes", grew)
		})
	}
	// A lying declared size: archive/zip stops at the declared size, and
	// the bytes read stay bounded.
	data := bombDOCX(t, stream, 4<<20)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Extract("bomb.docx", data, limits.Limits{})
	runtime.ReadMemStats(&after)
	require.ErrorIs(t, err, ErrUnreadable)
	grew := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, grew, uint64(32<<20), "allocated %d bytes", grew)
}

func TestDedupeFakeBold(t *testing.T) {
	// The way WPS and Word draw fake bold: every glyph twice, 0.3pt apart.
	var gs []glyph
	x := 100.0
	for _, r := range "隐私政策" {
		gs = append(gs, glyph{s: string(r), x: x, y: 700, w: 12, h: 12}, glyph{s: string(r), x: x + 0.3, y: 700.2, w: 12, h: 12})
		x += 12
	}
	// A real doubled character stays.
	gs = append(gs, glyph{s: "私", x: x, y: 700, w: 12, h: 12}, glyph{s: "私", x: x + 12, y: 700, w: 12, h: 12})
	var d deduper
	assert.Equal(t, "隐私政策私私", glyphText(d.dedupe(append([]glyph(nil), gs...))))
	// The buckets kept from the page before do not leak into the next.
	assert.Equal(t, "隐私政策私私", glyphText(d.dedupe(gs)))
}

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ＳＤＫ名称：友盟", "SDK名称:友盟"},
		{"  a \t\u3000 b  ", "a b"},
		{"隐私\u200b政策\ufeff", "隐私政策"},
		{"隐私\n政策", "隐私政策"},
		{"隐私 政策", "隐私 政策"},
		{"SDK\nname", "SDK name"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, normalize(tt.in), tt.in)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct{ in, want string }{
		{"%PDF-1.7\n", FormatPDF},
		{"PK\x03\x04rest", FormatDOCX},
		{"<!DOCTYPE html><p>x</p>", FormatHTML},
		{"\ufeff<html>", FormatHTML},
		{"# 隐私政策\n\n正文", FormatMarkdown},
		{"a | b\n--- | ---\n1 | 2\n", FormatMarkdown},
		{"隐私政策\n# 不是标题的井号", FormatText},
		{"Use <b> for bold in 1 < 2", FormatText},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Detect([]byte(tt.in)), tt.in)
	}
}

func TestErrorType(t *testing.T) {
	err := error(&Error{Path: "p.txt", Kind: ErrUnreadable, Reason: "binary"})
	assert.Equal(t, "doctext: p.txt: unreadable document: binary", err.Error())
	assert.True(t, errors.Is(err, ErrUnreadable))
	assert.False(t, errors.Is(err, ErrEmpty))
}

func TestHTMLLinkTargetsKept(t *testing.T) {
	src := `<table><tr><th>SDK名称</th><th>隐私政策链接</th></tr>
<tr><td>友盟统计</td><td><a href="https://www.umeng.com/page/policy">隐私政策</a></td></tr>
<tr><td>微信</td><td><a href="https://weixin.qq.com/x">https://weixin.qq.com/x</a></td></tr>
<tr><td>本地</td><td><a href="#top">返回</a></td></tr></table>`
	doc, err := Extract("links.html", []byte("<!DOCTYPE html><html><body>"+src+"</body></html>"), limits.Limits{})
	require.NoError(t, err)
	var cells [][]string
	for _, l := range doc.Lines {
		cells = append(cells, l.Cells)
	}
	assert.Equal(t, [][]string{
		{"SDK名称", "隐私政策链接"},
		{"友盟统计", "隐私政策 https://www.umeng.com/page/policy"},
		{"微信", "https://weixin.qq.com/x"},
		{"本地", "返回"},
	}, cells)
}
