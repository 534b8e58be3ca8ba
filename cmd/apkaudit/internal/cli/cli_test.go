package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
)

func demo(t testing.TB, name string) string { return testenv.RepoRoot(t, "testdata", "demo", name) }

// run executes the CLI in-process and returns exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	if code == ExitError {
		lines := strings.Split(strings.TrimRight(errb.String(), "\n"), "\n")
		assert.Len(t, lines, 1, "exit 2 prints exactly one stderr line: %q", errb.String())
		assert.NotContains(t, errb.String(), "goroutine")
	}
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.apk")
	require.NoError(t, os.WriteFile(text, []byte("just some text, not an APK\n"), 0o644))
	empty := filepath.Join(dir, "empty.apk")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	trunc := filepath.Join(dir, "truncated.apk")
	data, err := os.ReadFile(demo(t, "demo.apk"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(trunc, data[:len(data)/2], 0o644))
	policy := demo(t, "privacy-policy.html")
	tests := []struct {
		name   string
		args   []string
		exit   int
		stderr string // substring of the one stderr line on exit 2
	}{
		{"inspect demo", []string{"inspect", demo(t, "demo.apk")}, 0, ""},
		{"inspect json", []string{"inspect", "--format", "json", demo(t, "demo.apk")}, 0, ""},
		{"check demo fails on high", []string{"check", demo(t, "demo.apk"), "--policy", policy}, 1, ""},
		{"check demo --fail-on none", []string{"check", demo(t, "demo.apk"), "--policy", policy, "--fail-on", "none"}, 0, ""},
		{"policy demo", []string{"policy", policy}, 0, ""},
		{"not an artifact", []string{"inspect", text}, 2, "notes.apk: not an APK"},
		{"empty", []string{"inspect", empty}, 2, "empty.apk: file is empty"},
		{"truncated", []string{"inspect", trunc}, 2, "truncated.apk: container:"},
		{"missing", []string{"inspect", filepath.Join(dir, "nope.apk")}, 2, "nope.apk: no such file"},
		{"directory", []string{"inspect", dir}, 2, "is a directory"},
		{"check without policy", []string{"check", demo(t, "demo.apk")}, 2, "no policy document"},
		{"unknown format", []string{"inspect", "--format", "yaml", demo(t, "demo.apk")}, 2, "unknown format"},
		{"bad fail-on", []string{"check", demo(t, "demo.apk"), "--policy", policy, "--fail-on", "severe"}, 2, "--fail-on"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"bad lang", []string{"inspect", "--lang", "fr", demo(t, "demo.apk")}, 2, "--lang"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			assert.Equal(t, tt.exit, code, stderr)
			if tt.exit == 2 {
				assert.Contains(t, stderr, tt.stderr)
			}
		})
	}
}

// TestEveryFormat renders the demo check in every format, in both languages.
func TestEveryFormat(t *testing.T) {
	for _, format := range []string{"table", "json", "jsonl", "sarif", "junit", "markdown", "html"} {
		for _, lang := range []string{"en", "zh"} {
			code, out, stderr := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"),
				"--format", format, "--lang", lang, "--no-timestamp")
			assert.Equal(t, 1, code, "%s %s: %s", format, lang, stderr)
			assert.Contains(t, out, "pangle-ads", "%s %s", format, lang)
		}
	}
	_, zh, _ := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--lang", "zh")
	assert.Regexp(t, `汇总: 高 \d+，中 \d+，低 \d+，提示 \d+`, zh)
	_, zh, _ = run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--lang", "zh", "--format", "markdown")
	assert.Contains(t, zh, "隐私政策的第三方SDK清单未列出")
}

// TestCheckJSONContract checks the check object's fields against DESIGN.md.
func TestCheckJSONContract(t *testing.T) {
	_, out, _ := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--format", "json")
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	for _, k := range []string{"schema_version", "tool", "artifact", "app", "permissions", "sdks", "components",
		"native_libs", "code", "warnings", "policy", "findings", "summary"} {
		assert.Contains(t, doc, k)
	}
	assert.EqualValues(t, 1, doc["schema_version"])
	summary := doc["summary"].(map[string]any)
	for _, k := range []string{"high", "medium", "low", "info"} {
		assert.Contains(t, summary, k)
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"rule", "severity", "subject", "message", "message_zh", "evidence", "reference"} {
		assert.Contains(t, f, k)
	}
	ev := f["evidence"].(map[string]any)
	assert.Contains(t, ev, "artifact")
	assert.Contains(t, ev, "policy")
}

func writeConfig(t *testing.T, body string) string {
	p := filepath.Join(t.TempDir(), "apkaudit.yaml")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

// highSubjects returns the rule+subject of every unwaived high finding of the demo check.
func highSubjects(t *testing.T, args ...string) (int, []string, map[string]any) {
	code, out, stderr := run(t, append([]string{"check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--format", "json", "--quiet"}, args...)...)
	require.NotEqual(t, 2, code, stderr)
	var doc struct {
		Findings []map[string]any `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	var subjects []string
	waived := map[string]any{}
	for _, f := range doc.Findings {
		key := f["rule"].(string) + " " + f["subject"].(string)
		if f["waived"] == true {
			waived[key] = f["waiver_reason"]
			continue
		}
		if f["severity"] == "high" {
			subjects = append(subjects, key)
		}
	}
	sort.Strings(subjects)
	return code, subjects, waived
}

func TestWaivers(t *testing.T) {
	_, base, _ := highSubjects(t)
	require.NotEmpty(t, base)
	var waivers strings.Builder
	waivers.WriteString("waivers:\n")
	for _, s := range base {
		rule, subject, _ := strings.Cut(s, " ")
		waivers.WriteString("  - {rule: " + rule + ", subject: " + subject + ", reason: reviewed by legal, expires: 2999-01-01, owner: compliance@example.cn}\n")
	}
	// Every high finding waived: exit 0, findings kept and marked waived with the reason.
	code, high, waived := highSubjects(t, "--config", writeConfig(t, waivers.String()))
	assert.Equal(t, 0, code)
	assert.Empty(t, high)
	assert.Len(t, waived, len(base))
	for _, reason := range waived {
		assert.Equal(t, "reviewed by legal (compliance@example.cn)", reason)
	}
	// One waiver expired: that finding counts again and the exit code follows.
	rule, subject, _ := strings.Cut(base[0], " ")
	expired := strings.Replace(waivers.String(), "subject: "+subject+", reason: reviewed by legal, expires: 2999-01-01",
		"subject: "+subject+", reason: reviewed by legal, expires: 2020-01-01", 1)
	code, high, _ = highSubjects(t, "--config", writeConfig(t, expired))
	assert.Equal(t, 1, code)
	assert.Equal(t, []string{rule + " " + subject}, high)
	// A waiver that matches nothing: reported; --strict-waivers fails on it.
	unused := waivers.String() + "  - {rule: undisclosed-sdk, subject: no-such-sdk, reason: stale}\n"
	code, _, _ = highSubjects(t, "--config", writeConfig(t, unused))
	assert.Equal(t, 0, code)
	code, _, _ = highSubjects(t, "--config", writeConfig(t, unused), "--strict-waivers")
	assert.Equal(t, 1, code)
	// A config with an unknown rule is a usage error.
	c, _, stderr := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--config",
		writeConfig(t, "waivers:\n  - {rule: no-such-rule, subject: x, reason: y}\n"))
	assert.Equal(t, 2, c)
	assert.Contains(t, stderr, "unknown rule")
}

func TestBaseline(t *testing.T) {
	base := filepath.Join(t.TempDir(), "baseline.json")
	code, _, _ := run(t, "check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--write-baseline", base, "--format", "json")
	assert.Equal(t, 0, code, "writing a baseline succeeds")
	code, high, waived := highSubjects(t, "--baseline", base)
	assert.Equal(t, 0, code, "every known finding is in the baseline")
	assert.Empty(t, high)
	assert.NotEmpty(t, waived)
}

func TestSeverityOverride(t *testing.T) {
	cfg := writeConfig(t, "severity:\n  undisclosed-sdk: low\n  undisclosed-permission: low\n  incomplete-sdk-disclosure: low\n  undisclosed-sdk-data: low\nfail-on: medium\n")
	code, high, _ := highSubjects(t, "--config", cfg)
	assert.Equal(t, 0, code)
	assert.Empty(t, high)
}

// TestUserCatalogue: an in-house SDK added with --sdkdb is detected and matched by a policy row.
func TestUserCatalogue(t *testing.T) {
	dir := t.TempDir()
	cat := filepath.Join(dir, "inhouse.yaml")
	require.NoError(t, os.WriteFile(cat, []byte(`- id: example-jizhang-ui
  name: Jizhang UI kit
  name_zh: 记账界面组件
  aliases: [记账界面组件SDK]
  vendor: 小鹿科技有限公司
  category: platform
  signals:
    dex_packages: [cn.example.jizhang.wxapi]
`), 0o644))
	pol := filepath.Join(dir, "policy.md")
	require.NoError(t, os.WriteFile(pol, []byte("# 第三方SDK\n\n| SDK名称 | 公司名称 | 使用目的 | 收集个人信息 | 隐私政策链接 |\n|---|---|---|---|---|\n| 记账界面组件SDK | 小鹿科技有限公司 | 界面 | 无 | https://example.cn/privacy |\n"), 0o644))
	code, out, stderr := run(t, "inspect", demo(t, "demo.apk"), "--sdkdb", cat, "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, `"id": "example-jizhang-ui"`)
	_, out, _ = run(t, "policy", pol, "--sdkdb", cat, "--format", "json")
	assert.Contains(t, out, `"id": "example-jizhang-ui"`)
	_, out, _ = run(t, "check", demo(t, "demo.apk"), "--policy", pol, "--sdkdb", cat, "--format", "json")
	assert.NotContains(t, out, `"subject": "example-jizhang-ui"`, "the row discloses it")
	// A broken user catalogue is a usage error with file and line.
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("- id: x\n  nmae: typo\n"), 0o644))
	code, _, stderr = run(t, "inspect", demo(t, "demo.apk"), "--sdkdb", bad)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "bad.yaml:2")
}

var designIDs = strings.Fields(`umeng-analytics umeng-push umeng-share wechat-opensdk qq-connect tencent-x5
	tencent-trtc tencent-im tencent-liteav tencent-beacon tencent-cos tencent-iot-explorer tencent-teduboard
	tencent-bugly tencent-gdt hms-core hms-scankit hms-push shanyan sensors-analytics jpush getui-push xiaomi-push
	oppo-push vivo-push meizu-push honor-push alipay amap-location amap-map baidu-map baidu-mobstat pangle-ads
	kuaishou-ads weibo-sdk firebase-analytics firebase-crashlytics google-admob facebook-sdk`)

func TestSDKDBCommands(t *testing.T) {
	code, out, _ := run(t, "sdkdb", "list", "--format", "json")
	require.Equal(t, 0, code)
	var rows []struct {
		ID     string `json:"id"`
		Vendor string `json:"vendor"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rows))
	assert.GreaterOrEqual(t, len(rows), 300)
	ids := map[string]bool{}
	for _, r := range rows {
		ids[r.ID] = true
	}
	for _, id := range designIDs {
		assert.True(t, ids[id], "DESIGN.md id %s missing", id)
	}
	code, out, _ = run(t, "sdkdb", "show", "shanyan")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "上海璟梦")
	code, _, stderr := run(t, "sdkdb", "show", "no-such-sdk")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "no-such-sdk")
	code, out, _ = run(t, "sdkdb", "validate", "--embedded")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "ok (")
	// Two entries with one id: an error, named with file and line.
	dup := filepath.Join(t.TempDir(), "dup.yaml")
	require.NoError(t, os.WriteFile(dup, []byte(`- {id: my-sdk, name: A, name_zh: A, vendor: V, category: analytics, signals: {dex_packages: [com.example.a]}}
- {id: my-sdk, name: B, name_zh: B, vendor: V, category: analytics, signals: {dex_packages: [com.example.b]}}
`), 0o644))
	code, _, stderr = run(t, "sdkdb", "validate", dup)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "dup.yaml")
}

// TestPackedApp: a build whose DEX holds only a packer stub and whose lib/ holds 360 jiagu
// yields the packer and a high unanalysed-code finding; check never reports it clean.
func TestPackedApp(t *testing.T) {
	packed := testenv.Fixture(t, "packed.apk")
	code, out, stderr := run(t, "check", packed, "--policy", demo(t, "privacy-policy.html"), "--format", "json")
	assert.Equal(t, 1, code, stderr)
	var doc struct {
		SDKs     []struct{ ID, Category string }            `json:"sdks"`
		Findings []struct{ Rule, Severity, Subject string } `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	var packers []string
	for _, s := range doc.SDKs {
		if s.Category == "packer" {
			packers = append(packers, s.ID)
		}
	}
	require.Len(t, packers, 1)
	found := false
	for _, f := range doc.Findings {
		if f.Rule == "unanalysed-code" && f.Subject == packers[0] {
			found = f.Severity == "high"
		}
	}
	assert.True(t, found, "high unanalysed-code finding for %s", packers[0])
}

func TestBatchShards(t *testing.T) {
	dirs := []string{filepath.Dir(testenv.Fixture(t, "miitee.apk")), testenv.RepoRoot(t, "testdata", "demo")}
	all := map[string]int{}
	for i := 0; i < 3; i++ {
		code, out, stderr := run(t, append([]string{"batch", "--shard", []string{"0/3", "1/3", "2/3"}[i], "--quiet", "--jobs", "2"}, dirs...)...)
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 64<<20)
		want := 0 // without a policy only packed.apk fails: its unanalysed-code finding is high
		for sc.Scan() {
			var line struct {
				Artifact struct{ Path string } `json:"artifact"`
				Findings []struct{ Rule, Severity string }
			}
			require.NoError(t, json.Unmarshal(sc.Bytes(), &line))
			all[line.Artifact.Path]++
			if filepath.Base(line.Artifact.Path) == "packed.apk" {
				want = 1
				require.Len(t, line.Findings, 1, "the line shows the finding that decides the exit code")
				assert.Equal(t, "unanalysed-code", line.Findings[0].Rule)
			}
		}
		assert.Equal(t, want, code, stderr)
	}
	assert.Len(t, all, 4, "miitee, miitee-v2, packed, demo")
	for p, n := range all {
		assert.Equal(t, 1, n, "%s in exactly one shard", p)
	}
	code, _, stderr := run(t, "batch", "--shard", "3/3", dirs[0])
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--shard")
}

func TestBatchSkipDoneAndErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.apk"), []byte("PK\x03\x04 not really"), 0o644))
	data, err := os.ReadFile(demo(t, "demo.apk"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "good.apk"), data, 0o644))
	out := filepath.Join(dir, "results.jsonl")
	code, _, stderr := run(t, "batch", dir, "--output", out, "--quiet")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "1 unreadable")
	lines := readLines(t, out)
	require.Len(t, lines, 2)
	joined := strings.Join(lines, "\n")
	assert.Contains(t, joined, `"error":`)
	assert.Contains(t, joined, `"package":"cn.example.jizhang"`)
	// Resume: nothing new to do, nothing appended.
	run(t, "batch", dir, "--output", out, "--skip-done", out, "--quiet")
	assert.Len(t, readLines(t, out), 2)
}

func readLines(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

func TestDiffCommand(t *testing.T) {
	seed := testenv.Shared(t, "seeds", "002_8cf391e277f1a318.txt")
	apks := filepath.Dir(testenv.Fixture(t, "miitee.apk"))
	code, out, stderr := run(t, "diff", filepath.Join(apks, "miitee.apk"), filepath.Join(apks, "miitee-v2.apk"), "--policy", seed, "--format", "json")
	assert.Equal(t, 1, code, stderr)
	var doc struct {
		Added []struct {
			Name        string `json:"name"`
			Undisclosed *bool  `json:"undisclosed"`
		} `json:"added_permissions"`
		AddedSDKs []struct{ ID string } `json:"added_sdks"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Added, 1)
	assert.Equal(t, "android.permission.READ_PHONE_NUMBERS", doc.Added[0].Name)
	assert.True(t, *doc.Added[0].Undisclosed)
	require.Len(t, doc.AddedSDKs, 1)
	assert.Equal(t, "xiaomi-push", doc.AddedSDKs[0].ID)
	for _, format := range []string{"table", "markdown"} {
		code, out, _ = run(t, "diff", filepath.Join(apks, "miitee.apk"), filepath.Join(apks, "miitee-v2.apk"), "--policy", seed, "--format", format)
		assert.Equal(t, 1, code)
		out = strings.ReplaceAll(out, `\_`, "_") // markdown escapes underscores
		assert.Contains(t, out, "READ_PHONE_NUMBERS")
		assert.Contains(t, out, "xiaomi-push")
	}
	code, _, _ = run(t, "diff", filepath.Join(apks, "miitee.apk"), filepath.Join(apks, "miitee.apk"))
	assert.Equal(t, 0, code)
}

func TestVersionAndCompletion(t *testing.T) {
	code, out, _ := run(t, "--version")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "apkaudit "+toolVersion()+"\n")
	assert.Contains(t, out, "catalogue: ")
	code, out, _ = run(t, "completion", "bash")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "apkaudit")
}

func TestNoTimestampIsDeterministic(t *testing.T) {
	for _, format := range []string{"sarif", "junit", "html", "json"} {
		args := []string{"check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--format", format, "--no-timestamp"}
		_, a, _ := run(t, args...)
		time.Sleep(1100 * time.Millisecond / 4)
		_, b, _ := run(t, args...)
		assert.Equal(t, a, b, format)
	}
}

// TestBatchWithPolicy: batch --policy reads the policy once and writes a check
// object per artifact (findings against it); an unreadable policy stops the
// batch with one line and exit 2 before any artifact is read.
func TestBatchWithPolicy(t *testing.T) {
	fixtures := filepath.Dir(testenv.Fixture(t, "miitee.apk"))
	policyFile := demo(t, "privacy-policy.html")
	code, out, stderr := run(t, "batch", "--quiet", "--jobs", "2", "--policy", policyFile, fixtures)
	require.Equal(t, 1, code, "every fixture embeds SDKs the demo policy does not list: %s", stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, "miitee, miitee-v2, packed")
	for _, l := range lines {
		var doc struct {
			Command  string `json:"command"`
			Findings []struct {
				Rule string `json:"rule"`
			} `json:"findings"`
		}
		require.NoError(t, json.Unmarshal([]byte(l), &doc), l)
		assert.NotEmpty(t, doc.Findings, "checked against the policy")
	}
	// The same findings as check gives for one of them.
	_, one, _ := run(t, "check", "--format", "json", "--no-timestamp", filepath.Join(fixtures, "miitee.apk"), "--policy", policyFile)
	var single struct {
		Findings []json.RawMessage `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(one), &single))
	found := false
	for _, l := range lines {
		if strings.Contains(l, `miitee.apk"`) {
			var doc struct {
				Findings []json.RawMessage `json:"findings"`
			}
			require.NoError(t, json.Unmarshal([]byte(l), &doc))
			assert.Len(t, doc.Findings, len(single.Findings))
			found = true
		}
	}
	assert.True(t, found)

	code, out, stderr = run(t, "batch", "--quiet", "--policy", filepath.Join(t.TempDir(), "missing.html"), fixtures)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, "missing.html")
	assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, stderr)
}

// TestInspectExplainsItsExitCode: inspect exits 1 on a packed build, and every
// format shows the high unanalysed-code finding that decides it; a waiver for
// it is applied as check would apply it, and then inspect exits 0.
func TestInspectExplainsItsExitCode(t *testing.T) {
	packed := testenv.Fixture(t, "packed.apk")
	for _, format := range []string{"table", "json", "markdown", "html", "sarif", "junit"} {
		code, out, stderr := run(t, "inspect", packed, "--format", format, "--no-timestamp")
		assert.Equal(t, 1, code, "%s: %s", format, stderr)
		assert.Contains(t, out, "unanalysed-code", format)
		assert.Contains(t, out, "qihoo-jiagu", format)
	}
	_, out, _ := run(t, "inspect", packed)
	assert.Contains(t, out, "fails --fail-on high", "the verdict is printed")
	cfg := writeConfig(t, "waivers:\n  - {rule: unanalysed-code, subject: qihoo-jiagu, reason: packed on purpose; the unpacked build is checked}\n")
	code, out, stderr := run(t, "inspect", packed, "--format", "json", "--config", cfg)
	assert.Equal(t, 0, code, stderr)
	var doc struct {
		Findings []struct {
			Rule         string `json:"rule"`
			Waived       bool   `json:"waived"`
			WaiverReason string `json:"waiver_reason"`
		} `json:"findings"`
		Notes []string `json:"notes"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.Len(t, doc.Findings, 1)
	assert.True(t, doc.Findings[0].Waived)
	assert.Equal(t, "packed on purpose; the unpacked build is checked", doc.Findings[0].WaiverReason)
	assert.Empty(t, doc.Notes)
}

// TestWaiverNotesAlike: the same config gives the same notes about its
// waivers (one expired, one unused) from check, from batch --policy and from
// diff, in the JSON and, for check, on stderr; inspect calls no waiver of a
// policy rule unused.
func TestWaiverNotesAlike(t *testing.T) {
	apk, policyFile := testenv.Fixture(t, "miitee.apk"), demo(t, "privacy-policy.html")
	cfg := writeConfig(t, `waivers:
  - {rule: undisclosed-sdk, subject: getui-push, reason: reviewed, expires: 2020-01-01}
  - {rule: undisclosed-sdk, subject: no-such-sdk, reason: stale}
`)
	want := []string{
		"waiver for undisclosed-sdk getui-push expired on 2020-01-01: it no longer suppresses the finding",
		"waiver for undisclosed-sdk no-such-sdk matches no finding",
	}
	notes := func(t *testing.T, line string) []string {
		var doc struct {
			Notes []string `json:"notes"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &doc), line)
		return doc.Notes
	}
	code, out, stderr := run(t, "check", apk, "--policy", policyFile, "--config", cfg, "--format", "json")
	assert.Equal(t, 1, code)
	assert.Equal(t, want, notes(t, out))
	for _, n := range want {
		assert.Contains(t, stderr, "apkaudit: "+n)
	}
	dir := t.TempDir()
	data, err := os.ReadFile(apk)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "miitee.apk"), data, 0o644))
	code, out, _ = run(t, "batch", dir, "--policy", policyFile, "--config", cfg, "--quiet")
	assert.Equal(t, 1, code)
	assert.Equal(t, want, notes(t, strings.TrimSpace(out)), "batch --policy reviews its results as check does")
	code, out, _ = run(t, "diff", apk, testenv.Fixture(t, "miitee-v2.apk"), "--policy", policyFile, "--config", cfg, "--format", "json")
	assert.Equal(t, 1, code)
	assert.Equal(t, want, notes(t, out), "diff reviews the new build as check does")
	_, out, _ = run(t, "inspect", apk, "--config", cfg, "--format", "json")
	assert.Empty(t, notes(t, out), "without a policy the policy rules did not run")
}

// TestFormatsCheckedFirst: a --format that cannot show a command's output is
// a usage error before any input is read (the inputs here do not exist).
func TestFormatsCheckedFirst(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.apk")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sdkdb", "list", "--format", "sarif"}, "--format sarif cannot show sdkdb output (want table or json)"},
		{[]string{"sdkdb", "show", "jpush", "--format", "markdown"}, "--format markdown cannot show sdkdb output"},
		{[]string{"sdkdb", "validate", "--embedded", "--format", "html"}, "--format html cannot show sdkdb output"},
		{[]string{"batch", missing, "--format", "html"}, "--format html cannot show batch output (want jsonl)"},
		{[]string{"batch", missing, "--format", "json"}, "--format json cannot show batch output"},
		{[]string{"diff", missing, missing, "--format", "yaml"}, `unknown format "yaml"`},
		{[]string{"check", missing, "--policy", missing, "--format", "yaml"}, `unknown format "yaml"`},
	} {
		code, out, stderr := run(t, tt.args...)
		assert.Equal(t, 2, code, "%v", tt.args)
		assert.Contains(t, stderr, tt.want, "%v", tt.args)
		assert.Empty(t, out)
	}
}

// TestDiffFormats: diff renders through the same renderers as every other
// command, so each --format gives its own format, in any letter case.
func TestDiffFormats(t *testing.T) {
	old, new := testenv.Fixture(t, "miitee.apk"), testenv.Fixture(t, "miitee-v2.apk")
	policyFile := demo(t, "privacy-policy.html")
	checks := map[string]func(t *testing.T, out string){
		"MARKDOWN": func(t *testing.T, out string) { assert.True(t, strings.HasPrefix(out, "## "), out) },
		"sarif": func(t *testing.T, out string) {
			var log struct {
				Runs []struct {
					Results []struct{ RuleID string } `json:"results"`
				} `json:"runs"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &log))
			require.Len(t, log.Runs, 1)
			assert.NotEmpty(t, log.Runs[0].Results)
		},
		"junit": func(t *testing.T, out string) { assert.Contains(t, out, `<testcase name="sdk xiaomi-push"`) },
		"html":  func(t *testing.T, out string) { assert.Contains(t, out, "<!DOCTYPE html>") },
		"jsonl": func(t *testing.T, out string) { assert.Equal(t, 1, strings.Count(out, "\n")) },
	}
	for format, check := range checks {
		t.Run(format, func(t *testing.T) {
			code, out, stderr := run(t, "diff", old, new, "--policy", policyFile, "--format", format, "--no-timestamp")
			assert.Equal(t, 1, code, stderr)
			check(t, out)
		})
	}
}

// TestOutputDash: -o - is standard output, and no file named "-" appears.
func TestOutputDash(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, stderr := run(t, "inspect", demo(t, "demo.apk"), "--format", "json", "-o", "-")
	assert.Equal(t, 0, code, stderr)
	assert.True(t, json.Valid([]byte(out)))
	_, err := os.Stat(filepath.Join(dir, "-"))
	assert.True(t, os.IsNotExist(err), "no file named -")
	code, out, _ = run(t, "sdkdb", "show", "jpush", "-o", "-")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "id:")
}

// TestWriteErrors: a report that cannot be written is exit 2 naming why,
// never a silent success.
func TestWriteErrors(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	for _, args := range [][]string{
		{"inspect", demo(t, "demo.apk"), "-o", "/dev/full"},
		{"sdkdb", "list", "-o", "/dev/full"},
		{"batch", demo(t, "demo.apk"), "-o", "/dev/full"},
		{"check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html"), "--write-baseline", "/dev/full"},
	} {
		code, _, stderr := run(t, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, stderr, "no space left on device", "%v", args)
	}
	code, _, stderr := run(t, "inspect", demo(t, "demo.apk"), "-o", filepath.Join(t.TempDir(), "no", "such", "dir.json"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "no such file or directory")
}

// TestBatchByContent: in a directory batch reads what is an artifact by its
// content, whatever its name, and gives a file whose name claims an artifact a
// line saying why it cannot be read.
func TestBatchByContent(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(demo(t, "demo.apk"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "build-output.bin"), data, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "README.txt"), []byte("release notes\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.apk"), []byte("not an APK\n"), 0o644))
	code, out, stderr := run(t, "batch", dir, "--quiet")
	assert.Equal(t, 2, code, "one artifact is unreadable")
	assert.Contains(t, stderr, "2 artifacts: 1 passed, 0 with findings at or above high, 1 unreadable")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	assert.Contains(t, out, `"package":"cn.example.jizhang"`)
	assert.Contains(t, out, `"path":"`+filepath.Join(dir, "notes.apk")+`","error":"not an APK`)
	assert.NotContains(t, out, "README")
}
