package doctext

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPDFChainLoop: chains of /Prev (classic trailers and xref streams)
// and of /Extends that come back on themselves are found, at any length;
// chains that end, references in other dictionaries (an outline's /Prev)
// and offsets outside the file are not loops.
func TestPDFChainLoop(t *testing.T) {
	// section writes a classic xref section at its offset in the file being built.
	var b strings.Builder
	section := func(prev int) int {
		at := b.Len()
		b.WriteString("xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 /Root 1 0 R")
		if prev >= 0 {
			fmt.Fprintf(&b, " /Prev %d", prev)
		}
		b.WriteString(" >>\n")
		return at
	}
	file := func(body string, startxref int) string {
		return fmt.Sprintf("%sstartxref\n%d\n%%%%EOF\n", body, startxref)
	}
	chain := func(links int, loop bool) string {
		b.Reset()
		b.WriteString("%PDF-1.4\n1 0 obj << /Type /Catalog /Outlines << /Prev 0 >> >> endobj\n")
		prev := -1
		first := 0
		for i := range links {
			at := section(prev)
			if i == 0 {
				first = at
			}
			prev = at
		}
		s := b.String()
		if loop { // the first section's /Prev, absent, becomes the last one
			s = strings.Replace(s, "/Root 1 0 R >>", fmt.Sprintf("/Root 1 0 R /Prev %d >>", prev), 1)
			if links == 1 {
				s = strings.Replace(s, fmt.Sprintf("/Prev %d", prev), fmt.Sprintf("/Prev %d", first), 1)
			}
		}
		return file(s, prev)
	}
	objStm := func(n int, extends int) string {
		ext := ""
		if extends >= 0 {
			ext = fmt.Sprintf(" /Extends %d 0 R", extends)
		}
		return fmt.Sprintf("%d 0 obj\n<< /Type /ObjStm /N 0 /First 0%s /Length 0 >>\nstream\n\nendstream\nendobj\n", n, ext)
	}
	tests := []struct {
		name, data string
		want       string // part of the error; "" for none
	}{
		{"one section", chain(1, false), ""},
		{"an incremental update", chain(2, false), ""},
		{"ten updates", chain(10, false), ""},
		{"a section naming itself", chain(1, true), "/Prev chain loops back to offset"},
		{"two sections naming each other", chain(2, true), "/Prev chain loops back to offset"},
		{"a loop of seven", chain(7, true), "/Prev chain loops back to offset"},
		{"an xref stream naming itself", "%PDF-1.5\n9 0 obj\n<< /Type /XRef /Prev 9 /Size 1 >>\nstream\nx\nendstream\nendobj\nstartxref\n9\n%%EOF\n", "/Prev chain loops back to offset 9"},
		{"/Prev past the end", file("%PDF-1.4\n"+"xref\n0 1\ntrailer\n<< /Prev 99999 >>\n", 9), ""},
		{"startxref past the end", file("%PDF-1.4\n", 1<<40), ""},
		{"startxref too long to be a number", "startxref 99999999999999999999999\n", ""},
		{"no startxref", "%PDF-1.4\n", ""},
		{"an object stream extending itself", "%PDF-1.5\n" + objStm(6, 6), "/Extends chain loops back to object 6"},
		{"two object streams extending each other", "%PDF-1.5\n" + objStm(6, 7) + objStm(7, 6), "/Extends chain loops back to object"},
		{"a chain of object streams that ends", "%PDF-1.5\n" + objStm(6, 7) + objStm(7, 8) + objStm(8, -1), ""},
		{"/ObjStm with no object header before it", "/Type /ObjStm /Extends 6 0 R", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := pdfChainLoop(tt.data)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			var de *Error
			if assert.True(t, errors.As(err, &de), "%v", err) {
				assert.Equal(t, ErrUnreadable, de.Kind)
				assert.Contains(t, err.Error(), tt.want)
			}
		})
	}
}

// FuzzPDFChainLoop feeds the chain check arbitrary bytes, seeded with the
// PDF fixtures: it must end, and fail only as an unreadable document.
func FuzzPDFChainLoop(f *testing.F) {
	addFixtures(f, "*.pdf")
	f.Add([]byte("xref\ntrailer << /Prev 0 >>\nstartxref\n0\n"))
	f.Add([]byte("6 0 obj << /Type /ObjStm /Extends 6 0 R >>\nstream\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := pdfChainLoop(string(b)); err != nil {
			var de *Error
			if !errors.As(err, &de) || de.Kind != ErrUnreadable {
				t.Fatalf("not an unreadable document: %v", err)
			}
		}
	})
}
