package policy

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
	"github.com/apkaudit/apkaudit/pkg/permissions"
)

// permTarget is one permission a phrase discloses.
type permTarget struct {
	name  string
	noisy bool
}

// mediaSuccessors are the API 33 permissions that replaced READ_EXTERNAL_STORAGE
// for media: Chinese storage wording ("存储权限") that discloses
// READ_EXTERNAL_STORAGE discloses them too.
var mediaSuccessors = []string{
	"android.permission.READ_MEDIA_IMAGES",
	"android.permission.READ_MEDIA_VIDEO",
	"android.permission.READ_MEDIA_AUDIO",
}

// permDict maps folded Chinese (and Latin) phrases to the permissions they
// disclose. A phrase listed on several rows of the permission table (位置信息
// on ACCESS_FINE_LOCATION and ACCESS_COARSE_LOCATION) discloses all of them.
var permDict = sync.OnceValue(func() *dict[[]permTarget] {
	targets := map[string][]permTarget{}
	add := func(phrase, name string, noisy, official bool) {
		p := squeeze(fold(phrase))
		if utf8.RuneCountInString(p) < 2 {
			return
		}
		for i, t := range targets[p] {
			if t.name == name {
				// The corpus marking of a synonym wins over an official name
				// (发送短信 is TC260's name, but mostly "发送短信验证码").
				if !official {
					targets[p][i].noisy = t.noisy && noisy
				}
				return
			}
		}
		targets[p] = append(targets[p], permTarget{name, noisy})
	}
	for _, info := range permissions.Privacy() {
		names := []string{info.Name}
		if info.Name == "android.permission.READ_EXTERNAL_STORAGE" {
			names = append(names, mediaSuccessors...)
		}
		for _, n := range names {
			for _, s := range info.Synonyms {
				add(s.Phrase, n, s.Noisy, false)
			}
		}
	}
	for _, info := range permissions.Privacy() {
		for _, z := range []string{info.TC260Zh, info.AospZh} {
			if z != "" {
				add(z, info.Name, false, true)
			}
		}
	}
	// Phrases that contain permission wording without disclosing a
	// permission; matched leftmost-longest, they shadow the shorter phrase.
	for _, p := range []string{"发送短信验证码", "短信验证码", "验证码短信", "短信验证"} {
		targets[p] = nil
	}
	d := &dict[[]permTarget]{}
	for p, t := range targets {
		d.add(p, len(p) <= 4 && isWord(rune(p[0])), t)
	}
	return d
})

var (
	// permLiteral matches android.permission.X and vendor permissions (com.x.permission.Y).
	permLiteral = lazyre.New(`\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\.permission\.[A-Za-z][A-Za-z0-9_]*`)
	// permBare matches upper-case names such as READ_EXTERNAL_STORAGE, kept
	// only when android.permission.<name> is a known platform permission.
	permBare = lazyre.New(`\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b`)
)

// contextWords make a noisy phrase count when they are within contextWindow
// runes of it.
var contextWords = []string{"权限", "授权", "访问", "读取", "获取", "调用", "开启"}

const contextWindow = 4

// negations, found earlier in the same clause, cancel a phrase: the policy
// says the permission is not used.
var negations = []string{
	"不会收集", "不会申请", "不会获取", "不会调用", "不会读取", "不会访问", "不会请求", "不会使用", "不会进行", "不会开启",
	"未申请", "不申请", "未获取", "未调用", "不收集", "不获取", "不调用", "不读取", "无需申请", "无需获取", "不涉及",
}

// clauseBreak reports whether r ends a clause for negation scope.
func clauseBreak(r rune) bool {
	switch r {
	case '，', ',', '。', '；', ';', '！', '!', '？', '?', '：', ':', '\n':
		return true
	}
	return false
}

// negationReach bounds the look-back for a negation cue, in bytes (about 50 Han runes).
const negationReach = 150

// negated reports whether text[:at] holds a negation within its last clause.
func negated(text string, at int) bool {
	// Look back at most negationReach bytes: clauses are short, and an
	// unbounded look-back would make long lines quadratic.
	from := max(0, at-negationReach)
	for from < at && !utf8.RuneStart(text[from]) {
		from++
	}
	clause := text[from:at]
	if start := strings.LastIndexFunc(clause, clauseBreak); start >= 0 {
		_, size := utf8.DecodeRuneInString(clause[start:])
		clause = clause[start+size:]
	}
	for _, n := range negations {
		if strings.Contains(clause, n) {
			return true
		}
	}
	return false
}

// nearContext reports whether a context word ends at most contextWindow
// runes before text[i:j] or starts at most contextWindow runes after it.
func nearContext(text string, i, j int) bool {
	before := text[:i]
	for k := 0; k < contextWindow+2 && len(before) > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(before)
		before = before[:len(before)-size]
	}
	after := text[j:]
	n := 0
	for idx := range after {
		if n == contextWindow+2 {
			after = after[:idx]
			break
		}
		n++
	}
	win := text[len(before):j] + after
	for _, w := range contextWords {
		if strings.Contains(win, w) {
			return true
		}
	}
	return false
}

// permHit is one permission disclosed on a line.
type permHit struct {
	name, phrase string
}

// permissionsIn returns the permissions a line discloses; folded is fold(text). inSection is true
// inside a permission section or table, where noisy phrases count without a
// nearby context word.
func permissionsIn(text, folded string, inSection bool) []permHit {
	var out []permHit
	orig := nfkc(text)
	for _, m := range permLiteral().FindAllStringIndex(orig, -1) {
		if !negated(orig, m[0]) {
			out = append(out, permHit{orig[m[0]:m[1]], orig[m[0]:m[1]]})
		}
	}
	for _, m := range permBare().FindAllStringIndex(orig, -1) {
		if m[0] > 0 && orig[m[0]-1] == '.' {
			continue // part of a literal
		}
		name := "android.permission." + orig[m[0]:m[1]]
		if permissions.Lookup(name).Known && !negated(orig, m[0]) {
			out = append(out, permHit{name, orig[m[0]:m[1]]})
		}
	}
	f := squeeze(folded)
	for _, h := range permDict().find(f) {
		if len(h.val) == 0 || negated(f, h.start) {
			continue
		}
		ctx := inSection || nearContext(f, h.start, h.end)
		readOnly := readsOnly(f, h.start, h.end)
		for _, t := range h.val {
			if t.noisy && !ctx || readOnly && writes(t.name) {
				continue
			}
			out = append(out, permHit{t.name, h.phrase})
		}
	}
	return out
}

// readVerbs introduce a group phrase read-only: 读取通讯录 discloses
// READ_CONTACTS, not WRITE_CONTACTS, which 通讯录 alone stands for too.
var readVerbs = []string{"读取", "查看", "查询"}

// dataVerbs make a group phrase read-only when its object is data, not the
// permission: 获取短信信息 reads SMS, 获取短信权限 asks for the SMS group.
var (
	dataVerbs   = []string{"获取", "收集", "访问", "采集", "使用"}
	dataObjects = []string{"信息", "内容", "数据", "列表", "记录", "联系人", "号码", "文件", "照片", "图片"}
	possessives = []string{"您的", "你的", "用户的", "用户", "的"}
)

// readsOnly reports whether the phrase at f[i:j] is the object of a reading
// verb in its clause: 读取（您的）通讯录, or 获取短信信息.
func readsOnly(f string, i, j int) bool {
	before := f[max(0, i-24):i] // at most 8 Han runes
	for len(before) > 0 && !utf8.RuneStart(before[0]) {
		before = before[1:]
	}
	if k := strings.LastIndexFunc(before, clauseBreak); k >= 0 {
		before = before[k+1:]
	}
	for trimmed := true; trimmed; {
		trimmed = false
		for _, p := range possessives {
			if strings.HasSuffix(before, p) {
				before, trimmed = strings.TrimSuffix(before, p), true
			}
		}
	}
	if strings.HasSuffix(before, "读写") {
		return false
	}
	for _, v := range readVerbs {
		if strings.HasSuffix(before, v) {
			return true
		}
	}
	after := f[j:]
	for _, v := range dataVerbs {
		if strings.HasSuffix(before, v) {
			for _, o := range dataObjects {
				if strings.HasPrefix(after, o) {
					return true
				}
			}
		}
	}
	return false
}

// writes reports whether permission name changes data or acts rather than
// reads: the members of a group a read-only phrase does not disclose.
func writes(name string) bool {
	switch name {
	case "android.permission.SEND_SMS", "android.permission.CALL_PHONE":
		return true
	}
	return strings.HasPrefix(name, "android.permission.WRITE_")
}
