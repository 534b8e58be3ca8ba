package doctext

import (
	"strconv"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
)

// Loops in a PDF's chains of references. The PDF library follows an xref
// section's /Prev and an object stream's /Extends without remembering where
// it has been, so a chain that comes back on itself keeps it busy until the
// child's processor-time limit. Both chains live in dictionaries written
// directly in the file (an xref section's trailer or xref-stream dictionary;
// a stream's dictionary, which can never be inside an object stream), so
// they can be followed in the raw bytes, before the library sees the file.

// maxPDFChain bounds how many links of one chain are followed.
const maxPDFChain = 4096

// maxObjStms bounds how many object streams are read for their /Extends (a
// real PDF has at most a few thousand), and objHeadWindow how far before
// its /Type the object's "N G obj" header is looked for, so that a file
// full of "/ObjStm" costs its length, not its length times the window.
const (
	maxObjStms    = 10000
	objHeadWindow = 512
)

var (
	startxrefRe = lazyre.New(`startxref\s+(\d{1,19})`)
	prevRe      = lazyre.New(`^/Prev\s+(\d{1,19})`)
	objHeadRe   = lazyre.New(`(\d{1,10})\s+\d{1,5}\s+obj\b`)
	extendsRe   = lazyre.New(`/Extends\s+(\d{1,10})\s+\d{1,5}\s+R`)
)

// pdfChainLoop returns an unreadable-document error when the file's last
// /Prev chain or an /Extends chain comes back to a link it has passed, and
// nil otherwise (a chain that breaks off is the library's to report).
func pdfChainLoop(data string) error {
	if i := strings.LastIndex(data, "startxref"); i >= 0 {
		if m := startxrefRe().FindStringSubmatch(data[i:min(len(data), i+64)]); m != nil {
			seen := map[int64]bool{}
			for off, _ := strconv.ParseInt(m[1], 10, 64); off >= 0 && off < int64(len(data)); {
				if seen[off] {
					return unreadable("pdf: the cross-reference sections' /Prev chain loops back to offset %d", off)
				}
				if len(seen) == maxPDFChain {
					return unreadable("pdf: the cross-reference sections' /Prev chain is longer than %d", maxPDFChain)
				}
				seen[off] = true
				next, ok := prevOf(data, off)
				if !ok {
					break
				}
				off = next
			}
		}
	}
	extends := map[int64]int64{}
	for at, seen := 0, 0; seen < maxObjStms; seen++ {
		i := strings.Index(data[at:], "/ObjStm")
		if i < 0 {
			break
		}
		i += at
		at = i + len("/ObjStm")
		// The object header is the last "N G obj" before the type, the
		// dictionary runs to its stream.
		head := data[max(0, i-objHeadWindow):i]
		heads := objHeadRe().FindAllStringSubmatchIndex(head, -1)
		if len(heads) == 0 {
			continue
		}
		last := heads[len(heads)-1]
		num, _ := strconv.ParseInt(head[last[2]:last[3]], 10, 64)
		dict := data[max(0, i-objHeadWindow)+last[1] : min(len(data), i+4096)]
		if end := strings.Index(dict, "stream"); end >= 0 {
			dict = dict[:end]
		}
		if m := extendsRe().FindStringSubmatch(dict); m != nil {
			extends[num], _ = strconv.ParseInt(m[1], 10, 64)
		}
	}
	for start := range extends {
		seen := map[int64]bool{}
		for n, ok := start, true; ok; n, ok = extends[n] {
			if seen[n] {
				return unreadable("pdf: the object streams' /Extends chain loops back to object %d", n)
			}
			if len(seen) == maxPDFChain {
				return unreadable("pdf: the object streams' /Extends chain is longer than %d", maxPDFChain)
			}
			seen[n] = true
		}
	}
	return nil
}

// prevOf reads the /Prev of the xref section at off: in the trailer after
// a classic table, or in the dictionary of an xref stream.
func prevOf(data string, off int64) (int64, bool) {
	rest := data[off:]
	if strings.HasPrefix(rest, "xref") {
		i := strings.Index(rest, "trailer")
		if i < 0 {
			return 0, false
		}
		rest = rest[i:]
	}
	return topLevelPrev(rest[:min(len(rest), 4096)])
}

// topLevelPrev finds the first dictionary in s and returns the number of
// its own /Prev key (not one of a dictionary nested in it), reading no
// further than the dictionary's end.
func topLevelPrev(s string) (int64, bool) {
	i := strings.Index(s, "<<")
	if i < 0 {
		return 0, false
	}
	depth := 0
	for ; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "<<"):
			depth++
			i++
		case strings.HasPrefix(s[i:], ">>"):
			if depth--; depth == 0 {
				return 0, false
			}
			i++
		case depth == 1 && strings.HasPrefix(s[i:], "/Prev"):
			if m := prevRe().FindStringSubmatch(s[i:]); m != nil {
				n, err := strconv.ParseInt(m[1], 10, 64)
				return n, err == nil
			}
		}
	}
	return 0, false
}
