package policy

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// MaxRows is the most SDK rows read from one document: real SDK lists have
// a few hundred at most, and each row is matched against the catalogue.
const MaxRows = 2000

// Options configure Extract.
type Options struct {
	// Catalogue maps SDK rows and prose mentions to catalogue ids; nil leaves every row's ID empty.
	Catalogue *sdkdb.Catalogue
}

// Extract reads what the documents disclose. It never fails: a document
// without recognisable content yields an empty Disclosure for it, and nil
// documents are skipped. Every LineRef points at a line of its document.
func Extract(docs []*doctext.Document, opt Options) *Disclosure {
	m := matcherFor(opt.Catalogue)
	d := &Disclosure{}
	perms := map[string]*PermissionDisclosure{}
	types := map[string]bool{}
	for _, doc := range docs {
		if doc == nil {
			continue
		}
		d.Documents = append(d.Documents, DocumentInfo{Path: doc.Path, Format: doc.Format, Chars: doc.Chars})
		for _, w := range doc.Warnings {
			d.Warnings = append(d.Warnings, doc.Path+": "+w)
		}
		lines := prepare(doc)
		rows, used, total := extractRows(doc.Path, lines, m)
		if total > MaxRows {
			d.Warnings = append(d.Warnings, fmt.Sprintf("%s: %v: the rest of the SDK list is not read", doc.Path,
				&limits.LimitError{What: "policy: SDK rows", Limit: MaxRows, Value: int64(total)}))
			rows = rows[:MaxRows]
		}
		for i := range rows {
			r := &rows[i]
			r.DataTypes = DataTypesIn(r.Data)
			if e, fam := m.match(r); e != nil {
				r.ID, r.Family = e.ID, fam
			}
			if listed := m.listedIDs(r); len(listed) >= 2 {
				// The row's first SDK is its id; the others are Also.
				r.ID, r.Also = listed[0], listed[1:]
			}
			if len(r.Also) == 0 {
				r.Also = nil
			}
		}
		d.SDKs = append(d.SDKs, rows...)
		inSection, found := permSections(lines)
		d.HasPermissionSection = d.HasPermissionSection || found
		seenMention := map[string]bool{}
		for i, l := range lines {
			ref := LineRef{File: doc.Path, Line: l.No}
			folded := fold(l.Text)
			for _, h := range permissionsIn(l.Text, folded, inSection[i]) {
				p := perms[h.name]
				if p == nil {
					p = &PermissionDisclosure{Name: h.name}
					perms[h.name] = p
				}
				p.Phrases = addUnique(p.Phrases, h.phrase)
				if n := len(p.Lines); n == 0 || p.Lines[n-1] != ref {
					p.Lines = append(p.Lines, ref)
				}
			}
			for _, t := range dataTypesInLine(squeeze(folded)) {
				types[t] = true
			}
			if used[i] || m.mentions.byFirst == nil {
				continue
			}
			for _, h := range m.mentions.find(folded) {
				key := h.val.ID + "\x00" + strconv.Itoa(l.No)
				if seenMention[key] {
					continue
				}
				seenMention[key] = true
				d.Mentions = append(d.Mentions, Mention{ID: h.val.ID, Phrase: h.phrase, Line: ref})
			}
		}
	}
	for _, p := range perms {
		d.Permissions = append(d.Permissions, *p)
	}
	sort.Slice(d.Permissions, func(i, j int) bool { return d.Permissions[i].Name < d.Permissions[j].Name })
	d.Covered = covered(d.Permissions)
	for t := range types {
		d.DataTypes = append(d.DataTypes, t)
	}
	sort.Strings(d.DataTypes)
	d.HasSDKList = len(d.SDKs) > 0
	d.HasPermissionSection = d.HasPermissionSection || len(d.Permissions) > 0
	return d
}

// dataTypesInLine is DataTypesIn for a folded, squeezed line of policy prose: types named in a clause
// that a negation opens ("我们不会收集您的通讯录") are left out.
func dataTypesInLine(f string) []string {
	var out []string
	for _, h := range dataTypeDict().find(f) {
		if h.val != "" && !negated(f, h.start) {
			out = addUnique(out, h.val)
		}
	}
	return out
}
