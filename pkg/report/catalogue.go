package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/apkaudit/apkaudit/sdkdb"
)

// Catalogue is the view of `sdkdb list` (Rows), `sdkdb show` (Entry) or
// `sdkdb validate` (Problems, when Validated).
type Catalogue struct {
	Version   string
	Rows      []CatalogueRow
	Entry     *sdkdb.Entry
	Validated bool
	Problems  []CatalogueProblem
}

// CatalogueProblem is one problem sdkdb validate found.
type CatalogueProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	ID      string `json:"id"`
	Message string `json:"message"`
	Warning bool   `json:"warning"`
	text    string // sdkdb.Problem.Error()
}

// CatalogueRow is one entry as sdkdb list shows it, with how many values it
// lists of each signal kind.
type CatalogueRow struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	NameZh   string         `json:"name_zh"`
	Vendor   string         `json:"vendor"`
	Category string         `json:"category"`
	Family   string         `json:"family,omitempty"`
	Signals  map[string]int `json:"signals"`
}

// NewCatalogueView builds the view of sdkdb show of entry, or, when entry is
// nil, of sdkdb list of every entry of c.
func NewCatalogueView(c *sdkdb.Catalogue, entry *sdkdb.Entry, o Options) *View {
	v := &Catalogue{Version: c.Version, Entry: entry}
	if entry == nil {
		v.Rows = []CatalogueRow{}
		for _, e := range c.Entries {
			v.Rows = append(v.Rows, CatalogueRow{e.ID, e.Name, e.NameZh, e.Vendor, e.Category, e.Family, e.Signals.Count()})
		}
	}
	return &View{Command: CommandSDKDB, Options: o, Catalogue: v}
}

// NewValidationView builds the view of sdkdb validate: the problems found.
func NewValidationView(problems []sdkdb.Problem, o Options) *View {
	v := &Catalogue{Validated: true, Problems: []CatalogueProblem{}}
	for _, p := range problems {
		v.Problems = append(v.Problems, CatalogueProblem{p.File, p.Line, p.ID, p.Msg, p.Warning, p.Error()})
	}
	return &View{Command: CommandSDKDB, Options: o, Catalogue: v}
}

// document is the JSON of the view: the rows, the entry with every field, or
// the problems.
func (c *Catalogue) document() any {
	switch {
	case c.Validated:
		return c.Problems
	case c.Entry != nil:
		return c.Entry
	}
	return c.Rows
}

// writeTable writes the rows as a table with the signal counts, or the entry
// as "key: value" lines.
func (c *Catalogue) writeTable(w io.Writer, o Options) error {
	switch {
	case c.Validated:
		return c.writeProblems(w)
	case c.Entry != nil:
		return writeEntry(w, c.Entry)
	}
	t := termTable{header: []string{"ID", "Name", "名称", "Vendor", "Category", "Signals"}}
	for _, r := range c.Rows {
		var sig []string
		for _, k := range sdkdb.SignalKinds() {
			if n := r.Signals[k.Key]; n > 0 {
				sig = append(sig, fmt.Sprintf("%s:%d", strings.TrimSuffix(k.Key, "s"), n))
			}
		}
		t.rows = append(t.rows, cleanCells([]string{r.ID, r.Name, r.NameZh, r.Vendor, r.Category, strings.Join(sig, " ")}))
	}
	if err := t.write(w, o.Width, false); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d entries (catalogue %s)\n", len(c.Rows), terminalText(c.Version))
	return err
}

// writeEntry writes every non-empty field of e, signals in SignalKinds order.
func writeEntry(w io.Writer, e *sdkdb.Entry) error {
	kv := [][2]string{
		{"id", e.ID}, {"name", e.Name}, {"name_zh", e.NameZh}, {"vendor", e.Vendor},
		{"vendor_aliases", strings.Join(e.VendorAliases, "; ")}, {"aliases", strings.Join(e.Aliases, "; ")},
		{"category", e.Category}, {"family", e.Family},
	}
	for _, k := range sdkdb.SignalKinds() {
		kv = append(kv, [2]string{k.Key, strings.Join(*k.Values(&e.Signals), " ")})
	}
	for _, k := range sdkdb.SignalKinds() {
		if v := k.WeakValues(&e.Signals); v != nil {
			kv = append(kv, [2]string{"weak " + k.Key, strings.Join(*v, " ")})
		}
	}
	kv = append(kv, [][2]string{
		{"min_signals", fmt.Sprint(e.MinSignals)}, {"nested_in", strings.Join(e.NestedIn, " ")},
		{"permissions", strings.Join(e.Permissions, " ")}, {"data_collected", strings.Join(e.DataCollected, "; ")},
		{"privacy_policy_url", e.PrivacyPolicyURL}, {"no_privacy_policy", e.NoPrivacyPolicy}, {"confidence", e.Confidence},
		{"sources", strings.Join(e.Sources, "; ")}, {"related", strings.Join(e.Related, " ")}, {"notes", e.Notes},
	}...)
	for _, p := range kv {
		if p[1] == "" || p[1] == "0" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%-20s %s\n", p[0]+":", terminalText(p[1])); err != nil {
			return err
		}
	}
	return nil
}

// writeProblems writes one "error: …" or "warning: …" line per problem, then
// "ok (N warnings)" when none is an error.
func (c *Catalogue) writeProblems(w io.Writer) error {
	warns, errs := 0, 0
	for _, p := range c.Problems {
		kind := "error"
		if p.Warning {
			kind = "warning"
			warns++
		} else {
			errs++
		}
		if _, err := fmt.Fprintf(w, "%s: %s\n", kind, terminalText(p.text)); err != nil {
			return err
		}
	}
	if errs > 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "ok (%d warnings)\n", warns)
	return err
}
