package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestErrorsForPeople: the likely mistakes are named, in one line, exit 2,
// in English and under --lang zh in Chinese.
func TestErrorsForPeople(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "apkaudit.yaml")
	assert.NoError(t, os.WriteFile(typo, []byte("policies: [p.html]\nfail_on: medium\n"), 0o644))
	apk, pol := demo(t, "demo.apk"), demo(t, "privacy-policy.html")
	tests := []struct {
		name   string
		args   []string
		en, zh string
	}{
		{"an APK as the policy", []string{"check", apk, "--policy", apk},
			"demo.apk: this looks like an APK, not a policy document: did you mean it as the artifact?",
			"demo.apk：这看起来是 APK 文件，不是隐私政策文档：是否想把它作为被检查的构建？"},
		{"a policy as the artifact", []string{"check", pol, "--policy", pol},
			"privacy-policy.html: this looks like a policy document (html), not an Android build: policy documents are given with --policy",
			"privacy-policy.html：这看起来是隐私政策文档（html），不是 Android 构建：隐私政策文档请用 --policy 指定"},
		{"the policy as a second argument", []string{"check", apk, pol},
			"check takes one ARTIFACT, not 2: policy documents are given with --policy (apkaudit check " + apk + " --policy " + pol + ")",
			"check 只接受一个构建文件，而不是 2 个：隐私政策文档请用 --policy 指定"},
		{"a URL as the policy", []string{"check", apk, "--policy", "https://example.cn/privacy.html"},
			"https://example.cn/privacy.html: URLs are not fetched: save the page and pass the file",
			"https://example.cn/privacy.html：不会下载网址：请先把网页保存为文件，再传入该文件"},
		{"a URL as the artifact", []string{"inspect", "https://example.cn/app.apk"},
			"URLs are not fetched: save the page and pass the file", "不会下载网址"},
		{"a config key typo", []string{"inspect", apk, "--config", typo},
			`apkaudit.yaml: config: line 2: unknown key "fail_on" (did you mean "fail-on"?)`,
			`apkaudit.yaml：配置文件第 2 行：未知的键 "fail_on"（是否想写 "fail-on"？）`},
		{"a missing file", []string{"inspect", filepath.Join(dir, "nope.apk")}, "nope.apk: no such file or directory", "nope.apk：文件或目录不存在"},
		{"an unknown format", []string{"inspect", apk, "--format", "yaml"}, `unknown format "yaml"`, `未知的格式 "yaml"`},
		{"an unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`, `未知命令 "frobnicate"`},
		{"no policy", []string{"check", apk}, "no policy document given", "未指定隐私政策文档"},
		{"a bad --fail-on", []string{"inspect", apk, "--fail-on", "severe"}, `--fail-on "severe": want high, medium, low, info or none`, `--fail-on "severe"：只能是`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LC_ALL", "")
			t.Setenv("LANG", "C.UTF-8")
			code, _, stderr := run(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tt.en)
			assert.NotContains(t, stderr, "audit.Config", "no Go type names")
			code, _, stderr = run(t, append(tt.args, "--lang", "zh")...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tt.zh)
		})
	}
	// The environment's language words the errors too.
	t.Setenv("LC_ALL", "zh_CN.UTF-8")
	_, _, stderr := run(t, "inspect", filepath.Join(dir, "nope.apk"))
	assert.Contains(t, stderr, "文件或目录不存在")
}
