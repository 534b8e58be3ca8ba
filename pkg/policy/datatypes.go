package policy

import (
	"sort"
	"strings"
	"sync"
)

// dataTypeTable lists the canonical personal-information types, their names
// in English reports and the phrases (folded, without spaces) policies and
// SDK vendors use for them.
// Generic identifier wording (设备唯一标识码, UDID, GUID, OpenUDID) maps to
// 设备标识符; a list such as "唯一设备识别码(IMEI/Android ID/IDFA)" yields
// 设备标识符 and every named identifier.
var dataTypeTable = []struct {
	canonical string
	english   string
	phrases   []string
}{
	{"IMEI", "IMEI", []string{"imei", "国际移动设备识别码", "国际移动设备身份码", "移动设备国际识别码"}},
	{"MEID", "MEID", []string{"meid"}},
	{"IMSI", "IMSI", []string{"imsi", "国际移动用户识别码"}},
	{"ICCID", "ICCID", []string{"iccid", "sim卡序列号", "sim卡序号", "集成电路卡识别码"}},
	{"MAC地址", "MAC address", []string{"mac地址", "mac", "网卡地址", "网络设备硬件地址", "蓝牙地址"}},
	{"Android ID", "Android ID", []string{"androidid", "android_id", "安卓id"}},
	{"OAID", "OAID", []string{"oaid", "匿名设备标识符", "匿名设备标识"}},
	{"IDFA", "IDFA", []string{"idfa", "广告标识符"}},
	{"IDFV", "IDFV", []string{"idfv"}},
	{"设备标识符", "device identifier", []string{"唯一设备标识符", "唯一设备识别码", "唯一设备标识码", "设备唯一标识符", "设备唯一标识码", "设备唯一识别码", "设备唯一标识", "唯一设备标识", "设备标识符", "设备标识信息", "设备标识码", "设备识别码", "设备标识", "openudid", "udid", "guid"}},
	{"设备序列号", "device serial number", []string{"设备序列号", "硬件序列号", "序列号", "serial"}},
	{"位置信息", "location", []string{"精确地理位置", "粗略地理位置", "地理位置", "位置信息", "精确位置", "粗略位置", "大致位置", "精准定位", "定位信息", "基站信息", "基站定位", "经纬度", "gps", "位置", "定位"}},
	{"应用列表", "installed-app list", []string{"已安装应用列表", "应用安装列表", "安装应用列表", "软件安装列表", "应用程序列表", "应用列表", "软件列表", "安装列表", "已安装应用", "已安装的应用", "安装的应用", "app列表"}},
	{"剪切板", "clipboard", []string{"剪切板", "剪贴板", "粘贴板"}},
	{"通讯录", "contacts", []string{"通讯录", "联系人列表", "手机联系人"}},
	{"短信", "SMS", []string{"短信内容", "短信记录", "短信信息", "读取短信", "短信收件箱"}},
	{"通话记录", "call log", []string{"通话记录"}},
	{"相册", "photos", []string{"相册", "照片", "图片"}},
	{"麦克风", "microphone", []string{"麦克风", "录音", "音频", "语音信息"}},
	{"摄像头", "camera", []string{"摄像头", "相机", "拍照", "拍摄"}},
	{"人脸信息", "face data", []string{"人脸", "面部识别", "面部特征", "面容"}},
	{"传感器", "sensors", []string{"传感器", "加速度", "陀螺仪"}},
	{"IP地址", "IP address", []string{"ip地址", "ip"}},
	{"网络信息", "network information", []string{"网络信息", "网络状态", "网络类型", "网络连接状态", "网络接入方式", "wi-fi状态", "wifi状态", "wifi信息", "wi-fi信息", "wifi列表", "wlan", "bssid", "ssid", "wifi", "wi-fi"}},
	{"设备型号", "device model", []string{"设备型号", "手机型号", "硬件型号", "机型", "设备名称", "设备制造商", "终端制造厂商", "设备品牌"}},
	{"操作系统", "operating system", []string{"操作系统", "系统版本", "系统类型", "os版本"}},
	{"运营商", "carrier", []string{"运营商", "plmn"}},
	{"手机号码", "phone number", []string{"手机号码", "电话号码", "本机号码", "手机号"}},
	{"设备信息", "device information", []string{"设备信息"}},
	{"日历", "calendar", []string{"日历", "日程"}},
	{"运行中进程", "running processes", []string{"运行中进程", "运行中的进程", "正在运行的进程", "进程列表", "进程信息", "运行中的应用", "正在运行的应用"}},
	{"账户", "accounts", []string{"设备账户", "设备账号", "设备上的账户", "系统账户", "系统账号", "账户列表", "账号列表", "帐号列表"}},
	{"日志信息", "logs", []string{"日志信息", "操作日志", "崩溃日志", "崩溃记录", "crash信息", "日志"}},
}

// dataTypeStop are phrases that contain a data-type word without naming the
// data: they are matched first and then ignored (短信验证码 is not SMS content).
var dataTypeStop = []string{
	"短信验证码", "短信验证", "验证码短信", "短信通知", "短信提示", "短信分享", "发送短信", "短信等方式", "短信方式",
	"位置权限", "定位权限", "相机权限", "相册权限", "通讯录权限", "麦克风权限", "录音权限", "存储权限",
	"ipad", "iphone", "zip", "vip", "tip", "ipv", "http",
}

var dataTypeDict = sync.OnceValue(func() *dict[string] {
	d := &dict[string]{}
	for _, t := range dataTypeTable {
		for _, p := range t.phrases {
			d.add(p, len(p) <= 3 && isWord(rune(p[0])), t.canonical)
		}
	}
	// Permission wording names the permission, which the permission
	// extractor reports; the data itself is named by the word inside.
	for _, p := range dataTypeStop {
		if strings.HasSuffix(p, "权限") {
			continue
		}
		d.add(p, false, "")
	}
	return d
})

// DataTypesIn returns the canonical personal-information types named in
// text, sorted, without duplicates. It is the one canonicaliser for policy
// wording and catalogue data_collected strings alike:
// "唯一设备识别码(IMEI/Android ID/IDFA/OPENUDID/GUID)" gives
// Android ID, IDFA, IMEI, 设备标识符.
func DataTypesIn(text string) []string {
	var out []string
	for _, h := range dataTypeDict().find(squeeze(fold(text))) {
		if h.val != "" {
			out = addUnique(out, h.val)
		}
	}
	sort.Strings(out)
	return out
}

// DataTypeInEnglish names the canonical data type t, with detail (a finer
// name, or ""), for an English report: "location (位置信息, 基站信息)". The
// canonical name stays in the parentheses, as JSON and the policy's own
// wording have it; a name that is already English ("IMEI", "OAID") is
// kept as it is, and so is a name outside the vocabulary.
func DataTypeInEnglish(t, detail string) string {
	name := t
	for _, x := range dataTypeTable {
		if x.canonical == t {
			name = x.english
			break
		}
	}
	var in []string
	if name != t {
		in = append(in, t)
	}
	if detail != "" {
		in = append(in, detail)
	}
	if len(in) == 0 {
		return name
	}
	return name + " (" + strings.Join(in, ", ") + ")"
}

// DataTypes returns every canonical data-type name DataTypesIn can return, in table order.
func DataTypes() []string {
	out := make([]string, 0, len(dataTypeTable))
	for _, t := range dataTypeTable {
		out = append(out, t.canonical)
	}
	return out
}
