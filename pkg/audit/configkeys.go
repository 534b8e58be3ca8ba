package audit

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// A KeyError is a key of the config file that apkaudit does not know, with
// the known key it most likely is (Suggest, "" when none is close).
type KeyError struct {
	Line    int
	Key     string // as written, with its parent: "waivers[0].reson"
	Suggest string // the full key meant: "waivers[0].reason"
}

func (e *KeyError) Error() string {
	msg := fmt.Sprintf("config: line %d: unknown key %q", e.Line, e.Key)
	if e.Suggest != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggest)
	}
	return msg
}

// checkKeys reports the first key of the YAML document data that is not a
// field of Config (or, under waivers, of Waiver), before decoding it, so that
// a typo is named as the key the user wrote, never as a Go type. Keys are
// the yaml tags of the struct, so the accepted keys are defined in one place.
func checkKeys(data []byte) error {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil || len(doc.Content) == 0 {
		return nil // the decoder reports what is wrong with it
	}
	return checkMapping(doc.Content[0], reflect.TypeOf(Config{}), "")
}

func checkMapping(n *yaml.Node, t reflect.Type, prefix string) error {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	fields := yamlFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		ft, ok := fields[k.Value]
		if !ok {
			e := &KeyError{Line: k.Line, Key: prefix + k.Value}
			if s := closest(k.Value, keys(fields)); s != "" {
				e.Suggest = prefix + s
			}
			return e
		}
		if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && v.Kind == yaml.SequenceNode {
			for j, item := range v.Content {
				if err := checkMapping(item, ft.Elem(), fmt.Sprintf("%s%s[%d].", prefix, k.Value, j)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// yamlFields maps the yaml keys of struct t to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag != "" && tag != "-" {
			m[tag] = f.Type
		}
	}
	return m
}

func keys(m map[string]reflect.Type) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// closest is the known key that key most likely misspells: the same key
// with _ for - or another case, else the nearest within two edits; "" for
// none.
func closest(key string, known []string) string {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "-")) }
	for _, k := range known {
		if norm(k) == norm(key) {
			return k
		}
	}
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(norm(key), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
