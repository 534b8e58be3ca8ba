package main

import (
	"bytes"
	"fmt"
	"strings"
)

// Hostile policy documents of issue 12: a small DOCX whose XML nests
// deeply, and text, HTML and Markdown policies just under the 64 MiB size
// cap whose lines, cells and rows must be read within a memory budget.
const (
	// docxNestDepth is how deeply the nested DOCX nests tables in cells.
	docxNestDepth = 20000
	// bigDocSize is the size of the large text, HTML and Markdown policies.
	bigDocSize = 60 << 20
	// docxNumberings is how many list definitions (of nine levels each) and
	// numbered paragraphs, one per list, the numbering DOCX has.
	docxNumberings = 10000
)

// hostileDocs writes the deep DOCX and the 60 MB policies.
func (g *gen) hostileDocs() error {
	for _, c := range []struct {
		rel, what string
		data      func() ([]byte, error)
	}{
		{"policy/docx-deep-tables.docx", fmt.Sprintf("a DOCX whose body nests %d tables, each in a cell of the one before, with text at every level", docxNestDepth), deepTablesDOCX},
		{"policy/docx-deep-elements.docx", fmt.Sprintf("a DOCX whose body nests %d w:sdt content controls", 4*docxNestDepth), deepElementsDOCX},
		{"policy/docx-numbering-flood.docx", fmt.Sprintf("a DOCX of %d list definitions with long level texts and one numbered paragraph in each list", docxNumberings), numberingFloodDOCX},
		{"policy/big-lines.txt", "60 MB of short key:value lines of SDK blocks", func() ([]byte, error) { return bigText(false), nil }},
		{"policy/big-one-line.txt", "60 MB on one line without a break", func() ([]byte, error) { return bigText(true), nil }},
		{"policy/big-cells.html", "a 60 MB HTML table of short cells, millions of rows", bigCellsHTML},
		{"policy/big-wide.html", "a 60 MB HTML table whose one row has millions of cells, colspan and rowspan huge", bigWideHTML},
		{"policy/big-pipes.md", "60 MB of Markdown pipe-table rows", func() ([]byte, error) { return bigPipes(), nil }},
	} {
		b, err := c.data()
		if err != nil {
			return err
		}
		if err := g.write(c.rel, c.what, b); err != nil {
			return err
		}
	}
	return nil
}

// docxPackageParts are the content types and package relationships every
// DOCX holds besides word/document.xml.
func docxPackageParts() []entry {
	return []entry{
		deflated("[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
			`<Default Extension="xml" ContentType="application/xml"/>`+
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>`+
			`</Types>`)),
		deflated("_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>`+
			`</Relationships>`)),
	}
}

// docxParts packages document.xml as a minimal DOCX.
func docxParts(document []byte) ([]byte, error) {
	return writeZip(append(docxPackageParts(), deflated("word/document.xml", document)))
}

const docxHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
	`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
	`<w:p><w:r><w:t>我们会申请相机权限。</w:t></w:r></w:p>`

// deepTablesDOCX nests tables in cells, each cell holding a paragraph of
// text before the next table: a reader that copies each level's text into
// the level above works quadratically.
func deepTablesDOCX() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(docxHead)
	for i := 0; i < docxNestDepth; i++ {
		b.WriteString(`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>SDK名称：友盟SDK 使用目的：统计</w:t></w:r></w:p>`)
	}
	b.WriteString(`<w:p><w:r><w:t>最内层</w:t></w:r></w:p>`)
	for i := 0; i < docxNestDepth; i++ {
		b.WriteString(`</w:tc><w:tc><w:p><w:r><w:t>第二列</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)
	}
	b.WriteString(`<w:p><w:r><w:t>我们会申请麦克风权限。</w:t></w:r></w:p></w:body></w:document>`)
	return docxParts(b.Bytes())
}

// deepElementsDOCX nests structured-document tags, which carry no meaning
// for the text, to a depth no editor writes.
func deepElementsDOCX() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(docxHead)
	for i := 0; i < 4*docxNestDepth; i++ {
		b.WriteString(`<w:sdt><w:sdtContent>`)
	}
	b.WriteString(`<w:p><w:r><w:t>最内层</w:t></w:r></w:p>`)
	for i := 0; i < 4*docxNestDepth; i++ {
		b.WriteString(`</w:sdtContent></w:sdt>`)
	}
	b.WriteString(`<w:p><w:r><w:t>我们会申请麦克风权限。</w:t></w:r></w:p></w:body></w:document>`)
	return docxParts(b.Bytes())
}

// numberingFloodDOCX defines docxNumberings lists in word/numbering.xml,
// each level's text 90 bytes of placeholders, and numbers one paragraph in
// each: a reader that keeps every definition and counter, or expands every
// level text, grows with them.
func numberingFloodDOCX() ([]byte, error) {
	var num, doc bytes.Buffer
	num.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`)
	levelText := strings.Repeat("%1%2%3%4%5%6%7%8%9", 5)
	for i := 0; i < docxNumberings; i++ {
		fmt.Fprintf(&num, `<w:abstractNum w:abstractNumId="%d">`, i)
		for l := 0; l < 9; l++ {
			fmt.Fprintf(&num, `<w:lvl w:ilvl="%d"><w:start w:val="2147483647"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%s"/></w:lvl>`, l, levelText)
		}
		num.WriteString(`</w:abstractNum>`)
	}
	for i := 0; i < docxNumberings; i++ {
		fmt.Fprintf(&num, `<w:num w:numId="%d"><w:abstractNumId w:val="%d"/></w:num>`, i+1, i)
	}
	num.WriteString(`</w:numbering>`)
	doc.WriteString(docxHead)
	for i := 0; i < docxNumberings; i++ {
		fmt.Fprintf(&doc, `<w:p><w:pPr><w:numPr><w:ilvl w:val="8"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>第三方SDK</w:t></w:r></w:p>`, i+1)
	}
	doc.WriteString(`</w:body></w:document>`)
	return writeZip(append(docxPackageParts(), deflated("word/numbering.xml", num.Bytes()), deflated("word/document.xml", doc.Bytes())))
}

// bigText is bigDocSize bytes of SDK key:value blocks, one short line each,
// or all of it on one line.
func bigText(oneLine bool) []byte {
	block := "SDK名称：友盟统计分析SDK\n公司名称：友盟同欣（北京）科技有限公司\n使用目的：统计分析\n收集个人信息类型：设备标识符\n隐私政策链接：https://www.umeng.com/page/policy\n"
	if oneLine {
		block = strings.ReplaceAll(block, "\n", "；")
	}
	var b bytes.Buffer
	b.Grow(bigDocSize + len(block))
	b.WriteString("我们会申请相机权限。\n")
	for b.Len() < bigDocSize {
		b.WriteString(block)
	}
	return b.Bytes()
}

// bigCellsHTML is one table of bigDocSize bytes: a header, then short rows.
func bigCellsHTML() ([]byte, error) {
	var b bytes.Buffer
	b.Grow(bigDocSize + 1024)
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>我们会申请相机权限。</p><table>\n")
	b.WriteString("<tr><th>SDK名称</th><th>第三方公司</th><th>使用目的</th></tr>\n")
	for i := 0; b.Len() < bigDocSize; i++ {
		fmt.Fprintf(&b, "<tr><td>友盟SDK%d</td><td>友盟同欣</td><td>统计</td></tr>\n", i)
	}
	b.WriteString("</table></body></html>\n")
	return b.Bytes(), nil
}

// bigWideHTML is one row of millions of cells with huge spans.
func bigWideHTML() ([]byte, error) {
	var b bytes.Buffer
	b.Grow(bigDocSize + 1024)
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>我们会申请相机权限。</p><table>\n")
	b.WriteString("<tr><th>SDK名称</th><th>使用目的</th></tr><tr>")
	for b.Len() < bigDocSize {
		b.WriteString(`<td colspan="1000000" rowspan="1000000">x</td>`)
	}
	b.WriteString("</tr></table></body></html>\n")
	return b.Bytes(), nil
}

// bigPipes is bigDocSize bytes of one Markdown pipe table.
func bigPipes() []byte {
	var b bytes.Buffer
	b.Grow(bigDocSize + 1024)
	b.WriteString("# 第三方SDK\n\n我们会申请相机权限。\n\n| SDK名称 | 使用目的 | 收集个人信息类型 |\n| --- | --- | --- |\n")
	for i := 0; b.Len() < bigDocSize; i++ {
		fmt.Fprintf(&b, "| 友盟SDK%d | 统计 | 设备标识符 |\n", i)
	}
	return b.Bytes()
}
