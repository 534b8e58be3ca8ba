package manifest

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawNode is one message of `protoc --decode_raw` output: field number to
// scalar values (strings unquoted, numbers as text) and sub-messages.
type rawNode struct {
	vals map[string][]string
	subs map[string][]*rawNode
}

// decodeRaw runs protoc --decode_raw, an independent protobuf decoder, on data.
func decodeRaw(t *testing.T, data []byte) *rawNode {
	t.Helper()
	bin, err := exec.LookPath("protoc")
	if err != nil {
		t.Skip("protoc not installed (apt-get install protobuf-compiler)")
	}
	cmd := exec.Command(bin, "--decode_raw")
	cmd.Stdin = strings.NewReader(string(data))
	out, err := cmd.Output()
	require.NoError(t, err, "protoc --decode_raw")
	root := &rawNode{vals: map[string][]string{}, subs: map[string][]*rawNode{}}
	stack := []*rawNode{root}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		top := stack[len(stack)-1]
		switch {
		case line == "}":
			stack = stack[:len(stack)-1]
		case strings.HasSuffix(line, " {"):
			n := &rawNode{vals: map[string][]string{}, subs: map[string][]*rawNode{}}
			f := strings.TrimSuffix(line, " {")
			top.subs[f] = append(top.subs[f], n)
			stack = append(stack, n)
		default:
			f, v, ok := strings.Cut(line, ": ")
			require.True(t, ok, "decode_raw line %q", line)
			if strings.HasPrefix(v, `"`) {
				u, err := strconv.Unquote(strings.ReplaceAll(v, `\'`, `'`))
				require.NoError(t, err, "decode_raw string %s", v)
				v = u
			}
			top.vals[f] = append(top.vals[f], v)
		}
	}
	return root
}

func (n *rawNode) str(f string) string {
	if v := n.vals[f]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// rawView is what the oracle extracts: XmlNode.element(1) → XmlElement
// name(3), attribute(4){name(2), value(3)}, child(5).
type rawView struct {
	pkg        string
	perms      map[string]bool
	components map[string][]string
	metaData   []string
	queries    []string
}

func viewOf(root *rawNode) rawView {
	v := rawView{perms: map[string]bool{}, components: map[string][]string{}}
	attr := func(e *rawNode, name string) string {
		for _, a := range e.subs["4"] {
			if a.str("2") == name {
				return a.str("3")
			}
		}
		return ""
	}
	var walk func(e *rawNode, path []string)
	walk = func(e *rawNode, path []string) {
		tag := e.str("3")
		path = append(path, tag)
		switch strings.Join(path, "/") {
		case "manifest":
			v.pkg = attr(e, "package")
		case "manifest/queries/package":
			v.queries = append(v.queries, attr(e, "name"))
		case "manifest/uses-permission", "manifest/uses-permission-sdk-23":
			v.perms[attr(e, "name")] = true
		case "manifest/application/activity", "manifest/application/activity-alias", "manifest/application/service",
			"manifest/application/receiver", "manifest/application/provider":
			v.components[tag] = append(v.components[tag], attr(e, "name"))
		}
		if tag == "meta-data" {
			v.metaData = append(v.metaData, attr(e, "name"))
		}
		for _, c := range e.subs["5"] {
			for _, ce := range c.subs["1"] {
				walk(ce, path)
			}
		}
	}
	for _, e := range root.subs["1"] {
		walk(e, nil)
	}
	return v
}

// TestParseProtoAgainstDecodeRaw decodes every module manifest of the
// bundletool AABs and compares with what protoc --decode_raw shows.
func TestParseProtoAgainstDecodeRaw(t *testing.T) {
	aabs, err := filepath.Glob(filepath.Join(corpusDir(t), "apk", "bundletool", "*.aab"))
	require.NoError(t, err)
	require.Len(t, aabs, 2)
	modules, permCount := 0, 0
	for _, aab := range aabs {
		for _, mod := range []string{"base", "runtime", "assets", "initialInstall", "java"} {
			data, err := zipEntry(aab, mod+"/manifest/AndroidManifest.xml")
			require.NoError(t, err)
			if data == nil {
				continue
			}
			modules++
			t.Run(filepath.Base(aab)+"/"+mod, func(t *testing.T) {
				assert.Equal(t, KindProto, Detect(data))
				m, err := ParseProto(data, nil)
				require.NoError(t, err)
				want := viewOf(decodeRaw(t, data))
				assert.Equal(t, want.pkg, m.Package)
				got := map[string]bool{}
				for _, p := range m.Permissions {
					got[p.Name] = true
				}
				assert.Equal(t, want.perms, got, "permissions")
				gotComp := map[string][]Component{
					"activity": m.Activities, "service": m.Services, "receiver": m.Receivers, "provider": m.Providers,
				}
				for kind, names := range want.components {
					require.Len(t, gotComp[kind], len(names), kind)
					for i, n := range names {
						assert.True(t, strings.HasSuffix(gotComp[kind][i].Name, strings.TrimPrefix(n, ".")),
							"%s %d: %q vs %q", kind, i, gotComp[kind][i].Name, n)
					}
				}
				var md []string
				for _, x := range m.MetaData {
					md = append(md, x.Name)
				}
				assert.Equal(t, want.metaData, md, "meta-data")
				assert.Equal(t, want.queries, m.Queries, "queries")
				permCount += len(want.perms)
			})
		}
	}
	assert.Equal(t, 6, modules, "module manifests in the two bundles")
	assert.Positive(t, permCount, "the oracle saw permissions")
}

// TestParseProtoHandChecked asserts values read by hand from protoc
// --decode_raw of install-time-permanent-modules.aab base/manifest.
func TestParseProtoHandChecked(t *testing.T) {
	data, err := zipEntry(filepath.Join(corpusDir(t), "apk", "bundletool", "install-time-permanent-modules.aab"), "base/manifest/AndroidManifest.xml")
	require.NoError(t, err)
	m, err := ParseProto(data, nil)
	require.NoError(t, err)
	assert.Equal(t, "com.google.android.samples.dynamicfeatures.ondemand", m.Package)
	assert.Equal(t, int64(1), m.VersionCode)
	assert.Equal(t, "1.0", m.VersionName)
	assert.Equal(t, 24, m.MinSDK)
	assert.Equal(t, 28, m.TargetSDK)
	assert.Equal(t, 28, m.CompileSDK)
	// label is compiled to a reference 2131558428 (0x7f0d001c); no table given.
	assert.Equal(t, "@0x7f0d001c", m.Label)
	assert.Contains(t, m.Warnings, "unresolved resource reference @0x7f0d001c in android:label")
	assert.Equal(t, "com.google.android.samples.dynamicfeatures.MyApplication", m.Application.Name)
	require.Len(t, m.Activities, 5)
	assert.Equal(t, "com.google.android.samples.dynamicfeatures.MainActivity", m.Activities[0].Name)
	assert.Equal(t, "com.google.android.play.core.missingsplits.PlayCoreMissingSplitsActivity", m.Activities[1].Name)
	assert.Equal(t, "com.google.android.samples.dynamicfeatures.ondemand.JavaSampleActivity", m.Activities[4].Name)
	var exported int
	for _, a := range m.Activities {
		if a.Exported != nil {
			assert.False(t, *a.Exported, a.Name)
			exported++
		}
	}
	assert.Equal(t, 2, exported, "two activities say android:exported=\"false\"")
}
