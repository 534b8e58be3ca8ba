package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sebdah/goldie/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
)

// goldenExt is the golden file extension per renderer, so goldens open in the right editor mode.
var goldenExt = map[string]string{
	"table": "txt", "json": "json", "jsonl": "jsonl", "sarif": "sarif",
	"junit": "xml", "markdown": "md", "html": "html",
}

// render builds the view of results for o's command and renders it with r.
func render(t *testing.T, r Renderer, results []*audit.Result, o testOptions) []byte {
	t.Helper()
	v, err := NewView(o.cmd, results, o.Options)
	require.NoError(t, err)
	return renderView(t, r, v)
}

func renderView(t *testing.T, r Renderer, v *View) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, r.Render(&buf, v))
	return buf.Bytes()
}

func TestLookup(t *testing.T) {
	names := Names()
	require.Equal(t, []string{"table", "json", "jsonl", "sarif", "junit", "markdown", "html"}, names)
	for _, n := range names {
		r, err := Lookup(n)
		require.NoError(t, err)
		assert.Equal(t, n, r.Name())
		r, err = Lookup(strings.ToUpper(n))
		require.NoError(t, err, "lookup is case-insensitive")
		assert.Equal(t, n, r.Name())
	}
	_, err := Lookup("yaml")
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "report: "), err.Error())
	for _, n := range names {
		assert.Contains(t, err.Error(), n, "the error lists every valid name")
	}
}

func TestGolden(t *testing.T) {
	g := goldie.New(t, goldie.WithFixtureDir("testdata/golden"), goldie.WithNameSuffix(""))
	cases := []struct {
		command Command
		result  func() *audit.Result
	}{
		{CommandInspect, demoInspect},
		{CommandPolicy, demoPolicy},
		{CommandCheck, demoCheck},
	}
	for _, r := range Renderers() {
		for _, c := range cases {
			langs := []string{"en"}
			if r.Name() != "json" && r.Name() != "jsonl" && r.Name() != "junit" {
				langs = append(langs, "zh") // JSON and JUnit carry both languages or are language-neutral
			}
			for _, lang := range langs {
				name := string(c.command) + "-" + lang + "." + goldenExt[r.Name()]
				t.Run(r.Name()+"/"+name, func(t *testing.T) {
					got := render(t, r, []*audit.Result{c.result()}, demoOptions(c.command, lang))
					g.Assert(t, r.Name()+"/"+name, got)
				})
			}
		}
		t.Run(r.Name()+"/multi", func(t *testing.T) {
			// Two artifacts at once, command inferred from the results.
			o := demoOptions("", "en")
			got := render(t, r, []*audit.Result{demoCheck(), demoSecond()}, o)
			g.Assert(t, r.Name()+"/multi-en."+goldenExt[r.Name()], got)
		})
	}
}

// TestGoldenDiff renders the demo diff, checked against the policy, in every
// format and both languages (JSON, JSONL and JUnit in English only), and
// without a policy in the formats that show the difference.
func TestGoldenDiff(t *testing.T) {
	g := goldie.New(t, goldie.WithFixtureDir("testdata/golden"), goldie.WithNameSuffix(""))
	for _, r := range Renderers() {
		require.True(t, r.Shows(CommandDiff), r.Name())
		langs := []string{"en"}
		if r.Name() != "json" && r.Name() != "jsonl" && r.Name() != "junit" {
			langs = append(langs, "zh")
		}
		for _, lang := range langs {
			name := r.Name() + "/diff-" + lang + "." + goldenExt[r.Name()]
			t.Run(name, func(t *testing.T) {
				v := demoDiff(true)
				v.Options.Lang = lang
				g.Assert(t, name, renderView(t, r, v))
			})
		}
	}
	for _, name := range []string{"table", "json"} {
		r, err := Lookup(name)
		require.NoError(t, err)
		t.Run(name+"/unchecked", func(t *testing.T) {
			g.Assert(t, name+"/diff-unchecked-en."+goldenExt[name], renderView(t, r, demoDiff(false)))
		})
	}
}

// TestDiffUndisclosed: an addition is marked undisclosed exactly when an
// unwaived undisclosed-* finding names it; without a policy nothing is marked.
func TestDiffUndisclosed(t *testing.T) {
	var doc DiffDocument
	require.NoError(t, json.Unmarshal(renderView(t, jsonRenderer{}, demoDiff(true)), &doc))
	require.Len(t, doc.AddedPermissions, 1)
	assert.False(t, *doc.AddedPermissions[0].Undisclosed, "READ_PHONE_STATE's finding is waived")
	require.Len(t, doc.AddedSDKs, 1)
	assert.Equal(t, "jpush", doc.AddedSDKs[0].ID)
	assert.True(t, *doc.AddedSDKs[0].Undisclosed)
	require.Len(t, doc.RemovedSDKs, 1)
	assert.Nil(t, doc.RemovedSDKs[0].Undisclosed)
	assert.True(t, doc.PolicyChecked)
	assert.Len(t, doc.Findings, 2)
	assert.Equal(t, []string{"waiver for undisclosed-sdk no-such-sdk matches no finding"}, doc.Notes)

	doc = DiffDocument{}
	require.NoError(t, json.Unmarshal(renderView(t, jsonRenderer{}, demoDiff(false)), &doc))
	assert.False(t, doc.PolicyChecked)
	assert.Nil(t, doc.AddedSDKs[0].Undisclosed)
	assert.Empty(t, doc.Findings)
}

// TestShows: every format shows every report; batch lines are JSONL only,
// sdkdb output table or JSON only, and For says so naming the formats that can.
func TestShows(t *testing.T) {
	for _, c := range []Command{CommandInspect, CommandPolicy, CommandCheck, CommandDiff} {
		assert.Equal(t, Names(), FormatsFor(c), c)
	}
	assert.Equal(t, []string{"jsonl"}, FormatsFor(CommandBatch))
	assert.Equal(t, []string{"table", "json"}, FormatsFor(CommandSDKDB))
	_, err := For("SARIF", CommandSDKDB)
	require.EqualError(t, err, "report: --format sarif cannot show sdkdb output (want table or json)")
	_, err = For("html", CommandBatch)
	require.EqualError(t, err, "report: --format html cannot show batch output (want jsonl)")
	r, err := For("Markdown", CommandDiff)
	require.NoError(t, err)
	assert.Equal(t, "markdown", r.Name())
	_, err = For("yaml", CommandCheck)
	require.ErrorContains(t, err, "unknown format")
}

// demoSecond is a second, clean artifact with nothing in it: every list is empty.
func demoSecond() *audit.Result {
	return &audit.Result{
		Inventory:  &inventory.Inventory{Artifact: inventory.Artifact{Path: "testdata/demo/lite.apk", Kind: "apk"}, App: inventory.App{Package: "com.example.lite"}},
		Disclosure: &policy.Disclosure{},
	}
}

// TestDeterministic renders twice, and once more from shuffled input, and wants the same bytes.
func TestDeterministic(t *testing.T) {
	for _, r := range Renderers() {
		for _, cmd := range []Command{CommandInspect, CommandPolicy, CommandCheck} {
			t.Run(r.Name()+"/"+string(cmd), func(t *testing.T) {
				o := demoOptions(cmd, "zh")
				a := render(t, r, []*audit.Result{demoCheck()}, o)
				b := render(t, r, []*audit.Result{demoCheck()}, o)
				require.Equal(t, string(a), string(b))

				shuffled := demoCheck()
				rng := rand.New(rand.NewPCG(1, 2))
				rng.Shuffle(len(shuffled.Findings), func(i, j int) {
					shuffled.Findings[i], shuffled.Findings[j] = shuffled.Findings[j], shuffled.Findings[i]
				})
				rng.Shuffle(len(shuffled.SDKs), func(i, j int) { shuffled.SDKs[i], shuffled.SDKs[j] = shuffled.SDKs[j], shuffled.SDKs[i] })
				for _, d := range shuffled.SDKs {
					rng.Shuffle(len(d.Evidence), func(i, j int) { d.Evidence[i], d.Evidence[j] = d.Evidence[j], d.Evidence[i] })
				}
				p := shuffled.Inventory.Permissions
				rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
				c := render(t, r, []*audit.Result{shuffled}, o)
				require.Equal(t, string(a), string(c), "input order must not change the output")
			})
		}
	}
}

func TestTimestamps(t *testing.T) {
	for _, r := range Renderers() {
		o := demoOptions(CommandCheck, "en")
		o.NoTimestamp = false
		o.Now = mustTime(t, "2026-03-04T05:06:07Z")
		got := string(render(t, r, []*audit.Result{demoCheck()}, o))
		switch r.Name() {
		case "sarif", "junit", "html":
			assert.Contains(t, got, "2026-03-04T05:06:07Z", r.Name())
		default:
			assert.NotContains(t, got, "2026-03-04", r.Name())
		}
		o.NoTimestamp = true
		assert.NotContains(t, string(render(t, r, []*audit.Result{demoCheck()}, o)), "2026-03-04", r.Name())
	}
}

func TestNilResult(t *testing.T) {
	_, err := NewView(CommandCheck, []*audit.Result{demoCheck(), nil}, demoOptions(CommandCheck, "en").Options)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "report: result 1 is nil")
}

// TestEmptyResults renders results whose every slice and pointer is nil: no panic, and
// JSON lists come out as [] (never null).
func TestEmptyResults(t *testing.T) {
	results := map[Command]*audit.Result{
		CommandInspect: {},
		CommandPolicy:  {},
		CommandCheck:   {},
	}
	for cmd, res := range results {
		for _, r := range Renderers() {
			render(t, r, []*audit.Result{res}, demoOptions(cmd, "zh"))
		}
		got := render(t, jsonRenderer{}, []*audit.Result{res}, demoOptions(cmd, "en"))
		assert.NotContains(t, string(got), "null", "%s: %s", cmd, got)
	}
}

func TestJSONShape(t *testing.T) {
	keys := func(t *testing.T, b []byte) map[string]json.RawMessage {
		t.Helper()
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(b, &m))
		return m
	}
	inspectKeys := []string{"schema_version", "tool", "artifact", "app", "permissions", "sdks", "components", "native_libs", "code", "warnings"}
	policyKeys := []string{"documents", "permissions", "sdks", "data_types", "warnings"}

	t.Run("inspect", func(t *testing.T) {
		m := keys(t, render(t, jsonRenderer{}, []*audit.Result{demoInspect()}, demoOptions(CommandInspect, "en")))
		for _, k := range inspectKeys {
			assert.Contains(t, m, k)
		}
		for _, k := range []string{"policy", "documents"} {
			assert.NotContains(t, m, k)
		}
		for _, k := range []string{"findings", "summary", "notes"} {
			assert.Contains(t, m, k, "inspect shows the findings that decide its exit code")
		}
		assert.JSONEq(t, `1`, string(m["schema_version"]))
		assert.JSONEq(t, `{"name":"apkaudit","version":"0.1.0-test","sdkdb_version":"2026.01.01"}`, string(m["tool"]))
		var sdks []JSONSDK
		require.NoError(t, json.Unmarshal(m["sdks"], &sdks))
		require.Len(t, sdks, 2)
		assert.Equal(t, "jpush", sdks[0].ID, "sorted by id")
		assert.Equal(t, []JSONEvidence{
			{"component", "cn.jpush.android.service.PushService", 1},
			{"dex-package", "cn/jpush/android/service", 42},
			{"native-lib", "lib/arm64-v8a/libjcore.so", 1},
		}, sdks[0].Evidence)
	})
	t.Run("classes", func(t *testing.T) {
		o := demoOptions(CommandInspect, "en")
		var d InspectDocument
		require.NoError(t, json.Unmarshal(render(t, jsonRenderer{}, []*audit.Result{demoInspect()}, o), &d))
		assert.Empty(t, d.Code.ClassNames)
		o.Classes = true
		require.NoError(t, json.Unmarshal(render(t, jsonRenderer{}, []*audit.Result{demoInspect()}, o), &d))
		assert.Equal(t, []string{"com.example.shop.MainActivity", "com.example.shop.ShopApp"}, d.Code.ClassNames)
	})
	t.Run("policy", func(t *testing.T) {
		b := render(t, jsonRenderer{}, []*audit.Result{demoPolicy()}, demoOptions(CommandPolicy, "en"))
		m := keys(t, b)
		for _, k := range append(policyKeys, "schema_version", "tool") {
			assert.Contains(t, m, k)
		}
		assert.NotContains(t, m, "artifact")
		var d PolicyDocument
		require.NoError(t, json.Unmarshal(b, &d))
		require.Len(t, d.SDKs, 3)
		assert.Nil(t, d.SDKs[2].ID, "a row matching no catalogue entry has id null")
		assert.Contains(t, string(m["sdks"]), `"id": null`)
		assert.Equal(t, "umeng-analytics", *d.SDKs[0].ID)
		assert.Equal(t, 5, d.SDKs[0].Line)
		assert.Equal(t, []int{42, 57}, d.Permissions[1].Lines)
	})
	t.Run("check", func(t *testing.T) {
		b := render(t, jsonRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "en"))
		m := keys(t, b)
		for _, k := range append(inspectKeys, "policy", "findings", "summary") {
			assert.Contains(t, m, k)
		}
		pol := keys(t, m["policy"])
		for _, k := range policyKeys {
			assert.Contains(t, pol, k)
		}
		assert.NotContains(t, pol, "schema_version")
		assert.JSONEq(t, `{"high":1,"medium":2,"low":1,"info":1}`, string(m["summary"]), "the waived high finding is not counted")
		var fs []JSONFinding
		require.NoError(t, json.Unmarshal(m["findings"], &fs))
		require.Len(t, fs, 6)
		assert.Equal(t, "undisclosed-permission", fs[0].Rule, "worst first; rules in audit order within a severity")
		assert.True(t, fs[0].Waived)
		assert.Equal(t, "disclosed in the in-app consent dialog (legal@example.com)", fs[0].WaiverReason)
		assert.Equal(t, "构建中嵌入了极光推送SDK，但隐私政策未披露", fs[1].MessageZh)
		assert.Equal(t, []string{"info", "low", "medium", "medium", "high", "high"}, []string{fs[5].Severity, fs[4].Severity, fs[3].Severity, fs[2].Severity, fs[1].Severity, fs[0].Severity})
		assert.NotContains(t, string(m["findings"]), `"waived": false`)
	})
	t.Run("array for several", func(t *testing.T) {
		b := render(t, jsonRenderer{}, []*audit.Result{demoInspect(), demoInspect()}, demoOptions(CommandInspect, "en"))
		var arr []map[string]any
		require.NoError(t, json.Unmarshal(b, &arr))
		assert.Len(t, arr, 2)
	})
	t.Run("jsonl", func(t *testing.T) {
		b := render(t, jsonlRenderer{}, []*audit.Result{demoCheck(), demoSecond()}, demoOptions(CommandCheck, "en"))
		lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		require.Len(t, lines, 2)
		for _, l := range lines {
			assert.True(t, json.Valid([]byte(l)), l)
		}
	})
}

// TestEscaping checks that hostile policy text cannot inject markup into HTML or Markdown.
func TestEscaping(t *testing.T) {
	for _, name := range []string{"html", "markdown"} {
		r, err := Lookup(name)
		require.NoError(t, err)
		for _, cmd := range []Command{CommandPolicy, CommandCheck} {
			res := demoCheck()
			res.Findings[0].MessageZh = hostile
			res.Findings[0].Message = hostile
			got := string(render(t, r, []*audit.Result{res}, demoOptions(cmd, "zh")))
			assert.NotContains(t, got, "<img", "%s/%s", name, cmd)
			assert.Contains(t, got, "&lt;img src=x onerror=alert(1)&gt;", "%s/%s", name, cmd)
		}
	}
}

// TestTableAlignment checks, independently of the golden, that every row of every
// table is as wide as its border line when CJK characters count two columns.
func TestTableAlignment(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		for _, cmd := range []Command{CommandInspect, CommandPolicy, CommandCheck} {
			out := string(render(t, tableRenderer{}, []*audit.Result{demoCheck()}, demoOptions(cmd, lang)))
			width, rows := 0, 0
			for _, line := range strings.Split(out, "\n") {
				switch {
				case strings.HasPrefix(line, "+"):
					width = displayWidth(line)
				case strings.HasPrefix(line, "|"):
					rows++
					assert.Equal(t, width, displayWidth(line), "%s/%s: %q", lang, cmd, line)
				}
			}
			assert.Greater(t, rows, 5)
			if lang == "zh" && cmd != CommandPolicy {
				assert.Contains(t, out, "访问精准定位")
			}
		}
	}
}

func TestRuleTexts(t *testing.T) {
	rules := audit.Rules()
	texts := RuleTexts()
	require.Len(t, texts, len(rules), "one text per rule")
	for i, r := range rules {
		assert.Equal(t, r.ID, texts[i].ID)
		assert.NotEmpty(t, texts[i].Title)
		assert.NotEmpty(t, texts[i].TitleZh)
		assert.NotEmpty(t, texts[i].Help)
		assert.NotEmpty(t, texts[i].HelpZh)
		assert.NotEmpty(t, texts[i].Fix, r.ID)
		assert.NotEmpty(t, texts[i].FixZh, r.ID)
		assert.Contains(t, []string{SideBuild, SidePolicy}, texts[i].Side, r.ID)
		assert.Contains(t, []string{"very-high", "high", "medium", "low"}, texts[i].Precision, r.ID)
	}
	assert.Equal(t, "no-such-rule", LookupRuleText("no-such-rule").Title)
}

func TestMarkdownSummary(t *testing.T) {
	got := string(render(t, markdownRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "en")))
	assert.Contains(t, got, "**Summary:** 🔴 1 high · 🟠 2 medium · 🔵 1 low · ⚪ 1 info (1 waived); fails --fail-on high")
	main, info, _ := strings.Cut(got, "<details><summary>⚪ Info findings (1)</summary>")
	assert.Equal(t, 2+5, strings.Count(main, "\n| "), "header, separator and the 5 findings above info")
	info, _, _ = strings.Cut(info, "</details>")
	assert.Equal(t, 2+1, strings.Count(info, "\n| "), "the info finding, folded")
	assert.Contains(t, main, "| 🟠 medium | undisclosed-sdk-data | `umeng-analytics` |", "severity marks, subjects as code")
	assert.Contains(t, main, "| `sdk-list.md:5` |", "policy lines as file:line")
	zh := string(render(t, markdownRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "zh")))
	assert.Contains(t, zh, "| 严重程度 | 规则 | 对象 | 说明 | 隐私政策中 |")
	assert.Contains(t, zh, "构建中嵌入了极光推送SDK，但隐私政策未披露")
}

// TestTableFitsWidth: at every terminal width the table format stays within
// it (measured by go-runewidth, an oracle independent of the layout code),
// and its findings come before the inventory.
func TestTableFitsWidth(t *testing.T) {
	for _, w := range []int{60, 80, 100, 132} {
		for _, lang := range []string{"en", "zh"} {
			for _, cmd := range []Command{CommandInspect, CommandPolicy, CommandCheck} {
				o := demoOptions(cmd, lang)
				o.Width = w
				out := string(render(t, tableRenderer{}, []*audit.Result{demoCheck()}, o))
				for _, line := range strings.Split(out, "\n") {
					assert.LessOrEqual(t, displayWidth(line), w, "%d %s %s: %q", w, lang, cmd, line)
				}
				if cmd != CommandPolicy {
					summary, findings, app := strings.Index(out, o.t("summary")+":"), strings.Index(out, o.t("findings")+"\n"), strings.Index(out, "\n"+o.t("app")+"\n")
					assert.True(t, summary >= 0 && summary < findings && findings < app, "%s %s: verdict, findings, then the app", lang, cmd)
				}
			}
		}
	}
}

// TestTableColor: with Color the severities and the verdict are coloured
// and nothing else is; without it there is no escape at all.
func TestTableColor(t *testing.T) {
	o := demoOptions(CommandCheck, "en")
	plain := string(render(t, tableRenderer{}, []*audit.Result{demoCheck()}, o))
	assert.NotContains(t, plain, "\x1b")
	o.Color = true
	colored := string(render(t, tableRenderer{}, []*audit.Result{demoCheck()}, o))
	assert.Contains(t, colored, sgrHigh+"high"+sgrReset)
	assert.Contains(t, colored, sgrMedium+"medium"+sgrReset)
	assert.Contains(t, colored, sgrLow+"low"+sgrReset)
	assert.Contains(t, colored, sgrInfo+"high (waived)"+sgrReset, "a waived finding is faint")
	assert.Contains(t, colored, sgrFail+"Summary: 1 high, 2 medium")
	stripped := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(colored, "")
	assert.Equal(t, plain, stripped, "colour changes no column")
}

func TestWrapText(t *testing.T) {
	tests := []struct {
		in   string
		w    int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"the quick brown fox", 10, []string{"the quick", "brown fox"}},
		{"android.permission.READ_PHONE_STATE", 16, []string{"android.", "permission.READ_", "PHONE_STATE"}},
		{"undisclosed-permission", 20, []string{"undisclosed-", "permission"}},
		{"abcdefghijklmnopqrstuvwxyz", 10, []string{"abcdefghij", "klmnopqrst", "uvwxyz"}},
		{"隐私政策中友盟统计的条目", 10, []string{"隐私政策中", "友盟统计的", "条目"}},
		{"a\nb c", 3, []string{"a", "b c"}},
		{"中", 1, []string{"中"}},
	}
	for _, tt := range tests {
		got := wrapText(tt.in, tt.w)
		assert.Equal(t, tt.want, got, "%q at %d", tt.in, tt.w)
	}
	assert.Equal(t, []int{3, 10, 20}, fitColumns([]int{3, 10, 20}, 100), "what fits keeps its width")
	assert.Equal(t, []int{3, 17, 17}, fitColumns([]int{3, 40, 40}, 47), "the rest is shared")
}

func TestForPath(t *testing.T) {
	for path, want := range map[string]string{
		"apkaudit.sarif": "sarif", "out/a.SARIF.json": "sarif", "report.html": "html", "r.HTM": "html",
		"comment.md": "markdown", "junit.xml": "junit", "results.jsonl": "jsonl", "x.ndjson": "jsonl",
		"inventory.json": "json", "report.txt": "table",
	} {
		r, ok := ForPath(path)
		require.True(t, ok, path)
		assert.Equal(t, want, r.Name(), path)
	}
	_, ok := ForPath("report.pdf")
	assert.False(t, ok)
	seen := map[string]string{}
	for _, r := range Renderers() {
		for _, ext := range r.Extensions() {
			assert.Equal(t, strings.ToLower(ext), ext)
			assert.Empty(t, seen[ext], "%s claimed by %s and %s", ext, seen[ext], r.Name())
			seen[ext] = r.Name()
		}
	}
}

// TestMarkdownBudget: past MaxBytes the lowest severities go first, as few
// as needed, and a note says how many; the result is within the budget and
// still valid UTF-8.
func TestMarkdownBudget(t *testing.T) {
	res := demoCheck()
	for i := range 300 { // a build with many info findings
		res.Findings = append(res.Findings, audit.Finding{Rule: audit.RuleUndisclosedPermissionNormal, Severity: audit.Info,
			Subject: fmt.Sprintf("com.example.permission.P%03d", i), Message: "permission is declared and not mentioned in the policy",
			MessageZh: "隐私政策中未提及该权限", Evidence: audit.Evidence{Artifact: []string{"AndroidManifest.xml"}}})
	}
	o := demoOptions(CommandCheck, "en")
	full := render(t, markdownRenderer{}, []*audit.Result{res}, o)
	require.Greater(t, len(full), 60000)
	for _, budget := range []int{60000, 20000, 5000} {
		o.MaxBytes = budget
		got := string(render(t, markdownRenderer{}, []*audit.Result{res}, o))
		assert.LessOrEqual(t, len(got), budget, "budget %d", budget)
		assert.True(t, utf8.ValidString(got))
		assert.Contains(t, got, "lowest severities are left out to keep this comment under", budget)
		assert.Contains(t, got, "`jpush`", "the high finding stays (budget %d)", budget)
		m := regexp.MustCompile(`> (\d+) findings of the lowest`).FindStringSubmatch(got)
		require.NotNil(t, m, budget)
		n, _ := strconv.Atoi(m[1])
		assert.Equal(t, 300+1-strings.Count(got, "| ⚪ info |"), n, "the note counts what is missing (budget %d)", budget)
		// As few as needed: one finding fewer left out would not fit.
		if n > 1 {
			assert.Less(t, budget-len(got), 400, "budget %d: not much room left unused", budget)
		}
	}
	o.MaxBytes = 600
	got := string(render(t, markdownRenderer{}, []*audit.Result{res}, o))
	assert.LessOrEqual(t, len(got), 600)
	assert.Contains(t, got, "The rest is left out to keep this comment under 600 bytes")
	o.MaxBytes = 0
	assert.Equal(t, string(full), string(render(t, markdownRenderer{}, []*audit.Result{res}, o)), "0 is no limit")
}
