package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

// Every error apkaudit exits 2 with is one line on stderr, in the language
// of the run: errorText decides its wording, in one place. Errors the CLI
// makes itself carry both languages (usageError); the errors of the packages
// below are told apart by type (scan.MistakeError, scan.InputError,
// audit.KeyError, report.FormatError, the system's file errors) and worded
// here; a reader's own reason for a broken file stays as it is, after a
// Chinese lead.

// usageError is a command-line mistake, worded in English and Chinese.
type usageError struct{ en, zh string }

func (e *usageError) Error() string { return e.en }

// usagef makes a usageError; args fill both wordings.
func usagef(en, zh string, args ...any) error {
	return &usageError{fmt.Sprintf(en, args...), fmt.Sprintf(zh, args...)}
}

// errorText is the stderr line of err: in Chinese when zh.
func errorText(err error, zh bool) string {
	if !zh {
		return err.Error()
	}
	var ue *usageError
	var ie *scan.InputError
	var me *scan.MistakeError
	var ke *audit.KeyError
	var fe *report.FormatError
	switch {
	case errors.As(err, &ue):
		return ue.zh
	case errors.As(err, &ie):
		return ie.Path + "：" + reasonZh(ie.Err)
	case errors.As(err, &me):
		return mistakeZh(me)
	case errors.As(err, &ke):
		return keyZh(ke)
	case errors.As(err, &fe):
		return formatZh(fe)
	case errors.Is(err, scan.ErrNoPolicy):
		return "未指定隐私政策文档（请使用 --policy FILE，或在 .apkaudit.yaml 中设置 policies）"
	}
	msg := err.Error()
	for _, c := range cobraErrors {
		if m := c.re.FindStringSubmatch(msg); m != nil {
			return fmt.Sprintf(c.zh, toAny(m[1:])...)
		}
	}
	return "出错：" + msg
}

// reasonZh is why a file could not be read, in Chinese.
func reasonZh(err error) string {
	var me *scan.MistakeError
	var ke *audit.KeyError
	switch {
	case errors.As(err, &me):
		return mistakeZh(me)
	case errors.As(err, &ke):
		return keyZh(ke)
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOENT):
		return "文件或目录不存在"
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EACCES):
		return "没有读取权限"
	case errors.Is(err, syscall.EISDIR), err.Error() == "is a directory":
		return "这是一个目录，不是文件"
	case errors.Is(err, scan.ErrUnreadable):
		return "不是 APK、AAB、分包（bundle）、JAR/AAR、DEX 或 AndroidManifest.xml"
	}
	return "无法读取（" + err.Error() + "）"
}

func mistakeZh(e *scan.MistakeError) string {
	switch e.Mistake {
	case scan.ArtifactAsPolicy:
		return fmt.Sprintf("这看起来是 %s 文件，不是隐私政策文档：是否想把它作为被检查的构建？", strings.ToUpper(e.Kind))
	case scan.PolicyAsArtifact:
		return fmt.Sprintf("这看起来是隐私政策文档（%s），不是 Android 构建：隐私政策文档请用 --policy 指定", e.Kind)
	case scan.URLInput:
		return "不会下载网址：请先把网页保存为文件，再传入该文件"
	}
	return e.Error()
}

func keyZh(e *audit.KeyError) string {
	msg := fmt.Sprintf("配置文件第 %d 行：未知的键 %q", e.Line, e.Key)
	if e.Suggest != "" {
		msg += fmt.Sprintf("（是否想写 %q？）", e.Suggest)
	}
	return msg
}

func formatZh(e *report.FormatError) string {
	if e.Command == "" {
		return fmt.Sprintf("未知的格式 %q（可选：%s）", e.Name, strings.Join(e.Want, "、"))
	}
	return fmt.Sprintf("--format %s 无法输出 %s 的结果（可用：%s）", e.Name, e.Command, strings.Join(e.Want, "、"))
}

// cobraErrors are the flag and command errors of cobra and pflag, in Chinese.
var cobraErrors = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^unknown command "(.*)" for "(.*)"`), "未知命令 %q（%s --help 列出全部命令）"},
	{regexp.MustCompile(`^unknown flag: (.*)$`), "未知选项 %s（--help 列出全部选项）"},
	{regexp.MustCompile(`^unknown shorthand flag: '(.*)' in (.*)$`), "未知短选项 '%s'（%s）"},
	{regexp.MustCompile(`^flag needs an argument: (.*)$`), "选项 %s 需要一个值"},
	{regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: (.*)$`), "选项 %[2]s 的值 %[1]q 无效：%[3]s"},
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// oneArtifact is the Args of check: one artifact, and a word on --policy
// when more are given.
func oneArtifact(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		return usagef("check needs the ARTIFACT to check: apkaudit check APP.apk --policy POLICY",
			"check 需要指定要检查的构建文件：apkaudit check APP.apk --policy POLICY")
	case len(args) > 1:
		return usagef("check takes one ARTIFACT, not %d: policy documents are given with --policy (apkaudit check %s --policy %s)",
			"check 只接受一个构建文件，而不是 %d 个：隐私政策文档请用 --policy 指定（apkaudit check %s --policy %s）",
			len(args), args[0], strings.Join(args[1:], " --policy "))
	}
	return nil
}

// twoBuilds is the Args of diff: the old build and the new one.
func twoBuilds(cmd *cobra.Command, args []string) error {
	if len(args) != 2 {
		return usagef("diff takes two builds, OLD and NEW, not %d (policy documents are given with --policy)",
			"diff 需要两个构建文件（旧版本和新版本），而不是 %d 个（隐私政策文档请用 --policy 指定）", len(args))
	}
	return nil
}
