// Package piapi is the table of sensitive APIs: the Android and vendor
// APIs (methods, fields and string constants such as content URIs) through
// which code reads a personal-information type, each with the type, in the
// policy vocabulary of pkg/policy, and the permissions it needs. The table
// is data (apis.yaml, with its sources in the header), embedded and
// validated on first use.
//
// It sits in the bottom layer beside pkg/dex and imports neither: pkg/dex
// walks code for plain descriptors, and the caller (pkg/inventory) turns
// each Entry into a dex.Target with Descriptor, Member, Proto or Type, and
// Value, in table order, so that a hit's target index is the entry's index
// in Table.
package piapi

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

//go:embed apis.yaml
var apisYAML []byte

// Kind says how code reaches an Entry.
type Kind uint8

const (
	// Method entries are calls (invoke-*).
	Method Kind = iota + 1
	// Field entries are reads of a field (iget, sget).
	Field
	// String entries are loads of a string constant (const-string).
	String
)

var kindNames = [...]string{Method: "method", Field: "field", String: "string"}

// String returns "method", "field" or "string".
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Entry is one sensitive API.
type Entry struct {
	Kind Kind
	// Class is the dotted binary name of the class a method or field entry
	// names, as the code names it: "android.provider.Settings$Secure".
	Class string
	// Member is the method or field name ("getDeviceId", "SERIAL", "<init>").
	Member string
	// Proto narrows a method entry to one prototype descriptor
	// ("(I)Ljava/lang/String;"); empty means every overload.
	Proto string
	// Type narrows a field entry to one type descriptor; empty means any.
	Type string
	// Value is a string entry's constant; with Prefix, every string that
	// begins with it matches.
	Value  string
	Prefix bool
	// API names the call for reports: Class + "." + Member for methods and
	// fields, the API that reads through the constant for strings
	// ("android.provider.Settings$Secure.getString" for "android_id").
	API string
	// Data is the personal-information type, a canonical name of the
	// policy vocabulary (pkg/policy DataTypesIn).
	Data string
	// Detail is a finer name for reports (基站信息 for a 位置信息 entry), or "".
	Detail string
	// Permissions are the permissions the API needs, the usual one first;
	// any one of them lets it succeed. Empty when it needs none.
	Permissions []string
	// Note gives API-level and target-SDK conditions, or "".
	Note string
}

// Descriptor returns the type descriptor of a method or field entry's class,
// "Landroid/provider/Settings$Secure;", as pkg/dex names classes; "" for a
// string entry.
func (e *Entry) Descriptor() string {
	if e.Kind == String {
		return ""
	}
	return "L" + strings.ReplaceAll(e.Class, ".", "/") + ";"
}

// NeedsPermission reports whether perm is one of the entry's permissions.
func (e *Entry) NeedsPermission(perm string) bool { return slices.Contains(e.Permissions, perm) }

// table is the parsed and validated embedded table.
var table = sync.OnceValues(func() ([]Entry, error) { return parse(apisYAML) })

// Table returns every entry of the embedded table, in file order. The slice
// and the entries are shared: callers must not modify them.
func Table() ([]Entry, error) { return table() }

// Covers reports whether the table has an entry that needs perm. A rule
// that infers "no call site needs this permission" may do so only for a
// covered permission: for any other, the table simply does not know the
// APIs that need it.
func Covers(perm string) bool {
	entries, err := table()
	if err != nil {
		return false
	}
	for i := range entries {
		if entries[i].NeedsPermission(perm) {
			return true
		}
	}
	return false
}

// rawEntry is one entry as written in apis.yaml.
type rawEntry struct {
	Method      string   `yaml:"method"`
	Field       string   `yaml:"field"`
	String      string   `yaml:"string"`
	Proto       string   `yaml:"proto"`
	Type        string   `yaml:"type"`
	Prefix      bool     `yaml:"prefix"`
	API         string   `yaml:"api"`
	Data        string   `yaml:"data"`
	Detail      string   `yaml:"detail"`
	Permissions []string `yaml:"permissions"`
	Note        string   `yaml:"note"`
	line        int
}

// parse decodes and validates a table. Every problem is reported with its
// line, all of them at once.
func parse(src []byte) ([]Entry, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("piapi: apis.yaml: %w", err)
	}
	var raws []rawEntry
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&raws); err != nil {
		return nil, fmt.Errorf("piapi: apis.yaml: %w", err)
	}
	if len(doc.Content) == 1 && len(doc.Content[0].Content) == len(raws) {
		for i, n := range doc.Content[0].Content {
			raws[i].line = n.Line
		}
	}
	var errs []string
	seen := map[string]int{}
	out := make([]Entry, 0, len(raws))
	for _, r := range raws {
		e, err := r.entry()
		if err != nil {
			errs = append(errs, fmt.Sprintf("apis.yaml:%d: %v", r.line, err))
			continue
		}
		key := fmt.Sprintf("%s|%s|%s|%s|%s|%s", e.Kind, e.Class, e.Member, e.Proto, e.Type, e.Value)
		if first, dup := seen[key]; dup {
			errs = append(errs, fmt.Sprintf("apis.yaml:%d: duplicate of the entry at line %d", r.line, first))
			continue
		}
		seen[key] = r.line
		out = append(out, e)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("piapi: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// entry checks one raw entry and converts it.
func (r *rawEntry) entry() (Entry, error) {
	e := Entry{Data: r.Data, Detail: r.Detail, Permissions: r.Permissions, Note: r.Note, Prefix: r.Prefix, API: r.API}
	n := 0
	for _, s := range []string{r.Method, r.Field, r.String} {
		if s != "" {
			n++
		}
	}
	if n != 1 {
		return e, fmt.Errorf("exactly one of method, field and string must be set")
	}
	switch {
	case r.Method != "", r.Field != "":
		name := r.Method
		e.Kind = Method
		if r.Field != "" {
			name, e.Kind = r.Field, Field
		}
		dot := strings.LastIndexByte(name, '.')
		if dot <= 0 || dot == len(name)-1 || !strings.Contains(name[:dot], ".") || strings.ContainsAny(name, "/;() ") {
			return e, fmt.Errorf("%q is not a dotted class name plus a member", name)
		}
		e.Class, e.Member = name[:dot], name[dot+1:]
		if r.API != "" || r.Prefix {
			return e, fmt.Errorf("api and prefix are for string entries")
		}
		e.API = name
		if e.Kind == Method {
			if r.Type != "" {
				return e, fmt.Errorf("type is for field entries; a method takes proto")
			}
			if r.Proto != "" && !(strings.HasPrefix(r.Proto, "(") && strings.Contains(r.Proto, ")")) {
				return e, fmt.Errorf("proto %q is not a method descriptor", r.Proto)
			}
			e.Proto = r.Proto
		} else {
			if r.Proto != "" {
				return e, fmt.Errorf("proto is for method entries; a field takes type")
			}
			e.Type = r.Type
		}
	default:
		e.Kind, e.Value = String, r.String
		if r.Proto != "" || r.Type != "" {
			return e, fmt.Errorf("proto and type are for method and field entries")
		}
		if r.API == "" {
			return e, fmt.Errorf("a string entry needs the api that reads through it")
		}
	}
	if e.Data == "" {
		return e, fmt.Errorf("data is missing")
	}
	for _, p := range e.Permissions {
		if !strings.Contains(p, ".permission.") {
			return e, fmt.Errorf("%q is not a permission name", p)
		}
	}
	return e, nil
}
