package policy

import (
	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/sdkdb"
	"github.com/stretchr/testify/require"
)

// docFromText builds a doctext.Document from UTF-8 text the way doctext's
// plain-text reader is specified to: one Line per non-blank source line with
// its 1-based number, white-space runs collapsed, and runs of TAB-separated
// lines turned into a table whose rows carry Cells.
func docFromText(path string, text []byte) *doctext.Document {
	d := &doctext.Document{Path: path, Format: doctext.FormatText, Encoding: "utf-8"}
	table, prevTab := 0, false
	for i, raw := range strings.Split(string(text), "\n") {
		raw = strings.ToValidUTF8(strings.TrimRight(raw, "\r"), "\uFFFD")
		if strings.TrimSpace(raw) == "" {
			prevTab = false
			continue
		}
		l := doctext.Line{No: i + 1}
		if strings.Contains(raw, "\t") {
			if !prevTab {
				table++
			}
			prevTab = true
			for _, c := range strings.Split(raw, "\t") {
				l.Cells = append(l.Cells, strings.Join(strings.Fields(c), " "))
			}
			l.Table = table
			l.Text = strings.Join(l.Cells, " | ")
		} else {
			prevTab = false
			l.Text = strings.Join(strings.Fields(raw), " ")
		}
		d.Chars += utf8.RuneCountInString(l.Text)
		d.Lines = append(d.Lines, l)
	}
	return d
}

// sharedDir returns the shared/ folder beside the repository checkout.
func sharedDir(t testing.TB) string { return testenv.Shared(t) }

// readDoc reads a shared file (relative to shared/) as a Document.
func readDoc(t testing.TB, rel string) *doctext.Document {
	p := filepath.Join(sharedDir(t), rel)
	doc, err := doctext.ReadFile(p, limits.Limits{})
	require.NoError(t, err)
	doc.Path = filepath.Base(p)
	return doc
}

// testCatalogue loads testdata/catalogue.yaml (facts from the reference sdk-facts.yaml).
func testCatalogue(t testing.TB) *sdkdb.Catalogue {
	b, err := os.ReadFile(filepath.Join("testdata", "catalogue.yaml"))
	require.NoError(t, err)
	c, err := sdkdb.Load(fstest.MapFS{"catalogue.yaml": {Data: b}})
	require.NoError(t, err)
	return c
}

// entryID is e's id, "" for no entry.
func entryID(e *sdkdb.Entry) string {
	if e == nil {
		return ""
	}
	return e.ID
}
