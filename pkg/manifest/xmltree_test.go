package manifest

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	xtElemRE = regexp.MustCompile(`^( *)E: ([^ ]+) \(line=`)
	xtAttrRE = regexp.MustCompile(`^( *)A: ([^=]*?)(?:\((0x[0-9a-f]{8})\))?=(.*)$`)
	xtStrRE  = regexp.MustCompile(`^"(.*)" \(Raw: `)
	xtTypeRE = regexp.MustCompile(`^\(type (0x[0-9a-f]+)\)(0x[0-9a-f]+)$`)
)

// xtElement is one element of `aapt dump xmltree`: attributes by resource ID
// (or by name when they have none) as aapt prints them.
type xtElement struct {
	tag   string
	path  string
	attrs map[string]string
}

// parseXMLTree reads aapt's xmltree dump into a flat list of elements with
// their slash-separated paths.
func parseXMLTree(out string) []*xtElement {
	type open struct {
		indent int
		el     *xtElement
	}
	var (
		all   []*xtElement
		stack []open
	)
	for _, line := range strings.Split(out, "\n") {
		if m := xtElemRE.FindStringSubmatch(line); m != nil {
			ind := len(m[1])
			for len(stack) > 0 && stack[len(stack)-1].indent >= ind {
				stack = stack[:len(stack)-1]
			}
			el := &xtElement{tag: m[2], path: m[2], attrs: map[string]string{}}
			if len(stack) > 0 {
				el.path = stack[len(stack)-1].el.path + "/" + m[2]
			}
			stack = append(stack, open{ind, el})
			all = append(all, el)
			continue
		}
		if m := xtAttrRE.FindStringSubmatch(line); m != nil && len(stack) > 0 {
			key := m[3]
			if key == "" {
				key = m[2]
			}
			stack[len(stack)-1].el.attrs[key] = xtValue(m[4])
		}
	}
	return all
}

// xtValue turns aapt's printed value into our text form: strings unquoted,
// booleans as true/false, integers in decimal, references as @0x...
func xtValue(v string) string {
	if m := xtStrRE.FindStringSubmatch(v); m != nil {
		return m[1]
	}
	if m := xtTypeRE.FindStringSubmatch(v); m != nil {
		typ, _ := strconv.ParseUint(m[1], 0, 8)
		data, _ := strconv.ParseUint(m[2], 0, 32)
		return typedString(uint8(typ), uint32(data))
	}
	return v
}

func xtBool(attrs map[string]string, id uint32) *bool {
	v, ok := attrs[fmt.Sprintf("0x%08x", id)]
	if !ok {
		return nil
	}
	b := v == "true"
	return &b
}

// TestAXMLComponentsAgainstXMLTree compares components, meta-data, queries,
// uses-library and custom permissions with `aapt dump xmltree` on every
// corpus APK.
func TestAXMLComponentsAgainstXMLTree(t *testing.T) {
	var mu sync.Mutex
	var files, components, defs, triState int
	t.Run("files", func(t *testing.T) {
		for _, path := range corpusAPKs(t) {
			t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
				t.Parallel()
				out, err := aapt(t, "dump", "xmltree", path, "AndroidManifest.xml")
				if err != nil {
					t.Skipf("aapt dump xmltree fails on this file: %v", err)
				}
				m, err := readManifest(t, path)
				require.NoError(t, err)
				b := &builder{m: &Manifest{Package: m.Package}}
				id := func(x uint32) string { return fmt.Sprintf("0x%08x", x) }
				var want Manifest
				var comps = map[string]*[]Component{
					"activity": &want.Activities, "activity-alias": &want.Activities,
					"service": &want.Services, "receiver": &want.Receivers, "provider": &want.Providers,
				}
				var parent string
				for _, el := range parseXMLTree(out) {
					a := el.attrs
					switch {
					case strings.Count(el.path, "/") == 2 && strings.HasPrefix(el.path, "manifest/application/") && comps[el.tag] != nil:
						c := Component{
							Name:     b.className(a[id(attrName)]),
							Exported: xtBool(a, attrExported),
							Enabled:  xtBool(a, attrEnabled),
							Process:  a[id(attrProcess)],
						}
						if el.tag == "activity-alias" {
							c.Alias, c.TargetActivity = true, b.className(a[id(attrTargetActivity)])
						}
						if el.tag == "provider" {
							c.Authorities = splitAuthorities(a[id(attrAuthorities)])
						}
						*comps[el.tag] = append(*comps[el.tag], c)
						parent = c.Name
					case el.path == "manifest/application/meta-data":
						want.MetaData = append(want.MetaData, MetaData{Name: a[id(attrName)]})
					case strings.HasPrefix(el.path, "manifest/application/") && strings.HasSuffix(el.path, "/meta-data") && strings.Count(el.path, "/") == 3:
						want.MetaData = append(want.MetaData, MetaData{Name: a[id(attrName)], Parent: parent})
					case el.path == "manifest/application/uses-library":
						want.UsesLibraries = append(want.UsesLibraries, a[id(attrName)])
					case el.path == "manifest/queries/package":
						want.Queries = append(want.Queries, a[id(attrName)])
					case el.path == "manifest/queries/provider":
						want.Queries = append(want.Queries, splitAuthorities(a[id(attrAuthorities)])...)
					case el.path == "manifest/permission":
						want.PermissionDefs = append(want.PermissionDefs, PermissionDef{Name: a[id(attrName)]})
					}
				}
				got := Manifest{
					Activities: m.Activities, Services: m.Services, Receivers: m.Receivers, Providers: m.Providers,
					UsesLibraries: m.UsesLibraries, Queries: m.Queries,
				}
				for _, md := range m.MetaData {
					got.MetaData = append(got.MetaData, MetaData{Name: md.Name, Parent: md.Parent})
				}
				for _, d := range m.PermissionDefs {
					got.PermissionDefs = append(got.PermissionDefs, PermissionDef{Name: d.Name})
				}
				assert.Equal(t, want, got)
				mu.Lock()
				files++
				components += len(want.Activities) + len(want.Services) + len(want.Receivers) + len(want.Providers)
				defs += len(want.PermissionDefs)
				for _, cs := range [][]Component{want.Activities, want.Services, want.Receivers, want.Providers} {
					for _, c := range cs {
						if c.Exported != nil || c.Enabled != nil {
							triState++
						}
					}
				}
				mu.Unlock()
			})
		}
	})
	t.Logf("xmltree compared on %d files: %d components (%d with exported/enabled set), %d custom permissions",
		files, components, triState, defs)
	if files > 0 {
		assert.Positive(t, triState, "the oracle saw exported/enabled attributes")
	}
}
