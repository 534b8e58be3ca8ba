package sdkdb

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestEmbedded(t *testing.T) {
	c, err := Embedded()
	require.NoError(t, err)
	c2, err2 := Embedded()
	require.NoError(t, err2)
	assert.Same(t, c, c2)
	if len(c.Entries) == 0 {
		t.Skip("sdkdb/sdks holds no entries yet")
	}
	for _, p := range Validate(c) {
		t.Errorf("%v (warning=%v)", p, p.Warning)
	}
	for _, e := range c.Entries {
		f, l := e.Source()
		assert.True(t, strings.HasPrefix(f, "sdks/") && l > 0, "%s: source %s:%d", e.ID, f, l)
	}
	// DESIGN.md fixes these ids.
	for _, id := range []string{"umeng-analytics", "umeng-push", "wechat-opensdk", "tencent-trtc", "tencent-liteav",
		"tencent-im", "hms-push", "shanyan", "jpush", "alipay", "amap-location", "pangle-ads", "firebase-analytics"} {
		assert.NotNil(t, c.Lookup(id), "embedded catalogue lacks %s", id)
	}
}

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("schema.json")
	require.NoError(t, err)
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	require.NoError(t, err)
	comp := jsonschema.NewCompiler()
	require.NoError(t, comp.AddResource("schema.json", doc))
	s, err := comp.Compile("schema.json")
	require.NoError(t, err)
	return s
}

// yamlAsJSON decodes YAML into the JSON value model the schema validator takes.
func yamlAsJSON(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, yaml.Unmarshal(b, &v))
	j, err := json.Marshal(v)
	require.NoError(t, err)
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	require.NoError(t, err)
	return out
}

func TestSchema(t *testing.T) {
	s := compileSchema(t)
	for name, y := range map[string]string{"list": umengYAML, "mapping": firebaseYAML, "entry": entryYAML("a", "")} {
		assert.NoError(t, s.Validate(yamlAsJSON(t, []byte(y))), name)
	}
	for name, y := range map[string]string{
		"unknown key":    "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: c\n  signals: {}\n  foo: 1\n",
		"missing vendor": "- id: a\n  name: A\n  name_zh: 甲\n  category: c\n  signals: {}\n",
		"bad id":         "- id: A_B\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: c\n  signals: {}\n",
		"signal type":    "- id: a\n  name: A\n  name_zh: 甲\n  vendor: V\n  category: c\n  signals: {dex_packages: a.b}\n",
	} {
		assert.Error(t, s.Validate(yamlAsJSON(t, []byte(y))), name)
	}

	// Every embedded file conforms to the schema.
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		if d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(files, p)
		require.NoError(t, err)
		assert.NoError(t, s.Validate(yamlAsJSON(t, b)), p)
		return nil
	})
	require.NoError(t, err)
}

// TestSchemaMatchesTypes keeps schema.json and the yaml tags of Entry and Signals in step.
func TestSchemaMatchesTypes(t *testing.T) {
	b, err := os.ReadFile("schema.json")
	require.NoError(t, err)
	var sch struct {
		Defs map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(b, &sch))
	for def, typ := range map[string]reflect.Type{"entry": reflect.TypeOf(Entry{}), "signals": reflect.TypeOf(Signals{})} {
		var tags, props []string
		for i := 0; i < typ.NumField(); i++ {
			if tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ","); tag != "" {
				tags = append(tags, tag)
			}
		}
		for p := range sch.Defs[def].Properties {
			props = append(props, p)
		}
		sort.Strings(tags)
		sort.Strings(props)
		assert.Equal(t, tags, props, def)
	}
}
