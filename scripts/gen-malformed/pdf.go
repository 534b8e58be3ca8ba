package main

// The hostile PDF policies of tests/malformed. Each is a small, well-formed
// PDF built here object by object (there is no tool that writes these on
// purpose), with one part shaped to break a recursive or unbounded reader:
// deep nesting, cycles in the page tree, the xref chain or the object-stream
// chain, lying offsets and sizes, and content that inflates to hundreds of
// megabytes or to millions of glyphs and operands. The visible text uses a
// Type0 font with the predefined UniGB-UCS2-H CMap, so Chinese wording needs
// no embedded font program.

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"fmt"
	"strings"
	"unicode/utf16"
)

const (
	// pdfDeepNesting is how deeply the nested-array cases nest.
	pdfDeepNesting = 10 << 20
	// pdfTrailerNesting is the nesting depth of the trailer case (written
	// uncompressed, so about two bytes a level).
	pdfTrailerNesting = 10000
	// pdfFloodOperands is how many operands the flood case pushes before its
	// one operator.
	pdfFloodOperands = 40 << 20
	// pdfSharedContent is the inflated size of the content stream that every
	// page of the shared-content case shows.
	pdfSharedContent = 300 << 20
	// pdfSharedPages is how many pages share it.
	pdfSharedPages = 500
	// pdfContentsItems is the length of the /Contents array of one page.
	pdfContentsItems = 200000
	// pdfManyGlyphs is how many glyphs precede the disclosure of the glyph case.
	pdfManyGlyphs = 4200000
	// pdfWrappedPages is how many pages the wrapped-paragraph case has, and
	// pdfWrappedLines how many lines of 500 glyphs each page shows: every
	// page stays under the page's glyph limit (256 Ki), all of them together
	// pass the document's (1 Mi) four times over.
	pdfWrappedPages = 17
	pdfWrappedLines = 520
)

// pdfDisclosure is wording every policy reader must find: it discloses the
// camera permission.
const pdfDisclosure = "我们会申请相机权限，用于扫描二维码。"

// pdfDoc builds a PDF from numbered objects: objs[i] is the body of object i+1.
type pdfDoc struct {
	objs [][]byte
	// trailer is added to the trailer dictionary after /Size and /Root.
	trailer string
}

func (d *pdfDoc) add(body []byte) int {
	d.objs = append(d.objs, body)
	return len(d.objs)
}

// bytes writes the file with a classic xref table; the catalogue must be object 1.
func (d *pdfDoc) bytes() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(d.objs))
	for i, o := range d.objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		b.Write(o)
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(d.objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n", len(d.objs)+1, d.trailer, xref)
	return b.Bytes()
}

// pdfStream is a stream object with dictionary entries extra; data is
// deflated unless raw.
func pdfStream(extra string, data []byte, raw bool) []byte {
	var b bytes.Buffer
	if raw {
		fmt.Fprintf(&b, "<< /Length %d %s>>\nstream\n", len(data), extra)
		b.Write(data)
	} else {
		z := deflateZlib(data)
		fmt.Fprintf(&b, "<< /Length %d /Filter /FlateDecode %s>>\nstream\n", len(z), extra)
		b.Write(z)
	}
	b.WriteString("\nendstream")
	return b.Bytes()
}

// deflateZlib compresses data as FlateDecode wants it (zlib framing).
func deflateZlib(data []byte) []byte {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, flate.BestCompression)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// deflateRepeat compresses prefix, n copies of chunk and suffix without
// holding the whole inflated text in memory.
func deflateRepeat(prefix, chunk []byte, n int, suffix []byte) []byte {
	var b bytes.Buffer
	w, _ := zlib.NewWriterLevel(&b, flate.BestCompression)
	w.Write(prefix)
	for range n {
		w.Write(chunk)
	}
	w.Write(suffix)
	w.Close()
	return b.Bytes()
}

// bombStream is a FlateDecode stream whose data inflates to prefix, n
// copies of chunk and suffix.
func bombStream(prefix, chunk []byte, n int, suffix []byte) []byte {
	z := deflateRepeat(prefix, chunk, n, suffix)
	return []byte(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(z), z))
}

// showText is a content-stream fragment that shows s at (72, y) in font F1
// (UniGB-UCS2-H: one UTF-16 code unit per two bytes).
func showText(s string, y int) []byte {
	var hex strings.Builder
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&hex, "%04X", u)
	}
	return []byte(fmt.Sprintf("BT /F1 12 Tf 72 %d Td <%s> Tj ET\n", y, hex.String()))
}

// chineseFont is a Type0 font object whose codes are UCS-2 (no ToUnicode needed).
const chineseFont = "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H " +
	"/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light " +
	"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /DW 1000 >>] >>"

// onePage returns a document with the catalogue (1), the page tree (2), one
// page (3) with the font F1 (4), and content written by the caller as the
// page's /Contents value (an object reference or an array of them).
func onePage(contents string) *pdfDoc {
	d := &pdfDoc{}
	d.add([]byte("<< /Type /Catalog /Pages 2 0 R >>"))
	d.add([]byte("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"))
	d.add([]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents " + contents + " >>"))
	d.add([]byte(chineseFont))
	return d
}

// pdfPolicies writes every hostile PDF case into OUTDIR/policy/.
func (g *gen) pdfPolicies() error {
	cases := []struct {
		name, what string
		build      func() []byte
	}{
		{"pdf-deep-array-content.pdf", "content stream: text, then 10 Mi nested '[' (deflated)", pdfDeepContent},
		{"pdf-deep-array-trailer.pdf", "trailer with an array nested 10,000 deep", pdfDeepTrailer},
		{"pdf-deep-dict-object.pdf", "font object with dictionaries nested 10 Mi deep in a 20 KB object stream", pdfDeepObject},
		{"pdf-self-kid.pdf", "page-tree node that lists itself 400 times among its kids", pdfSelfKid},
		{"pdf-startxref-huge.pdf", "startxref 2^62 in a small file", pdfStartxrefHuge},
		{"pdf-xref-size-huge.pdf", "xref stream whose /Size claims 2^40 entries", pdfXrefSizeHuge},
		{"pdf-operand-flood.pdf", "content stream: text, then 40 Mi operands and one operator (deflated)", pdfOperandFlood},
		{"pdf-unclosed-array.pdf", "content stream: text, then an array never closed", pdfUnclosedArray},
		{"pdf-prev-loop.pdf", "xref table whose /Prev points at itself", pdfPrevLoop},
		{"pdf-prev-loop-2.pdf", "two xref sections whose /Prev point at each other (an incremental update)", pdfPrevLoop2},
		{"pdf-incremental.pdf", "control: an incremental update whose /Prev is the first section, no loop", pdfIncremental},
		{"pdf-xref-stream-prev-loop.pdf", "xref stream whose /Prev points at itself", pdfXrefStreamPrevLoop},
		{"pdf-objstm-flood.pdf", "400,000 object headers of type /ObjStm in 11 MB: the /Extends check must stay linear", pdfObjStmFlood},
		{"pdf-extends-loop.pdf", "object stream that /Extends itself, asked for an object it lacks", pdfExtendsLoop},
		{"pdf-shared-content.pdf", "500 pages sharing one content stream of text and 300 MiB of spaces", pdfSharedContentCase},
		{"pdf-contents-200k.pdf", "page whose /Contents array lists 200,000 streams, disclosure in the last", pdfContents200k},
		{"pdf-many-glyphs.pdf", "one page of 4.2 million glyphs, then the disclosure", pdfManyGlyphsCase},
		{"pdf-wrapped-pages.pdf", "17 pages sharing one content stream: the disclosure, then one paragraph of 260,000 Latin glyphs wrapped into 520 lines", pdfWrappedPagesCase},
		{"pdf-content-limit.pdf", "one page whose only content inflates to 300 MiB of spaces", pdfContentOnlyBomb},
		{"pdf-library-prints.pdf", "content and fonts that make the PDF library print to stdout and stderr", pdfLibraryPrints},
		{"pdf-deep-page-tree.pdf", "page tree nested 5,000 levels deep", pdfDeepPageTree},
		{"pdf-cmap-unclosed.pdf", "font whose ToUnicode CMap opens an array it never closes", pdfCMapUnclosed},
		{"pdf-cmap-panics.pdf", "font whose ToUnicode CMap makes the library panic before any glyph", pdfCMapPanics},
	}
	for _, c := range cases {
		if err := g.write("policy/"+c.name, c.what, c.build()); err != nil {
			return err
		}
	}
	return nil
}

func pdfDeepContent() []byte {
	d := onePage("5 0 R")
	d.add(bombStream(showText(pdfDisclosure, 700), []byte("["), pdfDeepNesting, []byte(" Tj\n")))
	return d.bytes()
}

func pdfDeepTrailer() []byte {
	d := onePage("5 0 R")
	d.add(pdfStream("", showText(pdfDisclosure, 700), false))
	d.trailer = "/Deep " + strings.Repeat("[", pdfTrailerNesting) + strings.Repeat("]", pdfTrailerNesting) + " "
	return d.bytes()
}

// fontInObjectStream writes a PDF 1.5 file whose one page uses font F1,
// object 4, stored as object 0 of the object stream objStm (object 6), and
// ends in the xref stream (object 7) that says so.
func fontInObjectStream(objStm string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	offs := map[int]int{}
	obj := func(n int, body string) {
		offs[n] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, body)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>")
	obj(5, string(pdfStream("", showText(pdfDisclosure, 700), false)))
	obj(6, objStm)
	xref := b.Len()
	var rows bytes.Buffer
	row := func(t byte, f2 uint32, f3 uint16) {
		rows.Write([]byte{t, byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3 >> 8), byte(f3)})
	}
	row(0, 0, 65535)
	for n := 1; n <= 7; n++ {
		switch n {
		case 4:
			row(2, 6, 0)
		case 7:
			row(1, uint32(xref), 0)
		default:
			row(1, uint32(offs[n]), 0)
		}
	}
	fmt.Fprintf(&b, "7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n", rows.Len())
	b.Write(rows.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// pdfDeepObject's font dictionary nests dictionaries 10 Mi deep: 20 KB of
// deflated object stream.
func pdfDeepObject() []byte {
	header := []byte("4 0 ")
	body := deflateRepeat(header, []byte("<</A "), pdfDeepNesting, nil)
	return fontInObjectStream(fmt.Sprintf("<< /Type /ObjStm /N 1 /First %d /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", len(header), len(body), body))
}

func pdfSelfKid() []byte {
	d := &pdfDoc{}
	d.add([]byte("<< /Type /Catalog /Pages 2 0 R >>"))
	d.add([]byte("<< /Type /Pages /Kids [" + strings.Repeat("2 0 R ", 400) + "3 0 R] /Count 1 >>"))
	d.add([]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"))
	d.add([]byte(chineseFont))
	d.add(pdfStream("", showText(pdfDisclosure, 700), false))
	return d.bytes()
}

func pdfStartxrefHuge() []byte {
	d := onePage("5 0 R")
	d.add(pdfStream("", showText(pdfDisclosure, 700), true))
	b := d.bytes()
	i := bytes.LastIndex(b, []byte("startxref\n"))
	return append(b[:i:i], "startxref\n4611686018427387904\n%%EOF\n"...)
}

// pdfXrefSizeHuge ends in an xref stream that claims 2^40 objects: a reader
// that sizes its table from /Size allocates terabytes.
func pdfXrefSizeHuge() []byte {
	d := onePage("5 0 R")
	d.add(pdfStream("", showText(pdfDisclosure, 700), true))
	b := d.bytes()
	i := bytes.LastIndex(b, []byte("xref\n0 "))
	b = b[:i:i]
	rows := []byte{0, 0, 0, 0, 0xff, 0xff}
	tail := fmt.Sprintf("6 0 obj\n<< /Type /XRef /Size 1099511627776 /Index [0 1] /W [1 3 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n",
		len(rows), rows, len(b))
	return append(b, tail...)
}

func pdfOperandFlood() []byte {
	d := onePage("5 0 R")
	d.add(bombStream(showText(pdfDisclosure, 700), []byte("0 "), pdfFloodOperands, []byte("Tj\n")))
	return d.bytes()
}

func pdfUnclosedArray() []byte {
	d := onePage("5 0 R")
	d.add(pdfStream("", append(showText(pdfDisclosure, 700), "BT /F1 12 Tf 72 600 Td [(a) 1 (b)"...), false))
	return d.bytes()
}

// disclosurePage is the one-page PDF of the disclosure and the offset of
// its xref section.
func disclosurePage() ([]byte, int) {
	d := onePage("5 0 R")
	d.add(pdfStream("", showText(pdfDisclosure, 700), false))
	b := d.bytes()
	return b, bytes.LastIndex(b, []byte("xref\n0 "))
}

// withUpdate appends to b an empty incremental update, at offset at, whose
// xref section's /Prev is prev.
func withUpdate(b []byte, at, prev int) []byte {
	return fmt.Appendf(b, "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", prev, at)
}

func pdfPrevLoop() []byte {
	b, xref := disclosurePage()
	return bytes.Replace(b, []byte("/Root 1 0 R "), []byte(fmt.Sprintf("/Root 1 0 R /Prev %d ", xref)), 1)
}

// pdfPrevLoop2 appends an incremental update whose xref section's /Prev is
// the first section, and points the first section's /Prev at the update.
func pdfPrevLoop2() []byte {
	b, first := disclosurePage()
	second := len(b) + len("/Prev 0000000000 ")
	b = bytes.Replace(b, []byte("/Root 1 0 R "), []byte(fmt.Sprintf("/Root 1 0 R /Prev %010d ", second)), 1)
	return withUpdate(b, second, first)
}

// pdfIncremental appends an empty incremental update to the one-page PDF:
// a /Prev chain of two sections that ends, as editors write it.
func pdfIncremental() []byte {
	b, first := disclosurePage()
	return withUpdate(b, len(b), first)
}

// pdfXrefStreamPrevLoop is the object-stream PDF whose xref stream names
// itself as the previous section.
func pdfXrefStreamPrevLoop() []byte {
	b := fontInObjectStream("<< /Type /ObjStm /N 1 /First 4 /Length 22 >>\nstream\n4 0 << /Type /Font >>\nendstream")
	xref := bytes.Index(b, []byte("7 0 obj\n<< /Type /XRef"))
	return bytes.Replace(b, []byte("/Type /XRef "), []byte(fmt.Sprintf("/Type /XRef /Prev %d ", xref)), 1)
}

// pdfObjStmFlood is the one-page PDF with 400,000 object-stream headers
// before its xref table.
func pdfObjStmFlood() []byte {
	b, i := disclosurePage()
	flood := bytes.Repeat([]byte("9 0 obj << /Type /ObjStm >> "), 400000)
	return append(append(append([]byte{}, b[:i]...), flood...), b[i:]...)
}

// pdfExtendsLoop's object stream, which should hold the font, holds only
// object 9, and /Extends itself.
func pdfExtendsLoop() []byte {
	objs := "9 0 << /Unused true >>"
	return fontInObjectStream(fmt.Sprintf("<< /Type /ObjStm /N 1 /First 4 /Extends 6 0 R /Length %d >>\nstream\n%s\nendstream", len(objs), objs))
}

func pdfSharedContentCase() []byte {
	const chunk = 1 << 20
	return sharedContentPages(pdfSharedPages, bombStream(showText(pdfDisclosure, 700), bytes.Repeat([]byte(" "), chunk), pdfSharedContent/chunk, nil))
}

// sharedContentPages is a document of n pages that all show one content
// stream (object 5) in the font F1 (object 4).
func sharedContentPages(n int, content []byte) []byte {
	d := &pdfDoc{}
	d.add([]byte("<< /Type /Catalog /Pages 2 0 R >>"))
	var kids strings.Builder
	for i := range n {
		fmt.Fprintf(&kids, "%d 0 R ", 6+i)
	}
	d.add([]byte(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), n)))
	d.add([]byte("<< /Unused true >>"))
	d.add([]byte(chineseFont))
	d.add(content)
	for range n {
		d.add([]byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"))
	}
	return d.bytes()
}

func pdfContents200k() []byte {
	var arr strings.Builder
	arr.WriteString("[")
	for range pdfContentsItems - 1 {
		arr.WriteString("5 0 R ")
	}
	arr.WriteString("6 0 R]")
	d := onePage(arr.String())
	d.add(pdfStream("", []byte("0 0 m\n"), true))
	d.add(pdfStream("", showText(pdfDisclosure, 700), false))
	return d.bytes()
}

func pdfManyGlyphsCase() []byte {
	d := onePage("5 0 R")
	// 100 glyphs a line, 42,000 lines, all drawn at the same baseline far
	// below the disclosure.
	line := []byte("<" + strings.Repeat("4E00", 100) + "> Tj\n")
	prefix := []byte("BT /F1 1 Tf 72 100 Td\n")
	d.add(bombStream(prefix, line, pdfManyGlyphs/100, append([]byte("ET\n"), showText(pdfDisclosure, 700)...)))
	return d.bytes()
}

// pdfWrappedPagesCase is many pages of one long wrapped paragraph each: a
// reader that joins wrapped lines by copying the text so far spends time
// quadratic in the paragraph, and must instead reach the document's glyph
// limit and say so.
func pdfWrappedPagesCase() []byte {
	// Lines of 500 glyphs ('a', one byte of text each, so that the glyph
	// limit comes before the text limit) at 1 pt, 1.2 pt apart: each line
	// fills the page's width and continues the one above it.
	line := []byte("<" + strings.Repeat("0061", 500) + "> Tj T*\n")
	prefix := append(showText(pdfDisclosure, 800), "BT /F1 1 Tf 1.2 TL 72 780 Td\n"...)
	return sharedContentPages(pdfWrappedPages, bombStream(prefix, line, pdfWrappedLines, []byte("ET\n")))
}

func pdfContentOnlyBomb() []byte {
	d := onePage("5 0 R")
	const chunk = 1 << 20
	d.add(bombStream(nil, bytes.Repeat([]byte(" "), chunk), pdfSharedContent/chunk, nil))
	return d.bytes()
}

// pdfLibraryPrints has a font with an unknown encoding name (the library
// prints to stderr) whose /Widths is an object with a non-name key (it
// prints "DEBUG: …" to stdout, then panics), after readable text.
func pdfLibraryPrints() []byte {
	d := onePage("[5 0 R 6 0 R]")
	d.objs[2] = []byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 7 0 R >> >> /Contents [5 0 R 6 0 R] >>")
	d.add(pdfStream("", showText(pdfDisclosure, 700), false))
	d.add(pdfStream("", []byte("/Span << 1 2 >> BDC EMC\nBT /F2 12 Tf 72 650 Td (Hello) Tj ET\n"), false))
	d.add([]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /NoSuchEncoding /Widths 8 0 R >>"))
	d.add([]byte("<< /Type /Font 1 2 >>"))
	return d.bytes()
}

func pdfDeepPageTree() []byte {
	const depth = 5000
	d := &pdfDoc{}
	d.add([]byte("<< /Type /Catalog /Pages 2 0 R >>"))
	for i := range depth {
		d.add([]byte(fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", i+3)))
	}
	d.add([]byte(fmt.Sprintf("<< /Type /Page /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>", depth+3, depth+4)))
	d.add([]byte(chineseFont))
	d.add(pdfStream("", showText(pdfDisclosure, 700), false))
	return d.bytes()
}

// cmapFont returns a document whose one page shows the disclosure with
// font F1 (object 4, UCS-2) and "Hello" with font F2 (object 6), a simple
// font whose ToUnicode CMap is the stream cmap (object 7).
func cmapFont(cmap []byte) []byte {
	d := onePage("5 0 R")
	d.objs[2] = []byte("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 6 0 R >> >> /Contents 5 0 R >>")
	d.add(pdfStream("", append(showText(pdfDisclosure, 700), "BT /F2 12 Tf 72 650 Td (Hello) Tj ET\n"...), false))
	d.add([]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 7 0 R >>"))
	d.add(pdfStream("", cmap, false))
	return d.bytes()
}

// pdfCMapUnclosed: the library's CMap interpreter appends to an array that
// never closes until memory runs out.
func pdfCMapUnclosed() []byte {
	return cmapFont([]byte("/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <00> <FF> [<0041>"))
}

// pdfCMapPanics: "begin" on a name panics in the library, on the second
// font of the page, after the disclosure was read.
func pdfCMapPanics() []byte {
	return cmapFont([]byte("/CIDInit begin"))
}
