package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

func TestHTMLSelfContained(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		got := string(render(t, htmlRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, lang)))
		for _, external := range []string{"<link", "src=\"http", "src='http", "@import", "url(http"} {
			assert.NotContains(t, got, external, lang)
		}
		assert.Contains(t, got, "<style>")
		assert.Contains(t, got, "<script>")
		assert.Contains(t, got, `data-filter="high"`)
	}
	zh := string(render(t, htmlRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "zh")))
	assert.Contains(t, zh, `<html lang="zh-CN">`)
	assert.Contains(t, zh, "构建中嵌入了极光推送SDK，但隐私政策未披露")
	assert.Contains(t, zh, "JPush (极光推送) is embedded", "the other language is shown too")
}

// chromium runs headless Chromium with a throwaway profile.
func chromium(t *testing.T, args ...string) []byte {
	t.Helper()
	const bin = "/usr/bin/chromium"
	if _, err := os.Stat(bin); err != nil {
		t.Skip("skipping browser test: /usr/bin/chromium is absent (apt-get install -y chromium)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	require.NoError(t, err, "chromium %v", args)
	return out
}

// TestHTMLInBrowser loads the report in a real browser: the DOM must hold the
// Chinese finding messages, and a screenshot must show a real page.
func TestHTMLInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping browser test in -short mode")
	}
	if _, err := os.Stat("/usr/bin/chromium"); err != nil {
		t.Skip("skipping browser test: /usr/bin/chromium is absent (apt-get install -y chromium)")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	res := demoCheck()
	o := demoOptions(CommandCheck, "zh")
	o.NoTimestamp, o.Now = false, mustTime(t, "2026-03-04T05:06:07Z")
	require.NoError(t, os.WriteFile(page, render(t, htmlRenderer{}, []*audit.Result{res}, o), 0o644))

	dom := string(chromium(t, "--dump-dom", "file://"+page))
	for _, f := range res.Findings {
		assert.Contains(t, dom, f.MessageZh)
	}
	assert.Contains(t, dom, "访问精准定位")
	assert.NotContains(t, dom, "<img", "hostile policy text stays text")
	assert.Contains(t, dom, `title="生成于 2026-03-04 13:06:07 (UTC+08:00)"`, "the script showed the time in the browser's zone, keeping Beijing time as the title")

	shot := filepath.Join(dir, "out.png")
	chromium(t, "--screenshot="+shot, "--window-size=1280,2000", "file://"+page)
	b, err := os.ReadFile(shot)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "\x89PNG\r\n\x1a\n"), "a PNG")
	assert.Greater(t, len(b), 10*1024)
	if dst := os.Getenv("APKAUDIT_SCREENSHOT"); dst != "" {
		require.NoError(t, os.WriteFile(dst, b, 0o644))
	}
}

// TestHTMLHeaderFixFirstTime: the header names the app, not the file; the
// fix-first list has one line per unwaived high finding saying what to
// change; times are in Beijing time for zh and UTC otherwise; the page has a
// print stylesheet.
func TestHTMLHeaderFixFirstTime(t *testing.T) {
	o := demoOptions(CommandCheck, "zh")
	o.NoTimestamp, o.Now = false, mustTime(t, "2026-03-04T23:06:07Z")
	zh := string(render(t, htmlRenderer{}, []*audit.Result{demoCheck()}, o))
	assert.Contains(t, zh, "<h1>示例商城 · com.example.shop · 3.2.1 (321)</h1>")
	assert.Contains(t, zh, `<time datetime="2026-03-04T23:06:07Z" data-prefix="生成于">生成于 2026-03-05 07:06:07 (UTC&#43;08:00)</time>`, "html/template writes + as &#43;")
	fix := zh[strings.Index(zh, `<div class="card fixfirst">`):]
	fix = fix[:strings.Index(fix, "</div>\n")]
	assert.Equal(t, 1, strings.Count(fix, "<li>"), "one unwaived high finding (the other is waived)")
	assert.Contains(t, fix, "<code>jpush</code>")
	assert.Contains(t, fix, "在SDK清单中增加 jpush 一行")
	assert.Contains(t, zh, "@media print{")

	o.Lang = "en"
	en := string(render(t, htmlRenderer{}, []*audit.Result{demoCheck()}, o))
	assert.Contains(t, en, ">Generated 2026-03-04 23:06:07 (UTC)</time>")
	assert.Contains(t, en, "Add a row for jpush to the SDK list")
	assert.NotContains(t, en, "<h1>apkaudit report", "the header names the app")

	r := demoCheck()
	for i := range r.Findings {
		r.Findings[i].Waived = true
	}
	assert.NotContains(t, string(render(t, htmlRenderer{}, []*audit.Result{r}, o)), `class="card fixfirst"`, "nothing to fix first")
}
