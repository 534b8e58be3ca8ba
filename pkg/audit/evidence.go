package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// The rules write evidence lines in English (Evidence.Artifact and Policy,
// the JSON contract) and, for a Chinese report, in Chinese. A helper that
// writes a line in words says it in both languages through say; lines of
// names, paths and policy text are the same in both and need nothing.

// say records zh as the Chinese of the evidence line en and returns en.
func (e *evaluator) say(en, zh string) string {
	if e.zh == nil {
		e.zh = map[string]string{}
	}
	e.zh[en] = zh
	return en
}

// zhLines returns the Chinese of lines, each the translation say recorded or
// the line itself; nil when no line has a translation.
func (e *evaluator) zhLines(lines []string) []string {
	if !slices.ContainsFunc(lines, func(l string) bool { _, ok := e.zh[l]; return ok }) {
		return nil
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l
		if zh, ok := e.zh[l]; ok {
			out[i] = zh
		}
	}
	return out
}

// sdkEvidence is evidenceLines(ev), said in both languages: "dex-package:
// com/umeng/analytics (120 classes)" is "DEX包: com/umeng/analytics（120 个类）".
func (e *evaluator) sdkEvidence(ev []sdk.Evidence) []string {
	out := evidenceLines(ev)
	for i, x := range ev {
		zh := sdkdb.EvidenceNameZh(x.Kind) + ": " + x.Value
		if x.Kind == sdkdb.EvidenceDexPackage && x.Count > 0 {
			zh += fmt.Sprintf("（%d 个类）", x.Count)
		}
		e.say(out[i], zh)
	}
	return out
}

// sayRead is readEvidence(r), said in both languages: "code-call (jpush):
// … (1 call site, SMS (短信))" is "代码调用（jpush）：…（1 个调用点，短信）".
func (e *evaluator) sayRead(r sdk.Read) string {
	what := "个调用点"
	if r.Reflective {
		what = "次反射查找"
	}
	return e.say(readEvidence(r), fmt.Sprintf("%s（%s）：%s（%d %s，%s）", sdkdb.EvidenceNameZh("code-call"), r.By, r.Where(), r.Count, what, r.Data))
}

// listSomeZh is listSome in Chinese.
func listSomeZh(list []string, n int) string {
	if len(list) <= n {
		return strings.Join(list, "、")
	}
	return fmt.Sprintf("%s 等 %d 个", strings.Join(list[:n], "、"), len(list))
}
