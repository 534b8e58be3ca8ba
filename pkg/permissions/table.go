package permissions

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:generate go run gen.go

// privacyTSV is permissions.tsv: privacy-relevant permissions with Chinese names and synonyms.
//
//go:embed data/permissions.tsv
var privacyTSV string

// allTSV is permissions-all.tsv: every API-36 platform permission with its protection level.
//
//go:embed data/permissions-all.tsv
var allTSV string

// table is the parsed, embedded permission data.
type table struct {
	byName  map[string]*Info
	all     []Info // sorted by name
	privacy []Info // rows of permissions.tsv, sorted by name
}

// load parses the embedded tables once. The tables are checked by gen.go and
// by the package tests, so a failure here is a build defect, not bad input.
var load = sync.OnceValue(func() *table {
	t, err := parse(allTSV, privacyTSV)
	if err != nil {
		panic(err)
	}
	return t
})

// Lookup returns what apkaudit knows about the named permission. A name that
// is not a platform permission (a vendor, SDK or app permission) is returned
// as Info{Name: name, Protection: "unknown"} with Known false, never dropped.
func Lookup(name string) Info {
	if p := load().byName[name]; p != nil {
		return *p
	}
	return Info{Name: name, Protection: "unknown"}
}

// All returns every known platform permission, sorted by name. The slice is
// the caller's; the Flags and Synonyms slices inside are shared and must not be modified.
func All() []Info {
	return append([]Info(nil), load().all...)
}

// Privacy returns the privacy-relevant permissions (the rows of permissions.tsv,
// the ones with Chinese synonyms), sorted by name. The policy extractor matches
// their TC260 names, AOSP labels and Synonyms.
func Privacy() []Info {
	return append([]Info(nil), load().privacy...)
}

// rows splits a TSV into records, skipping '#' comments and the header line,
// and checks the header and the field count.
func rows(name, tsv, header string) ([][]string, error) {
	cols := strings.Count(header, "\t") + 1
	var out [][]string
	seenHeader := false
	for i, line := range strings.Split(tsv, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !seenHeader {
			if line != header {
				return nil, fmt.Errorf("permissions: %s:%d: unexpected header %q", name, i+1, line)
			}
			seenHeader = true
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != cols {
			return nil, fmt.Errorf("permissions: %s:%d: %d fields, want %d", name, i+1, len(f), cols)
		}
		out = append(out, f)
	}
	if !seenHeader {
		return nil, fmt.Errorf("permissions: %s: no header line", name)
	}
	return out, nil
}

const (
	allHeader     = "name\tprotection_level\tbase\tflags\tdeclared_group\tapi_added\tlabel_en\taosp_zh"
	privacyHeader = "name\tprotection_level\tgroup\tapi_added\tsensitive\ttc260_zh\taosp_zh\tsynonyms_zh\tdoc_freq\tnotes"
)

// parse builds the table from the text of permissions-all.tsv and permissions.tsv.
func parse(all, privacy string) (*table, error) {
	t := &table{byName: map[string]*Info{}}
	recs, err := rows("permissions-all.tsv", all, allHeader)
	if err != nil {
		return nil, err
	}
	for _, f := range recs {
		info := &Info{Name: f[0], Protection: f[2], LabelEn: f[6], AospZh: f[7], Known: true}
		if f[3] != "" {
			info.Flags = strings.Split(f[3], "|")
		}
		t.byName[info.Name] = info
	}
	recs, err = rows("permissions.tsv", privacy, privacyHeader)
	if err != nil {
		return nil, err
	}
	for _, f := range recs {
		info := t.byName[f[0]]
		if info == nil {
			// Not in the API-36 list: keep the row, with the level permissions.tsv gives.
			base, flags, _ := strings.Cut(f[1], "|")
			info = &Info{Name: f[0], Protection: base, Known: true}
			if flags != "" {
				info.Flags = strings.Split(flags, "|")
			}
			t.byName[info.Name] = info
		}
		if g := strings.TrimSuffix(f[2], "?"); g != "-" {
			info.Group = g
		}
		info.Sensitive = f[4] == "yes"
		info.TC260Zh, info.TC260Alt = splitAlt(f[5])
		if f[6] != "" {
			info.AospZh = f[6]
		}
		syn, err := synonyms(f[7], f[8])
		if err != nil {
			return nil, fmt.Errorf("permissions: permissions.tsv: %s: %w", f[0], err)
		}
		info.Synonyms = syn
		t.privacy = append(t.privacy, *info)
	}
	// Sorted as names, not as Info values: swapping 200-byte structs through
	// sort.Slice's reflection was a third of the parse, which every scan
	// pays once.
	names := make([]string, 0, len(t.byName))
	for name := range t.byName {
		names = append(names, name)
	}
	slices.Sort(names)
	t.all = make([]Info, 0, len(names))
	for _, name := range names {
		t.all = append(t.all, *t.byName[name])
	}
	slices.SortStableFunc(t.privacy, func(a, b Info) int { return strings.Compare(a.Name, b.Name) })
	return t, nil
}

// splitAlt splits "读取日历 (alt. 读日历)" into the name and its variant spelling.
func splitAlt(s string) (name, alt string) {
	name, rest, ok := strings.Cut(s, " (alt. ")
	if !ok {
		return strings.TrimSpace(s), ""
	}
	return strings.TrimSpace(name), strings.TrimSpace(strings.TrimSuffix(rest, ")"))
}

// synonyms pairs the ';'-separated phrases with their ';'-separated document frequencies.
func synonyms(phrases, freqs string) ([]Synonym, error) {
	if phrases == "" {
		return nil, nil
	}
	ps, fs := strings.Split(phrases, ";"), strings.Split(freqs, ";")
	if len(ps) != len(fs) {
		return nil, fmt.Errorf("%d synonyms but %d doc_freq values", len(ps), len(fs))
	}
	out := make([]Synonym, 0, len(ps))
	for i, p := range ps {
		n, err := strconv.Atoi(strings.TrimSpace(fs[i]))
		if err != nil {
			return nil, fmt.Errorf("doc_freq %q: %w", fs[i], err)
		}
		p = strings.TrimSpace(p)
		noisy := strings.HasSuffix(p, "?")
		out = append(out, Synonym{Phrase: strings.TrimSuffix(p, "?"), Noisy: noisy, DocFreq: n})
	}
	return out, nil
}
