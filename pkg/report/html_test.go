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
	require.NoError(t, os.WriteFile(page, render(t, htmlRenderer{}, []*audit.Result{res}, demoOptions(CommandCheck, "zh")), 0o644))

	dom := string(chromium(t, "--dump-dom", "file://"+page))
	for _, f := range res.Findings {
		assert.Contains(t, dom, f.MessageZh)
	}
	assert.Contains(t, dom, "访问精准定位")
	assert.NotContains(t, dom, "<img", "hostile policy text stays text")

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
