package sdkdb

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// MaxFileSize bounds one catalogue file; the embedded files are a few hundred KiB in all.
const MaxFileSize = limits.CatalogueSize

// Error is a problem that stops a catalogue file from loading, with its position.
type Error struct {
	File string // path inside the fs.FS, or the path given to LoadFile
	Line int    // 1-based, 0 when unknown
	Msg  string
}

// Error formats the error as "sdkdb: FILE:LINE: MSG".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("sdkdb: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("sdkdb: %s: %s", e.File, e.Msg)
}

// Load reads every *.yaml and *.yml file in fsys, in sorted path order, and
// returns the catalogue they make together. Decoding is strict: an unknown
// key, a wrong type or a malformed file is an error naming the file and line.
// Every file error is returned (joined), not only the first. Load does not
// run Validate; duplicate ids are kept for Validate to report, and Lookup
// returns the first of them.
func Load(fsys fs.FS) (*Catalogue, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sdkdb: %w", err)
	}
	sort.Strings(names)
	var srcs []source
	var errs []error
	for _, name := range names {
		b, err := readAtMost(fsys, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		srcs = append(srcs, source{name, b})
	}
	c, err := build(srcs)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// LoadFile reads one catalogue file from disk, as given to --sdkdb.
func LoadFile(name string) (*Catalogue, error) {
	b, err := limits.ReadFileAtMost(name, MaxFileSize, "catalogue file size")
	if err != nil {
		return nil, fmt.Errorf("sdkdb: %w", err)
	}
	return build([]source{{name, b}})
}

func readAtMost(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error()}
	}
	if len(b) > MaxFileSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("larger than %d bytes", MaxFileSize)}
	}
	return b, nil
}

// source is one catalogue file's name and bytes.
type source struct {
	name string
	data []byte
}

// build decodes the files and assembles the catalogue. The version is the one
// the files declare (they must agree), else a digest of their content.
func build(srcs []source) (*Catalogue, error) {
	c := &Catalogue{}
	h := sha256.New()
	var errs []error
	versionFile := ""
	for _, s := range srcs {
		fmt.Fprintf(h, "%s\x00%d\x00", s.name, len(s.data))
		h.Write(s.data)
		entries, version, err := decodeFile(s.name, s.data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if version != "" {
			if c.Version != "" && c.Version != version {
				errs = append(errs, &Error{File: s.name, Msg: fmt.Sprintf("version %q differs from %q in %s", version, c.Version, versionFile)})
			}
			c.Version, versionFile = version, s.name
		}
		c.Entries = append(c.Entries, entries...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if c.Version == "" {
		c.Version = "sha256-" + hex.EncodeToString(h.Sum(nil))[:12]
	}
	c.index()
	return c, nil
}

// index sorts the entries by id (stable, so duplicates keep file order) and builds byID.
func (c *Catalogue) index() {
	sort.SliceStable(c.Entries, func(i, j int) bool { return c.Entries[i].ID < c.Entries[j].ID })
	c.byID = make(map[string]*Entry, len(c.Entries))
	for _, e := range c.Entries {
		if _, dup := c.byID[e.ID]; !dup {
			c.byID[e.ID] = e
		}
	}
}

// decodeFile decodes one file: a YAML list of entries, or a mapping {version, entries}.
func decodeFile(name string, data []byte) ([]*Entry, string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, "", yamlError(name, err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, "", nil // empty file
	}
	root := doc.Content[0]
	version := ""
	list := root
	switch root.Kind {
	case yaml.SequenceNode:
	case yaml.MappingNode:
		list = nil
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			switch k.Value {
			case "version":
				if v.Kind != yaml.ScalarNode || v.Value == "" {
					return nil, "", &Error{File: name, Line: v.Line, Msg: "version must be a non-empty string"}
				}
				version = v.Value
			case "entries":
				if v.Kind != yaml.SequenceNode {
					return nil, "", &Error{File: name, Line: v.Line, Msg: "entries must be a list"}
				}
				list = v
			default:
				return nil, "", &Error{File: name, Line: k.Line, Msg: "unknown field " + k.Value + " (a file is a list of entries or a mapping {version, entries})"}
			}
		}
		if list == nil {
			return nil, version, nil
		}
	default:
		return nil, "", &Error{File: name, Line: root.Line, Msg: "want a list of entries or a mapping {version, entries}"}
	}
	if err := checkCounts(name, list); err != nil {
		return nil, "", err
	}
	var entries []*Entry
	var errs []error
	for _, n := range list.Content {
		e, err := decodeEntry(name, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		entries = append(entries, e)
	}
	return entries, version, errors.Join(errs...)
}

// checkCounts holds the entry list of one file to the catalogue's limits
// (limits.CatalogueEntries and the alias and item caps) before anything is
// decoded, so that the matchers built from the catalogue stay small.
func checkCounts(name string, list *yaml.Node) error {
	if n := len(list.Content); n > limits.CatalogueEntries {
		return &Error{File: name, Line: list.Content[limits.CatalogueEntries].Line,
			Msg: (&limits.LimitError{What: "catalogue entries", Limit: limits.CatalogueEntries, Value: int64(n)}).Error()}
	}
	total := 0
	for _, e := range list.Content {
		if e.Kind != yaml.MappingNode {
			continue // decodeEntry names it
		}
		if n := scalars(e, limits.CatalogueEntryItems+1); n > limits.CatalogueEntryItems {
			return &Error{File: name, Line: e.Line,
				Msg: (&limits.LimitError{What: "values in one catalogue entry", Limit: limits.CatalogueEntryItems, Value: -1}).Error()}
		}
		aliases := 0
		for i := 0; i+1 < len(e.Content); i += 2 {
			if k := e.Content[i].Value; k == "aliases" || k == "vendor_aliases" {
				aliases += len(e.Content[i+1].Content)
			}
		}
		if aliases > limits.CatalogueEntryAliases {
			return &Error{File: name, Line: e.Line,
				Msg: (&limits.LimitError{What: "aliases of one catalogue entry", Limit: limits.CatalogueEntryAliases, Value: int64(aliases)}).Error()}
		}
		if total += aliases; total > limits.CatalogueAliases {
			return &Error{File: name, Line: e.Line,
				Msg: (&limits.LimitError{What: "catalogue aliases", Limit: limits.CatalogueAliases, Value: -1}).Error()}
		}
	}
	return nil
}

// scalars counts the scalar nodes under n, stopping once it has counted max.
func scalars(n *yaml.Node, max int) int {
	if n.Kind == yaml.ScalarNode {
		return 1
	}
	c := 0
	for _, k := range n.Content {
		if c += scalars(k, max-c); c >= max {
			return c
		}
	}
	return c
}

// decodeEntry strictly decodes one entry node and records where its fields are.
func decodeEntry(name string, n *yaml.Node) (*Entry, error) {
	if n.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: n.Line, Msg: "an entry must be a mapping"}
	}
	e := &Entry{file: name, line: n.Line, lines: map[string]int{}}
	if err := checkKeys(name, n, reflect.TypeOf(Entry{}), "", e.lines); err != nil {
		return nil, err
	}
	if err := n.Decode(e); err != nil {
		return nil, yamlError(name, err)
	}
	return e, nil
}

// hints name the catalogue key for keys of the reference sdk-facts.yaml.
var hints = map[string]string{
	"name_en": "name", "vendor_zh": "vendor", "dex_prefixes": "signals.dex_packages",
	"manifest":      "signals.components, signals.meta_data and signals.permissions_defined",
	"weak_evidence": "signals.weak", "native_libs": "signals.native_libs", "meta_data": "signals.meta_data",
	"components": "signals.components", "permissions_defined": "signals.permissions_defined",
}

// checkKeys rejects keys of the mapping n that are not yaml fields of t,
// recursing into struct-typed fields, and records the line of every key and
// list item under its dotted path ("signals.dex_packages.2").
func checkKeys(name string, n *yaml.Node, t reflect.Type, prefix string, lines map[string]int) error {
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			fields[tag] = f.Type
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, ok := fields[k.Value]
		if !ok {
			msg := "unknown field " + prefix + k.Value
			if h := hints[k.Value]; h != "" && prefix == "" {
				msg += " (did you mean " + h + "?)"
			}
			return &Error{File: name, Line: k.Line, Msg: msg}
		}
		key := prefix + k.Value
		lines[key] = k.Line
		switch {
		case ft.Kind() == reflect.Struct && v.Kind == yaml.MappingNode:
			if err := checkKeys(name, v, ft, key+".", lines); err != nil {
				return err
			}
		case ft == reflect.TypeOf(WeakSignals{}) && v.Kind == yaml.SequenceNode:
			// The flat weak list: each value's line under the kind its shape gives.
			n := map[string]int{}
			for _, item := range v.Content {
				k := weakShorthandKey(item.Value)
				lines[key+"."+k+"."+strconv.Itoa(n[k])] = item.Line
				n[k]++
			}
		case v.Kind == yaml.SequenceNode:
			for j, item := range v.Content {
				lines[key+"."+strconv.Itoa(j)] = item.Line
				if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && item.Kind == yaml.MappingNode {
					if err := checkKeys(name, item, ft.Elem(), key+"."+strconv.Itoa(j)+".", lines); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

var yamlLine = lazyre.New(`^line (\d+): (.*)$`)

// yamlError turns a yaml.v3 error into an *Error (or several, joined) with the file and line.
func yamlError(name string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		var errs []error
		for _, m := range te.Errors {
			errs = append(errs, lineError(name, m))
		}
		return errors.Join(errs...)
	}
	return lineError(name, strings.TrimPrefix(err.Error(), "yaml: "))
}

func lineError(name, msg string) *Error {
	msg = strings.TrimSpace(msg)
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: name, Line: line, Msg: m[2]}
	}
	return &Error{File: name, Msg: msg}
}

// WithinLimits reports whether the catalogue c, as merged from several
// files, stays within limits.CatalogueEntries and limits.CatalogueAliases,
// which each file is also held to when it loads.
func WithinLimits(c *Catalogue) error {
	aliases := 0
	for _, e := range c.Entries {
		aliases += len(e.Aliases) + len(e.VendorAliases)
	}
	switch {
	case len(c.Entries) > limits.CatalogueEntries:
		return &limits.LimitError{What: "catalogue entries, all files together", Limit: limits.CatalogueEntries, Value: int64(len(c.Entries))}
	case aliases > limits.CatalogueAliases:
		return &limits.LimitError{What: "catalogue aliases, all files together", Limit: limits.CatalogueAliases, Value: int64(aliases)}
	}
	return nil
}

// Merge returns a catalogue holding base's entries with those of extra laid
// over them: an extra entry replaces the base entry with the same id, and new
// ids are added. Neither input is modified; entries are shared, not copied.
// The version is base's, followed by "+" and extra's when extra has one.
func Merge(base, extra *Catalogue) *Catalogue {
	c := &Catalogue{}
	if base != nil {
		c.Version = base.Version
	}
	over := map[string]bool{}
	if extra != nil {
		for _, e := range extra.Entries {
			over[e.ID] = true
		}
		if extra.Version != "" {
			if c.Version != "" {
				c.Version += "+"
			}
			c.Version += extra.Version
		}
	}
	if base != nil {
		for _, e := range base.Entries {
			if !over[e.ID] {
				c.Entries = append(c.Entries, e)
			}
		}
	}
	if extra != nil {
		c.Entries = append(c.Entries, extra.Entries...)
	}
	c.index()
	return c
}

// Families returns the catalogue's product families ("hms", "umeng") with
// their member entries sorted by id. Entries without a family are left out.
func (c *Catalogue) Families() map[string][]*Entry {
	out := map[string][]*Entry{}
	if c == nil {
		return out
	}
	for _, e := range c.Entries { // already sorted by id
		if e.Family != "" {
			out[e.Family] = append(out[e.Family], e)
		}
	}
	return out
}

// Source returns the file and line the entry was loaded from ("", 0 for an entry built in code).
func (e *Entry) Source() (file string, line int) { return e.file, e.line }

// lineOf returns the line of the key or list item at path ("signals.dex_packages.2"),
// falling back to the key's line, then to the entry's line.
func (e *Entry) lineOf(p string) int {
	for p != "" {
		if l, ok := e.lines[p]; ok {
			return l
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return e.line
}
