package doctext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/ledongthuc/pdf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/isolate"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// testObjects returns the objects of a one-page PDF: the catalogue (1), the
// page tree (2), the page (3) with the UCS-2 font F1, and its content (4),
// deflated when flate. contents replaces the page's /Contents value when
// not empty. Tests edit them, add objects (numbered from 5), and write the
// file with testPDF.
func testObjects(content []byte, flate bool, contents string) []string {
	dict := ""
	if flate {
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(content)
		w.Close()
		content, dict = z.Bytes(), " /Filter /FlateDecode"
	}
	if contents == "" {
		contents = "4 0 R"
	}
	return []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents " + contents +
			" /Resources << /Font << /F1 << /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H" +
			" /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /DW 1000 >>] >> >> >> >>",
		fmt.Sprintf("<< /Length %d%s >>\nstream\n%s\nendstream", len(content), dict, content),
	}
}

// testPDF writes objs (object i+1 is objs[i]) as a PDF with a classic xref
// table and trailer; trailer is added to the trailer dictionary.
func testPDF(objs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, strings.ReplaceAll(trailer, "XREF", fmt.Sprint(xref)), xref)
	return b.Bytes()
}

// onePagePDF is testPDF(testObjects(content, flate, contents), "").
func onePagePDF(content []byte, flate bool, contents string, extra ...string) []byte {
	return testPDF(append(testObjects(content, flate, contents), extra...), "")
}

// ucs2 is s as a hex string for the font F1.
func ucs2(s string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range s {
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteByte('>')
	return b.String()
}

// renderLibrary lists the operators pdf.Interpret reads from content, with
// their operands, in the notation of renderOperands.
func renderLibrary(content pdf.Value) (ops []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("library: %v", r)
		}
	}()
	var val func(v pdf.Value) string
	val = func(v pdf.Value) string {
		switch v.Kind() {
		case pdf.Integer, pdf.Real:
			return fmt.Sprint(v.Float64())
		case pdf.String:
			return fmt.Sprintf("%q", v.RawString())
		case pdf.Name:
			return "/" + v.Name()
		case pdf.Array:
			var parts []string
			for i := 0; i < v.Len(); i++ {
				parts = append(parts, val(v.Index(i)))
			}
			return "[" + strings.Join(parts, " ") + "]"
		}
		return "null"
	}
	pdf.Interpret(content, func(stk *pdf.Stack, op string) {
		args := make([]string, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = val(stk.Pop())
		}
		ops = append(ops, strings.Join(append(args, op), " "))
	})
	return ops, nil
}

func renderOperand(o operand) string {
	switch o.kind {
	case opNumber:
		return fmt.Sprint(o.num)
	case opString:
		return fmt.Sprintf("%q", o.str)
	case opName:
		return "/" + o.str
	case opArray:
		var parts []string
		for _, e := range o.arr {
			parts = append(parts, renderOperand(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return "null"
}

// renderOurs lists the operators contentReader reads from streams, each
// stream wrapped by wrap (to cut reads at odd places).
func renderOurs(streams []pdf.Value, wrap func(io.Reader) io.Reader) ([]string, error) {
	var ops []string
	c := &contentReader{}
	for _, s := range streams {
		rc := s.Reader()
		err := c.read(wrap(rc), func(op string, args []operand) error {
			parts := make([]string, 0, len(args)+1)
			for _, a := range args {
				parts = append(parts, renderOperand(a))
			}
			ops = append(ops, strings.Join(append(parts, op), " "))
			return nil
		})
		rc.Close()
		if err != nil {
			return ops, err
		}
	}
	return ops, c.finish()
}

// realPDFs are the PDFs made by real tools that the tests can find:
// LibreOffice's in testdata, make policy-docs', and the shared corpus's.
func realPDFs(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.pdf"))
	generated, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "policies", "generated", "*.pdf"))
	shared, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", "policies", "*", "docs", "*.pdf"))
	if len(generated) == 0 || len(shared) == 0 {
		t.Logf("only %d LibreOffice PDFs of testdata: make policy-docs and ../shared add %d and %d more", len(files), len(generated), len(shared))
	}
	return append(append(files, generated...), shared...)
}

// TestContentReaderMatchesLibrary checks the content-stream reader against
// an independent one, the library's Interpret, on every page of the real
// PDFs: the same operators with the same operands, in the same order, also
// when the streams arrive a byte or half a buffer at a time.
func TestContentReaderMatchesLibrary(t *testing.T) {
	for _, file := range realPDFs(t) {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
		require.NoError(t, err, file)
		pages, _ := pdfPages(r, 1000)
		require.NotEmpty(t, pages, file)
		x := &pdfExtractor{streams: maxStreams}
		total := 0
		for i, p := range pages {
			want, err := renderLibrary(p.V.Key("Contents"))
			require.NoError(t, err, "%s page %d", file, i+1)
			streams, err := x.contentStreams(p.V.Key("Contents"), i+1)
			require.NoError(t, err)
			for name, wrap := range map[string]func(io.Reader) io.Reader{
				"whole": func(r io.Reader) io.Reader { return r }, "one byte": iotest.OneByteReader, "half": iotest.HalfReader,
			} {
				got, err := renderOurs(streams, wrap)
				require.NoError(t, err, "%s page %d (%s reads)", file, i+1, name)
				require.Equal(t, want, got, "%s page %d (%s reads)", file, i+1, name)
			}
			total += len(want)
		}
		t.Logf("%s: %d pages, %d operators as the library reads them", filepath.Base(file), len(pages), total)
	}
}

// TestContentReaderSyntax compares the two readers on hand-written content
// that real producers write rarely: every escape, number and name form.
func TestContentReaderSyntax(t *testing.T) {
	tests := []string{
		`(a\(b\)c\\d\n\r\t\b\f) Tj (nested (paren) ok) Tj (octal \101\0612\7 end) Tj (line\` + "\n" + `cont) Tj`,
		`<48 65 6C6c 6F> Tj <> Tj [<00410042> -250 (x) 12.5 <0043>] TJ`,
		`/F1 12 Tf /Name#20With#23Hash 1 Tf 72 -0 +5 .5 -.25 5. 007 0012.50 Td`,
		`1 0 0 1 72.024 700.5601 cm q 0.5 g 1e5 Q % a comment ) [ <<` + "\n" + `BT ET`,
		`/Span << /ActualText (x) /MCID 3 /K [1 2] >> BDC EMC true false null 3 Tz`,
		`[ (a) [ (nested) 1 ] 2 ] TJ { }`,
		"123456789012345678 123456789012345678.5 -0.0 1 Tc",
	}
	for _, content := range tests {
		t.Run(content[:min(len(content), 30)], func(t *testing.T) {
			data := onePagePDF([]byte(content), false, "")
			r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
			require.NoError(t, err)
			pages, _ := pdfPages(r, 10)
			require.Len(t, pages, 1)
			want, err := renderLibrary(pages[0].V.Key("Contents"))
			require.NoError(t, err)
			got, err := renderOurs([]pdf.Value{pages[0].V.Key("Contents")}, iotest.OneByteReader)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

// TestContentReaderBounds checks the content that the library recursed on,
// kept without bound or never finished: each is an error or a limit, with
// what is kept within its bounds.
func TestContentReaderBounds(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		overflow bool   // operands were dropped
		wantErr  string // "" for none
	}{
		{"deep arrays", strings.Repeat("[", 1<<20), false, "operand nesting depth exceeds the limit of 32"},
		{"deep dictionaries", strings.Repeat("<< /A ", 1<<20), false, "operand nesting depth exceeds the limit of 32"},
		{"operand flood", strings.Repeat("0 ", 1<<20) + "Tj", true, ""},
		{"array flood", "[" + strings.Repeat("1 ", maxArrayItems+10) + "] TJ", true, ""},
		{"unclosed array", "(a) Tj [(b) 1", false, "content ends inside an array"},
		{"stray parenthesis", "(a) Tj ) Tj", false, "unexpected ')'"},
		{"operator in array", "[(a) Tj", false, `operator "Tj" inside an operand`},
		{"bad hex", "<4G> Tj", false, "bad hex digit"},
		{"huge integer", "99999999999999999999 Tc", false, "invalid integer"},
		{"inline image", "BI /W 4 /H 1 /CS /G /BPC 8 ID \x00[[(<<\xff EI (after) Tj", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &contentReader{}
			var ops []string
			err := c.read(strings.NewReader(tt.content), func(op string, args []operand) error {
				ops = append(ops, op)
				return nil
			})
			if err == nil {
				err = c.finish()
			}
			assert.Equal(t, tt.overflow, c.overflow, "operands dropped")
			assert.LessOrEqual(t, len(c.stack), maxOperands)
			if tt.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			}
			if tt.name == "inline image" {
				assert.Equal(t, []string{"BI", "ID", "Tj"}, ops, "the image data and its EI are skipped, the text after it read")
			}
		})
	}
}

// TestPDFBudgets runs documents that hit each budget of extractPDF, in a
// child as Extract does, and checks the warning names the limit while the
// text before it is kept.
func TestPDFBudgets(t *testing.T) {
	disclosure := "BT /F1 12 Tf 72 700 Td " + ucs2("我们会申请相机权限") + " Tj ET\n"
	glyphFlood := "BT /F1 1 Tf 72 100 Td " + strings.Repeat(ucs2(strings.Repeat("一", 100))+" Tj\n", maxPageGlyphs/100+10) + "ET\n"
	var items strings.Builder
	for range maxPageStreams {
		items.WriteString("5 0 R ")
	}
	// Fonts whose ToUnicode CMap makes the library panic, or loop, or
	// exhaust memory: their text is kept as bytes, the page goes on.
	brokenFont := func(cmap string) []byte {
		objs := testObjects([]byte(disclosure+"BT /F2 12 Tf 72 650 Td (Hello) Tj ET"), false, "")
		objs[2] = strings.Replace(objs[2], "/Font << ", "/Font << /F2 6 0 R ", 1)
		return testPDF(append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap), cmap),
			"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 5 0 R >>"), "")
	}
	tests := []struct {
		name    string
		data    []byte
		lim     limits.Limits
		warning string // substring of a warning
		errText string // substring of the error, when the document has no text
	}{
		{name: "glyphs on one page", data: onePagePDF([]byte(disclosure+glyphFlood+disclosure), true, ""),
			warning: "pdf: page 1: glyphs on one page exceeds the limit of 262144; the rest of the page was not read"},
		{name: "content streams of one page", data: onePagePDF([]byte(disclosure), false, "[4 0 R "+items.String()+"]",
			"<< /Length 0 >>\nstream\n\nendstream"),
			warning: "pdf: page 1: content streams of one page: 4097 exceeds the limit of 4096; the later ones were not read"},
		{name: "inflated content", data: onePagePDF([]byte(disclosure+strings.Repeat(" ", 1<<20)), true, ""), lim: limits.Limits{PolicySize: 256 << 10},
			warning: "pdf: page 1: inflated content of all pages exceeds the limit of 524288"},
		{name: "content limit before any text", data: onePagePDF([]byte(strings.Repeat(" ", 1<<20)+disclosure), true, ""), lim: limits.Limits{PolicySize: 256 << 10},
			errText: "pdf: no text read before a limit: page 1: inflated content of all pages exceeds the limit of 524288"},
		{name: "CMap that panics", data: brokenFont("/CIDInit begin"),
			warning: "pdf: page 1: font F2: its encoding is malformed (cannot begin non-dict); its text is read as bytes"},
		{name: "CMap with an open array", data: brokenFont("1 beginbfrange <00> <FF> [<0041>"),
			warning: "pdf: page 1: font F2: its ToUnicode CMap was not read: malformed content: content ends inside an array or a dictionary; its text is read as bytes"},
		{name: "CMap with an open hex string", data: brokenFont("1 beginbfchar <01> <0041"),
			warning: "pdf: page 1: font F2: its ToUnicode CMap was not read: malformed content: a string is not terminated; its text is read as bytes"},
		{name: "CMap too large", data: brokenFont(strings.Repeat(" ", maxCMapSize+1)),
			warning: "pdf: page 1: font F2: its ToUnicode CMap was not read: inflated ToUnicode CMap exceeds the limit of 2097152"},
		{name: "content that fails before any text", data: onePagePDF([]byte("BT /F1 12 Tf <4G> Tj"+disclosure), false, ""),
			errText: "pdf: no text read: page 1: malformed content: bad hex digit 'G'"},
		{name: "operands", data: onePagePDF([]byte(disclosure+strings.Repeat("1 ", 2000)+"Tj\n"), true, ""),
			warning: "pdf: page 1: operands of one operator exceeds the limit of 1024; such operators were skipped"},
		{name: "ruled lines", data: onePagePDF([]byte(disclosure+strings.Repeat("0 0 m 0 9 l S\n", maxPageRules+1)), true, ""),
			warning: "pdf: page 1: ruled lines on one page exceeds the limit of 65536; later ones were ignored, so tables may be missed"},
		{name: "nesting", data: onePagePDF([]byte(disclosure+strings.Repeat("[", 100)), true, ""),
			warning: "pdf: page 1: operand nesting depth exceeds the limit of 32"},
	}
	// These test the budgets, not the time limit: a loaded machine must not
	// turn the 262,144-glyph page into a timeout.
	saved := PDFChildLimits
	PDFChildLimits.Time = time.Minute
	defer func() { PDFChildLimits = saved }()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Extract("budget.pdf", tt.data, tt.lim)
			if tt.errText != "" {
				require.ErrorIs(t, err, ErrUnreadable)
				assert.Contains(t, err.Error(), tt.errText)
				return
			}
			require.NoError(t, err)
			assert.Contains(t, strings.Join(doc.Warnings, "\n"), tt.warning)
			_, found := findLine(doc, "我们会申请相机权限")
			assert.True(t, found, "the text before the limit is kept: %q", texts(doc))
		})
	}
}

// TestPDFPageTree checks the page-tree walk on trees that list a node
// inside itself and that inherit resources through a cyclic /Parent.
func TestPDFPageTree(t *testing.T) {
	content := []byte("BT /F1 12 Tf 72 700 Td " + ucs2("相机") + " Tj ET")
	objs := testObjects(content, false, "")
	objs[1] = "<< /Type /Pages /Kids [" + strings.Repeat("2 0 R ", 300) + "3 0 R] /Count 1 >>"
	doc, err := Extract("self-kid.pdf", testPDF(objs, ""), limits.Limits{})
	require.NoError(t, err)
	assert.Equal(t, []string{"相机"}, texts(doc))
	assert.Contains(t, doc.Warnings, "pdf: the page tree lists a node inside itself; the repeated node was skipped")

	// A chain of page-tree nodes deeper than the walk goes, and a node with
	// more kids than it queues: no page is reached, and the error says why.
	objs = testObjects(content, false, "")
	for i := range 100 {
		objs = append(objs, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", i+6))
	}
	objs[1] = "<< /Type /Pages /Kids [5 0 R] /Count 1 >>"
	objs = append(objs, "<< /Type /Page /Contents 4 0 R >>")
	_, err = Extract("deep-tree.pdf", testPDF(objs, ""), limits.Limits{})
	require.ErrorIs(t, err, ErrUnreadable)
	assert.Contains(t, err.Error(), "pdf: no pages found (the page tree is nested deeper than 64 levels; deeper pages were skipped)")
	objs = testObjects(content, false, "")
	objs[1] = "<< /Type /Pages /Kids [" + strings.Repeat("null ", maxPageNodes) + "3 0 R] /Count 1 >>"
	_, err = Extract("wide-tree.pdf", testPDF(objs, ""), limits.Limits{})
	require.ErrorIs(t, err, ErrUnreadable)
	assert.Contains(t, err.Error(), "pdf: no pages found (page-tree nodes exceeds the limit of 65536; later pages were skipped)")

	// Resources are inherited through /Parent; a page that is its own
	// parent and has none must end, not loop: its text is read without the
	// font (as bytes).
	objs = testObjects(content, false, "")
	objs[2] = "<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>"
	doc, err = Extract("parent-loop.pdf", testPDF(objs, ""), limits.Limits{})
	require.NoError(t, err)
	assert.Len(t, doc.Lines, 1)
}

// TestPDFChildDeath checks that a PDF on which the library dies fatally (a
// stack overflow in its recursive object parser, a loop through /Prev)
// becomes an unreadable document whose reason says how, and that the test
// binary survives it.
func TestPDFChildDeath(t *testing.T) {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write([]byte("6 0 "))
	for range 4 << 20 {
		w.Write([]byte("[")) // the library reads nested arrays recursively
	}
	w.Close()
	objs := testObjects([]byte("BT /F1 12 Tf 72 700 Td (x) Tj ET"), false, "")
	objs[2] = "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> >> >>"
	objs = append(objs, fmt.Sprintf("<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
	// The font, object 6, lives in object stream 5: a classic xref cannot
	// say so, an xref stream after it does.
	deep := withXrefStream(t, testPDF(objs, ""), 6, 5)

	prev := testPDF(testObjects([]byte("BT /F1 12 Tf 72 700 Td (x) Tj ET"), false, ""), "/Prev XREF ")

	saved := PDFChildLimits
	defer func() { PDFChildLimits = saved }()
	for _, tt := range []struct {
		name   string
		data   []byte
		time   time.Duration // the child's limit
		reason string
	}{
		{"deep.pdf", deep, saved.Time, "pdf: the PDF reader ran out of stack (input nested too deeply)"},
		{"prev-loop.pdf", prev, time.Second, "pdf: the cross-reference sections' /Prev chain loops back to offset"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			PDFChildLimits.Time = tt.time
			_, err := Extract(tt.name, tt.data, limits.Limits{})
			require.ErrorIs(t, err, ErrUnreadable)
			assert.Contains(t, err.Error(), tt.name)
			assert.Contains(t, err.Error(), tt.reason)
		})
	}
	// The loop, past the check, spins the library: the child's time limit ends it.
	t.Run("prev-loop.pdf in the child", func(t *testing.T) {
		PDFChildLimits.Time = time.Second
		err := extractPDFChild(&builder{doc: &Document{}}, string(prev), limits.Default())
		var de *Error
		require.ErrorAs(t, err, &de)
		assert.Equal(t, ErrUnreadable, de.Kind)
		assert.Contains(t, err.Error(), "pdf: the PDF reader did not finish within the time limit of 1s")
	})
}

// withXrefStream cuts the xref table and trailer off data and ends it with
// an xref stream that says object id is object 0 of object stream in.
func withXrefStream(t *testing.T, data []byte, id, in int) []byte {
	t.Helper()
	end := bytes.LastIndex(data, []byte("xref\n"))
	body := data[:end:end]
	var rows bytes.Buffer
	rows.Write([]byte{0, 0, 0, 0, 0xff, 0xff})
	for n := 1; n <= id+1; n++ {
		switch {
		case n == id:
			rows.Write([]byte{2, 0, 0, byte(in), 0, 0})
		case n == id+1:
			rows.Write([]byte{1, byte(len(body) >> 16), byte(len(body) >> 8), byte(len(body)), 0, 0})
		default:
			off := bytes.Index(body, []byte(fmt.Sprintf("\n%d 0 obj", n))) + 1
			require.Positive(t, off, "object %d", n)
			rows.Write([]byte{1, byte(off >> 16), byte(off >> 8), byte(off), 0, 0})
		}
	}
	tail := fmt.Sprintf("%d 0 obj\n<< /Type /XRef /Size %d /W [1 3 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n",
		id+1, id+2, rows.Len(), rows.Bytes(), len(body))
	return append(body, tail...)
}

// TestPDFJobWithoutChild runs the job in-process, as a program that never
// called isolate.Serve does, and gets the same document as through the child.
func TestPDFJobWithoutChild(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "sdk-table.pdf"))
	require.NoError(t, err)
	viaChild, err := Extract("sdk-table.pdf", data, limits.Limits{})
	require.NoError(t, err)
	in := append([]byte(`{"policy_size":67108864,"pdf_pages":500}`+"\n"), data...)
	out, err := runPDFJob(in)
	require.NoError(t, err)
	b := &builder{doc: &Document{Path: "sdk-table.pdf", Format: FormatPDF}}
	require.NoError(t, extractPDFContained(b, string(data), limits.Default()))
	assert.Equal(t, viaChild, b.doc)
	assert.Contains(t, string(out), `"Text"`)
	_, err = isolate.Run(t.Context(), PDFJob, []byte("no request line"), PDFChildLimits)
	require.Error(t, err)
	assert.False(t, errors.Is(err, isolate.ErrDied), "a bad request is the job's error, not a death: %v", err)
}

// FuzzPDFContent feeds the content-stream reader arbitrary bytes, seeded
// with the content of the LibreOffice fixture and the syntax cases: it must
// end, without a panic, within its bounds, and read the same whether the
// bytes come whole or one at a time.
func FuzzPDFContent(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "sdk-table.pdf"))
	if err != nil {
		f.Fatal(err)
	}
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		f.Fatal(err)
	}
	pages, _ := pdfPages(r, 10)
	for _, p := range pages {
		b, err := limits.ReadAtMost(p.V.Key("Contents").Reader(), 1<<20, "content")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`BT /F1 12 Tf [(a\101) -250 <0041 42>] TJ << /K [1 2] >> BDC (x\
y) ' 1 2 (z) " BI /W 1 ID xx EI ET`))
	// The shapes of the hostile cases of scripts/gen-malformed/pdf.go, small.
	for _, seed := range []string{strings.Repeat("[", 100), strings.Repeat("<< /A ", 50), strings.Repeat("0 ", 3000) + "Tj",
		"[(a) 1 (b)", "(unterminated \\", "<4142", "/Na#", ">> ] ) } {"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var runs [2][]string
		for i, r := range []io.Reader{bytes.NewReader(b), iotest.OneByteReader(bytes.NewReader(b))} {
			c := &contentReader{}
			err := c.read(r, func(op string, args []operand) error {
				if len(args) > maxOperands {
					t.Fatalf("%d operands kept", len(args))
				}
				runs[i] = append(runs[i], fmt.Sprint(op, len(args)))
				return nil
			})
			if len(c.open) > maxContentNesting {
				t.Fatalf("nested %d deep", len(c.open))
			}
			runs[i] = append(runs[i], fmt.Sprint(err))
		}
		if !slices.Equal(runs[0], runs[1]) {
			t.Fatalf("whole and byte-at-a-time reads differ:\n%q\n%q", runs[0], runs[1])
		}
	})
}

// BenchmarkPDF measures reading real PDFs through the child, as Extract
// does, and in-process (the job alone): the difference is the cost of the
// process boundary. scripts/bench.sh is not involved: this is per document.
func BenchmarkPDF(b *testing.B) {
	files := []string{filepath.Join("testdata", "sdk-table.pdf"), filepath.Join("..", "..", "testdata", "policies", "generated", "seed002.pdf")}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			b.Logf("%s absent (make policy-docs)", file)
			continue
		}
		name := filepath.Base(file)
		b.Run(name+"/child", func(b *testing.B) {
			for b.Loop() {
				if _, err := Extract(name, data, limits.Limits{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		in := append([]byte(`{"policy_size":67108864,"pdf_pages":500}`+"\n"), data...)
		b.Run(name+"/in-process", func(b *testing.B) {
			for b.Loop() {
				if _, err := runPDFJob(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBrief checks that library messages, which can quote the file, become
// one short printable line.
func TestBrief(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain message", "plain message"},
		{"malformed hex string 4 G\n\nline two\x1b[31m red\r\n>", "malformed hex string 4 G line two [31m red >"},
		{"bad \xff\xfe bytes", "bad ? bytes"},
		{strings.Repeat("字", 200), strings.Repeat("字", maxBrief) + "…"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, brief(errors.New(tt.in)))
	}
}
