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
	// official is set for the permission's own TC260 or AOSP name, which
	// speaks of the permission itself rather than of data.
	official bool
}

// extraPermPhrases is wording real policies use for a permission that the
// reference permission table lacks (AOSP labels as policies quote them,
// descriptions of what the permission allows).
var extraPermPhrases = map[string][]string{
	"悬浮于其他应用之上": {"SYSTEM_ALERT_WINDOW"}, "悬浮窗": {"SYSTEM_ALERT_WINDOW"}, "悬浮框": {"SYSTEM_ALERT_WINDOW"},
	"显示在其他应用上层":   {"SYSTEM_ALERT_WINDOW"},
	"查看wlan和网络连接": {"ACCESS_WIFI_STATE", "ACCESS_NETWORK_STATE"},
	"已知的帐号列表":     {"GET_ACCOUNTS"}, "已知的账号列表": {"GET_ACCOUNTS"}, "访问账户列表": {"GET_ACCOUNTS"},
	"后台获取位置":        {"ACCESS_BACKGROUND_LOCATION"},
	"屏幕关闭后后台进程仍然运行": {"WAKE_LOCK"},
	"写入或读取sdcard":   {"READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"},
	"挂载和反挂载文件系统":    {"MOUNT_UNMOUNT_FILESYSTEMS"}, "修改全局音频设置": {"MODIFY_AUDIO_SETTINGS"},
	"改变网络连接状态": {"CHANGE_NETWORK_STATE"}, "改变wi-fi连接状态": {"CHANGE_WIFI_STATE"},
	"允许程序验证账户": {"AUTHENTICATE_ACCOUNTS"}, "管理账户管理的账户列表": {"MANAGE_ACCOUNTS"},
	"使用证书发送请求": {"USE_CREDENTIALS"}, "判断当前前台应用": {"GET_TASKS"},
	"允许请求安装包": {"REQUEST_INSTALL_PACKAGES"},
}

// dataLike are the permissions that policies name mostly by a data item
// (手机号码, 正在运行的进程, 蓝牙 MAC 地址, 应用列表, 系统设置): listed as data,
// such a word discloses no permission. It does when the text speaks of the
// permission (权限, 授权, 申请, 调用, 开启 near it), in the permission's own
// TC260 or AOSP name, or in its literal name.
var dataLike = map[string]bool{
	"READ_PHONE_NUMBERS": true, "GET_TASKS": true, "QUERY_ALL_PACKAGES": true, "WRITE_SETTINGS": true,
	"BLUETOOTH": true, "BLUETOOTH_ADMIN": true, "BLUETOOTH_CONNECT": true, "BLUETOOTH_SCAN": true, "BLUETOOTH_ADVERTISE": true,
	"READ_SMS": true, "SEND_SMS": true, "RECEIVE_SMS": true, "BODY_SENSORS": true, "READ_LOGS": true,
	"ACCESS_WIFI_STATE": true, "POST_NOTIFICATIONS": true,
	"CALL_PHONE": true, "RECEIVE_BOOT_COMPLETED": true, "READ_CALL_LOG": true,
}

// shortItem is the length, in runes, up to which a line of a permission
// section is an item naming a permission rather than a list of data.
const shortItem = 16

// permissionWords are the context words that speak of a permission, not of data.
var permissionWords = []string{"权限", "授权", "申请", "调用", "开启"}

// ownWords narrow a group phrase: the permission is disclosed only when one
// of its words is in the phrase or near it ("蓝牙" discloses BLUETOOTH and
// BLUETOOTH_CONNECT; scanning, advertising and pairing need their words;
// "相册" discloses no partial-photo permission).
var ownWords = map[string][]string{
	"BLUETOOTH_SCAN": {"扫描", "搜索", "发现", "附近"}, "BLUETOOTH_ADVERTISE": {"广播", "广告", "附近"},
	"BLUETOOTH_ADMIN": {"管理", "配对", "开关"}, "READ_MEDIA_VISUAL_USER_SELECTED": {"部分", "所选", "选中"},
}

// writeWords must be near a group phrase for its write or act member to
// count: 通讯录 discloses READ_CONTACTS, and WRITE_CONTACTS only when writing is said.
var writeWords = []string{"写入", "写", "修改", "编辑", "新建", "添加", "删除", "保存", "拨打", "呼叫", "拨号", "发送", "发短信", "打电话"}

// actsOnly are the write or act permissions writeWords guard. Named as a
// permission group ("通讯录权限", "日历权限") the group discloses its write
// members too, but never its acts: 电话权限 used to read the phone state
// places no calls.
var actsOnly = map[string]bool{
	"WRITE_CONTACTS": true, "WRITE_CALENDAR": true, "WRITE_CALL_LOG": true, "SEND_SMS": true, "CALL_PHONE": true,
}

// acts are the members of actsOnly that act rather than write.
var acts = map[string]bool{"SEND_SMS": true, "CALL_PHONE": true}

// accessVerbs directly before a data word make it an access: 读取短信,
// 获取您的应用列表.
var accessVerbs = []string{"读取", "获取", "访问", "查看", "使用", "检索"}

// useWords right after a data word make it a use of the device: 蓝牙连接, 蓝牙配对.
var useWords = []string{"连接", "配对", "传输", "通信"}

// accessedAt reports whether an access verb governs f[at:]: it ends at most
// accessReach runes before it, in the same clause and not across an
// enumeration comma (获取软件应用列表, 读取您的短信; not 收集IMEI、应用列表).
func accessedAt(f string, at int) bool {
	before := f[max(0, at-3*(accessReach+4)):at]
	for len(before) > 0 && !utf8.RuneStart(before[0]) {
		before = before[1:]
	}
	if k := strings.LastIndexFunc(before, func(r rune) bool { return clauseBreak(r) || r == '、' || r == '/' }); k >= 0 {
		_, size := utf8.DecodeRuneInString(before[k:])
		before = before[k+size:]
	}
	for _, p := range possessives {
		before = strings.TrimSuffix(before, p)
	}
	for _, v := range accessVerbs {
		if i := strings.LastIndex(before, v); i >= 0 && utf8.RuneCountInString(before[i+len(v):]) <= accessReach {
			return true
		}
	}
	return false
}

// accessReach is how many runes may stand between an access verb and its object.
const accessReach = 2

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
				} else {
					targets[p][i].official = true
				}
				return
			}
		}
		targets[p] = append(targets[p], permTarget{name, noisy, official})
	}
	for _, info := range permissions.Privacy() {
		for _, s := range info.Synonyms {
			add(s.Phrase, info.Name, s.Noisy, false)
		}
	}
	for phrase, names := range extraPermPhrases {
		for _, n := range names {
			add(phrase, "android.permission."+n, false, true)
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
	// brokenConstant matches an upper-case constant with white space after one of its underscores.
	brokenConstant = lazyre.New(`([A-Z0-9])_\s+([A-Z])`)
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
	"不得", "禁止", "没有使用", "未使用", "没有申请", "不自动",
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
	if strings.Contains(orig, "_ ") {
		// "REQUEST_INSTALL_ PACKAGES": a constant broken by a line wrap.
		orig = brokenConstant().ReplaceAllString(orig, "${1}_$2")
	}
	var literals, bare [][]int
	if strings.Contains(orig, ".permission.") {
		literals = permLiteral().FindAllStringIndex(orig, -1)
	}
	if strings.IndexByte(orig, '_') >= 0 {
		bare = permBare().FindAllStringIndex(orig, -1)
	}
	for _, m := range literals {
		if !negated(orig, m[0]) {
			out = append(out, permHit{orig[m[0]:m[1]], orig[m[0]:m[1]]})
		}
	}
	for _, m := range bare {
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
		if len(h.val) == 0 || negated(f, h.start) || negatedAfter(f, h.end) {
			continue
		}
		ctx := inSection || nearContext(f, h.start, h.end)
		readOnly := readsOnly(f, h.start, h.end)
		win := window(f, h.start, h.end)
		// around is the window without the phrase: "发送短信" says no more than its phrase.
		around := strings.Replace(win, f[h.start:h.end], " ", 1)
		// A short line in a permission section ("Ø蓝牙"), or a whole cell of a
		// row there ("通知 | 推送消息"), names the permission.
		permCtx := containsAny(win, permissionWords) || accessedAt(f, h.start) || usedAt(f, h.start, h.end) ||
			inSection && (utf8.RuneCountInString(f) <= shortItem || wholeCell(f, h.start, h.end))
		group := strings.HasSuffix(f[h.start:h.end], "权限") || strings.HasPrefix(f[h.end:], "权限")
		for _, t := range h.val {
			short := strings.TrimPrefix(t.name, "android.permission.")
			switch {
			case t.noisy && !ctx && !(actsOnly[short] && containsAny(around, writeWords)), readOnly && writes(t.name):
				continue
			case dataLike[short] && !t.official && !permCtx:
				continue
			case len(ownWords[short]) > 0 && !containsAny(win, ownWords[short]):
				continue
			case actsOnly[short] && len(h.val) > 1 && !containsAny(win, writeWords) && !(group && !acts[short]):
				continue
			}
			out = append(out, permHit{t.name, h.phrase})
		}
	}
	return out
}

// wholeCell reports whether f[i:j], perhaps with 权限 after it, is a whole
// cell of a table row written "a | b | c" (spaces squeezed out).
func wholeCell(f string, i, j int) bool {
	j += len(f[j:]) - len(strings.TrimPrefix(f[j:], "权限"))
	return (i == 0 || f[i-1] == '|') && (j == len(f) || f[j] == '|')
}

// window is f[i:j] with up to contextWindow+2 runes on either side.
func window(f string, i, j int) string {
	from := i
	for k := 0; k < contextWindow+2 && from > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(f[:from])
		from -= size
	}
	to := j
	for k := 0; k < contextWindow+2 && to < len(f); k++ {
		_, size := utf8.DecodeRuneInString(f[to:])
		to += size
	}
	return f[from:to]
}

// usedAt reports whether the phrase f[i:j] names a use of the device: it
// holds a use word or one follows it (蓝牙连接, 蓝牙配对).
func usedAt(f string, i, j int) bool {
	for _, w := range useWords {
		if strings.Contains(f[i:j], w) || strings.HasPrefix(f[j:], w) {
			return true
		}
	}
	return false
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// negatedAfter reports whether a bracket right after f[:at] holds a
// negation: "通知权限(当前版本没有使用该权限)".
func negatedAfter(f string, at int) bool {
	rest := f[at:]
	if !strings.HasPrefix(rest, "(") && !strings.HasPrefix(rest, "（") {
		return false
	}
	end := strings.IndexAny(rest, ")）")
	if end < 0 || end > negationReach {
		return false
	}
	inner := rest[:end]
	for _, n := range append(negations, "没有使用", "未使用", "不使用", "没有申请", "暂未", "尚未") {
		if strings.Contains(inner, n) {
			return true
		}
	}
	return false
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
