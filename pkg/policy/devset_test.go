package policy

// The acceptance test of the policy reader: the github development set of
// real documents (shared/corpus/policies/github, hand-annotated in
// expected.json) scored the way its reference scorer score.py scores it.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/sdkdb"
	"golang.org/x/text/unicode/norm"
)

// devDoc is one document of expected.json.
type devDoc struct {
	Doc                 string   `json:"doc"`
	SDKs                []devRow `json:"sdks"`
	SDKsOptional        []devRow `json:"sdks_optional"`
	IgnoreLineRanges    [][2]int `json:"ignore_line_ranges"`
	Permissions         []string `json:"permissions"`
	PermissionsOptional []string `json:"permissions_optional"`
	Notes               string   `json:"notes"`
}

// devRow is one annotated SDK row.
type devRow struct {
	Name    string  `json:"name"`
	ID      *string `json:"id"`
	Company *string `json:"company"`
	Purpose bool    `json:"purpose"`
	Data    bool    `json:"data"`
	URL     *string `json:"url"`
	Line    *int    `json:"line"`
}

// devScore holds the counts of score.py plus the field and id counts the
// acceptance thresholds need.
type devScore struct {
	exp, found, matched          int
	idOK, idExp, idAllOK         int // idAllOK: rows (of all expected) matched with the right id, null included
	comp, compExp, url, urlExp   int
	purp, purpExp, data, dataExp int
	pExp, pFound, pExtra, pRep   int
}

func (s *devScore) add(o devScore) {
	s.exp += o.exp
	s.found += o.found
	s.matched += o.matched
	s.idOK += o.idOK
	s.idExp += o.idExp
	s.idAllOK += o.idAllOK
	s.comp += o.comp
	s.compExp += o.compExp
	s.url += o.url
	s.urlExp += o.urlExp
	s.purp += o.purp
	s.purpExp += o.purpExp
	s.data += o.data
	s.dataExp += o.dataExp
	s.pExp += o.pExp
	s.pFound += o.pFound
	s.pExtra += o.pExtra
	s.pRep += o.pRep
}

var devPunct = regexp.MustCompile(`[()\[\]{}【】《》<>「」、，,。.:;；·_\-/|+"'“”‘’]+`)

// devNorm is score.py's norm: NFKC, lower case, white space and the listed punctuation removed.
func devNorm(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, s)
	return devPunct.ReplaceAllString(s, "")
}

// devNormURL is score.py's norm_url: trimmed, no trailing slash, lower case, no scheme.
func devNormURL(u string) string {
	u = strings.ToLower(strings.TrimRight(strings.TrimSpace(u), "/"))
	return strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
}

// devMatch is score.py's match: greedy one to one, exact normalised name
// first, then containment of at least two runes; the nearest line wins.
func devMatch(exp []devRow, found []SDKRow) map[int]int {
	pairs, used := map[int]int{}, map[int]bool{}
	for _, mode := range []string{"exact", "contain"} {
		for i, e := range exp {
			if _, ok := pairs[i]; ok {
				continue
			}
			ne := devNorm(e.Name)
			best, bestD := -1, 0
			for j, f := range found {
				if used[j] {
					continue
				}
				nf := devNorm(f.Name)
				ok := ne == nf
				if mode == "contain" {
					ok = min(utf8.RuneCountInString(ne), utf8.RuneCountInString(nf)) >= 2 && (strings.Contains(nf, ne) || strings.Contains(ne, nf))
				}
				if !ok {
					continue
				}
				d := 0
				if e.Line != nil && *e.Line != 0 {
					d = *e.Line - f.Line.Line
					if d < 0 {
						d = -d
					}
				}
				if best < 0 || d < bestD {
					best, bestD = j, d
				}
			}
			if best >= 0 {
				pairs[i] = best
				used[best] = true
			}
		}
	}
	return pairs
}

// scoreDevDoc scores one document's Disclosure against its annotation.
func scoreDevDoc(doc devDoc, d *Disclosure) devScore {
	var keep []SDKRow
	for _, f := range d.SDKs {
		ignored := false
		for _, r := range doc.IgnoreLineRanges {
			if r[0] <= f.Line.Line && f.Line.Line <= r[1] {
				ignored = true
			}
		}
		if !ignored {
			keep = append(keep, f)
		}
	}
	optUsed := map[int]bool{}
	for _, j := range devMatch(doc.SDKsOptional, keep) {
		optUsed[j] = true
	}
	var rest []SDKRow
	for j, f := range keep {
		if !optUsed[j] {
			rest = append(rest, f)
		}
	}
	pairs := devMatch(doc.SDKs, rest)
	s := devScore{exp: len(doc.SDKs), found: len(rest), matched: len(pairs)}
	for i, e := range doc.SDKs {
		j, ok := pairs[i]
		wantID := ""
		if e.ID != nil {
			wantID = *e.ID
			s.idExp += b2i(ok)
		}
		if !ok {
			continue
		}
		f := rest[j]
		if f.ID == wantID {
			s.idAllOK++
			if wantID != "" {
				s.idOK++
			}
		}
		if e.Company != nil {
			s.compExp++
			s.comp += b2i(devNorm(f.Company) == devNorm(*e.Company))
		}
		if e.URL != nil {
			s.urlExp++
			s.url += b2i(devNormURL(f.PolicyURL) == devNormURL(*e.URL))
		}
		if e.Purpose {
			s.purpExp++
			s.purp += b2i(strings.TrimSpace(f.Purpose) != "")
		}
		if e.Data {
			s.dataExp++
			s.data += b2i(strings.TrimSpace(f.Data) != "")
		}
	}
	req, opt := map[string]bool{}, map[string]bool{}
	for _, p := range doc.Permissions {
		req[p] = true
	}
	for _, p := range doc.PermissionsOptional {
		opt[p] = true
	}
	s.pExp = len(req)
	for _, p := range d.Permissions {
		s.pRep++
		switch {
		case req[p.Name]:
			s.pFound++
		case !opt[p.Name]:
			s.pExtra++
		}
	}
	return s
}

// devDebug logs, for DEVSET_DEBUG=1, the rows and fields one document gets wrong.
func devDebug(t *testing.T, doc devDoc, d *Disclosure) {
	pairs := devMatch(doc.SDKs, d.SDKs)
	got := map[int]bool{}
	for i, e := range doc.SDKs {
		j, ok := pairs[i]
		if !ok {
			t.Logf("%s MISSING %v %q", filepath.Base(doc.Doc), lineOf(e), e.Name)
			continue
		}
		got[j] = true
		f := d.SDKs[j]
		if e.ID != nil && f.ID != *e.ID || e.ID == nil && f.ID != "" {
			t.Logf("%s ID %q: got %q want %v", filepath.Base(doc.Doc), e.Name, f.ID, deref(e.ID))
		}
		if e.Company != nil && devNorm(f.Company) != devNorm(*e.Company) {
			t.Logf("%s COMPANY %q: got %q want %q", filepath.Base(doc.Doc), e.Name, f.Company, *e.Company)
		}
		if e.URL != nil && devNormURL(f.PolicyURL) != devNormURL(*e.URL) {
			t.Logf("%s URL %q: got %q want %q", filepath.Base(doc.Doc), e.Name, f.PolicyURL, *e.URL)
		}
		if e.Purpose && f.Purpose == "" || e.Data && f.Data == "" {
			t.Logf("%s PURPOSE/DATA %q: got %q / %q", filepath.Base(doc.Doc), e.Name, f.Purpose, f.Data)
		}
	}
	for j, f := range d.SDKs {
		if !got[j] {
			t.Logf("%s EXTRA %d %q", filepath.Base(doc.Doc), f.Line.Line, f.Name)
		}
	}
	req, opt := map[string]bool{}, map[string]bool{}
	for _, p := range doc.Permissions {
		req[p] = true
	}
	for _, p := range doc.PermissionsOptional {
		opt[p] = true
	}
	rep := map[string]bool{}
	for _, p := range d.Permissions {
		rep[p.Name] = true
		if !req[p.Name] && !opt[p.Name] {
			t.Logf("%s PERM EXTRA %s %v %v", filepath.Base(doc.Doc), p.Name, p.Phrases, p.Lines)
		}
	}
	for p := range req {
		if !rep[p] {
			t.Logf("%s PERM MISSING %s", filepath.Base(doc.Doc), p)
		}
	}
}

func lineOf(e devRow) int {
	if e.Line == nil {
		return 0
	}
	return *e.Line
}

func deref(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// devThresholds are the acceptance figures of issue 11.
var devThresholds = []struct {
	name     string
	min      float64
	num, den func(s devScore) int
}{
	{"SDK-row recall", 0.97, func(s devScore) int { return s.matched }, func(s devScore) int { return s.exp }},
	{"row precision", 0.97, func(s devScore) int { return s.matched }, func(s devScore) int { return s.found }},
	{"catalogue-id accuracy (all annotated rows)", 0.97, func(s devScore) int { return s.idAllOK }, func(s devScore) int { return s.exp }},
	{"field accuracy (company, url, purpose, data)", 0.95,
		func(s devScore) int { return s.comp + s.url + s.purp + s.data },
		func(s devScore) int { return s.compExp + s.urlExp + s.purpExp + s.dataExp }},
	{"permission recall", 0.95, func(s devScore) int { return s.pFound }, func(s devScore) int { return s.pExp }},
	{"permission precision", 0.90, func(s devScore) int { return s.pRep - s.pExtra }, func(s devScore) int { return s.pRep }},
}

// TestDevSet scores every document of the github development set, prints
// score.py's table and the acceptance figures, and fails below the
// thresholds of issue 11.
func TestDevSet(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "corpus", "policies", "github")
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Skipf("github dev set not found: %v", err)
	}
	var docs []devDoc
	if err := json.Unmarshal(b, &docs); err != nil {
		t.Fatalf("expected.json: %v", err)
	}
	cat, err := sdkdb.Embedded()
	if err != nil {
		t.Fatalf("embedded catalogue: %v", err)
	}
	var tot devScore
	var sb strings.Builder
	sb.WriteString("doc | rows exp | rows found | matched | ids right | company | url | perms exp | perms found | perms extra\n")
	for _, doc := range docs {
		td, err := doctext.ReadFile(filepath.Join(dir, doc.Doc), limits.Limits{})
		if err != nil {
			t.Errorf("%s: %v", doc.Doc, err)
			continue
		}
		d := Extract([]*doctext.Document{td}, Options{Catalogue: cat})
		s := scoreDevDoc(doc, d)
		if os.Getenv("DEVSET_DEBUG") != "" {
			devDebug(t, doc, d)
		}
		tot.add(s)
		fmt.Fprintf(&sb, "%s | %d | %d | %d | %d/%d | %d/%d | %d/%d | %d | %d | %d\n", filepath.Base(doc.Doc),
			s.exp, s.found, s.matched, s.idOK, s.idExp, s.comp, s.compExp, s.url, s.urlExp, s.pExp, s.pFound, s.pExtra)
	}
	fmt.Fprintf(&sb, "TOTAL | %d | %d | %d | %d/%d | %d/%d | %d/%d | %d | %d | %d\n",
		tot.exp, tot.found, tot.matched, tot.idOK, tot.idExp, tot.comp, tot.compExp, tot.url, tot.urlExp, tot.pExp, tot.pFound, tot.pExtra)
	t.Log("\n" + sb.String())
	for _, th := range devThresholds {
		r := ratio(th.num(tot), th.den(tot))
		t.Logf("%-46s %4d/%-4d = %.3f (min %.2f)", th.name, th.num(tot), th.den(tot), r, th.min)
		if r < th.min {
			t.Errorf("%s %.3f is below %.2f", th.name, r, th.min)
		}
	}
}
