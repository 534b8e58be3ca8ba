package policy

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/sdkdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func extractText(t testing.TB, text string, c *sdkdb.Catalogue) *Disclosure {
	t.Helper()
	doc := docFromText("p.txt", []byte(text))
	d := Extract([]*doctext.Document{doc}, Options{Catalogue: c})
	checkRefs(t, []*doctext.Document{doc}, d)
	return d
}

func TestPermissionWording(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"negated, from 咪咕视频 line 207 (CAPP-130)",
			"但“咪咕视频”并不申请短信和读取通讯录联系人的权限，也不会进行短信发送、短信读取以及通讯录联系人信息的获取。", nil},
		{"negation ends with the clause",
			"我们不会申请通讯录权限，但会申请相机权限。", []string{"android.permission.CAMERA"}},
		{"noisy phrase alone", "我们会保存您的聊天记录到存储中。", nil},
		{"noisy phrase next to 权限", "上传文件时需要开启存储权限。",
			[]string{"android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE"}},
		{"noisy phrase inside a permission section", "三、权限说明\n存储\n用于缓存图片",
			[]string{"android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE"}},
		{"section ends at the next heading of its level", "三、权限说明\n相机权限\n四、联系我们\n存储", []string{"android.permission.CAMERA"}},
		{"group phrase 位置信息", "我们会收集您的位置信息。", []string{"android.permission.ACCESS_COARSE_LOCATION", "android.permission.ACCESS_FINE_LOCATION"}},
		{"background needs its own words", "我们会在后台获取位置信息。", []string{"android.permission.ACCESS_BACKGROUND_LOCATION"}},
		{"SMS verification code is not SEND_SMS", "我们将通过发送短信验证码来验证您的身份。", nil},
		{"read verb: 读取通讯录 is not WRITE_CONTACTS", "为了帮助您添加好友，我们会读取您的通讯录。", []string{"android.permission.READ_CONTACTS"}},
		{"data object: 获取短信信息 is not SEND_SMS", "我们会获取短信信息以自动填写验证码。", []string{"android.permission.READ_SMS"}},
		{"the permission itself: 申请通讯录权限 is the group", "我们会申请通讯录权限。", []string{"android.permission.READ_CONTACTS", "android.permission.WRITE_CONTACTS"}},
		{"读写 keeps both", "需要读写存储权限。",
			[]string{"android.permission.READ_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE"}},
		{"read verb narrows storage too", "我们会读取存储中的照片。",
			[]string{"android.permission.READ_EXTERNAL_STORAGE", "android.permission.READ_MEDIA_IMAGES"}},
		{"a verb in an earlier clause does not reach", "我们会读取设备信息，并申请日历权限。", []string{"android.permission.READ_CALENDAR", "android.permission.READ_PHONE_STATE", "android.permission.WRITE_CALENDAR"}},
		{"a data item is no permission: 手机号码 and 运行中的进程 as collected data", "我们会收集您的手机号码、设备型号和运行中的进程信息。", nil},
		{"a data item with access words is", "我们需要获取正在运行的进程以判断应用是否在前台，并申请读取本机号码的权限。",
			[]string{"android.permission.GET_TASKS", "android.permission.READ_PHONE_NUMBERS"}},
		{"蓝牙 is BLUETOOTH and BLUETOOTH_CONNECT", "我们会申请蓝牙权限以连接手环。",
			[]string{"android.permission.BLUETOOTH", "android.permission.BLUETOOTH_CONNECT"}},
		{"a use of the device is: 通过蓝牙连接手环", "您可以授权我们通过蓝牙连接您的智能手环。",
			[]string{"android.permission.BLUETOOTH", "android.permission.BLUETOOTH_CONNECT"}},
		{"蓝牙 MAC 地址 as data", "我们会收集设备信息（包括蓝牙MAC地址、IMEI）。", nil},
		{"通讯录 is READ_CONTACTS, WRITE_CONTACTS only when writing is said", "为了帮您找到好友，我们会读取通讯录。", []string{"android.permission.READ_CONTACTS"}},
		{"writing 通讯录", "我们需要访问通讯录以便您将联系人保存到通讯录中。", []string{"android.permission.READ_CONTACTS", "android.permission.WRITE_CONTACTS"}},
		{"a bracketed negation counts", "通知权限(当前版本没有使用该权限)", nil},
		{"悬浮窗 is SYSTEM_ALERT_WINDOW", "我们会申请悬浮窗权限以显示悬浮球。", []string{"android.permission.SYSTEM_ALERT_WINDOW"}},
		{"查看WLAN和网络连接", "查看WLAN和网络连接：用于判断网络状态。",
			[]string{"android.permission.ACCESS_NETWORK_STATE", "android.permission.ACCESS_WIFI_STATE"}},
		{"电话权限 places no calls", "我们会申请电话权限以读取设备标识。", []string{"android.permission.READ_PHONE_STATE"}},
		{"a constant broken after its underscore", "REQUEST_INSTALL_ PACKAGES：用于应用内更新", []string{"android.permission.REQUEST_INSTALL_PACKAGES"}},
		{"literal and vendor names", "android.permission.CAMERA com.huawei.android.push.permission.RECEIVE_MSG READ_PHONE_STATE TYPE_STEP_COUNTER",
			[]string{"android.permission.CAMERA", "android.permission.READ_PHONE_STATE", "com.huawei.android.push.permission.RECEIVE_MSG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := extractText(t, tt.text, nil)
			assert.Equal(t, tt.want, permNames(d))
		})
	}
}

// TestNegationCorpus checks the negated sentence in its real context: 咪咕视频
// line 207 must not count as SMS disclosure (CAPP-130, Zhu et al., NeurIPS 2023).
func TestNegationCorpus(t *testing.T) {
	doc := readDoc(t, "corpus/policies/capp-130/咪咕视频.txt")
	d := Extract([]*doctext.Document{doc}, Options{})
	for _, name := range []string{"android.permission.READ_SMS", "android.permission.SEND_SMS"} {
		if p := findPerm(d, name); p != nil {
			assert.NotContains(t, p.Lines, LineRef{doc.Path, 207}, name)
		}
	}
}

func TestDataTypesIn(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"唯一设备识别码(IMEI/Android ID/IDFA/OPENUDID/GUID)", []string{"Android ID", "IDFA", "IMEI", "设备标识符"}},
		{"设备信息（IMEI/Mac/android ID/IDFA/OPENUDID/GUID、SIM 卡 IMSI 信息）", []string{"Android ID", "IDFA", "IMEI", "IMSI", "MAC地址", "设备信息", "设备标识符"}},
		{"SIM卡序列号、网卡(MAC)地址、ip地址", []string{"ICCID", "IP地址", "MAC地址"}},
		{"macOS 与 vip 会员、短信验证码", nil},
		{"剪贴板内容、已安装应用列表、地理位置", []string{"位置信息", "剪切板", "应用列表"}},
		{"", nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, DataTypesIn(tt.in), tt.in)
	}
	for _, c := range DataTypes() {
		assert.NotEmpty(t, c)
	}
}

func TestFieldOf(t *testing.T) {
	tests := map[string]string{
		"SDK名称": fieldName, "第三方SDK名称": fieldName, "使用SDK名称": fieldName, "SDK名称(包名)": fieldName,
		"服务类型（使用目的）": fieldPurpose, "收集的个人信息的类型/字段": fieldData, "隐私协议地址": fieldPolicyURL,
		"第三方机构名称": fieldCompany, "**公司名称**": fieldCompany, "SDK官网": fieldWebsite, "调用权限": fieldPermission,
		"您的权利": "", "": "", strings.Repeat("名", 40): "",
	}
	for k, want := range tests {
		assert.Equal(t, want, fieldOf(k), k)
	}
}

const miniCatalogue = `
- id: hms-core
  name: Huawei HMS Core
  name_zh: HMS Core
  aliases: [HMS Core, 华为移动服务]
  vendor: 华为软件技术有限公司
  vendor_aliases: [华为技术有限公司, 华为]
  category: platform
  family: hms
  signals: {dex_packages: [com.huawei.hms.api]}
- id: hms-push
  name: Huawei Push Kit
  name_zh: 华为推送
  aliases: [华为推送, Push Kit, 'HMS Core?']
  vendor: 华为软件技术有限公司
  vendor_aliases: [华为]
  category: push
  family: hms
  signals: {dex_packages: [com.huawei.hms.push]}
- id: wechat-opensdk
  name: WeChat OpenSDK
  name_zh: 微信开放平台SDK
  aliases: [微信SDK, 微信分享, '微信?']
  vendor: 深圳市腾讯计算机系统有限公司
  vendor_aliases: [腾讯科技(深圳)有限公司, 腾讯]
  category: social-login-share
  signals: {dex_packages: [com.tencent.mm.opensdk]}
- id: tencent-im
  name: Tencent Cloud Chat (IM SDK)
  name_zh: 腾讯云即时通信 IM SDK
  aliases: [腾讯云通信, IMSDK]
  vendor: 腾讯云计算(北京)有限责任公司
  vendor_aliases: [腾讯]
  category: im
- id: jpush
  name: JPush
  name_zh: 极光推送
  aliases: [极光推送, JPush, '极光?']
  vendor: 深圳市和讯华谷信息技术有限公司
  vendor_aliases: [极光]
  category: push
  signals: {dex_packages: [cn.jpush.android]}
`

func miniCat(t testing.TB) *sdkdb.Catalogue {
	c, err := sdkdb.Load(fstest.MapFS{"mini.yaml": {Data: []byte(miniCatalogue)}})
	require.NoError(t, err)
	return c
}

func TestMatchRows(t *testing.T) {
	m := newMatcher(miniCat(t))
	tests := []struct {
		name string
		row  SDKRow
		id   string
		fam  string
	}{
		{"alias after suffix strip", SDKRow{Name: "华为推送 SDK for Android"}, "hms-push", ""},
		{"family row", SDKRow{Name: "华为HMS"}, "hms-core", "hms"},
		{"family by representative alias", SDKRow{Name: "华为移动服务"}, "hms-core", "hms"},
		{"ambiguous alias without cue", SDKRow{Name: "极光"}, "", ""},
		{"ambiguous alias with vendor cue", SDKRow{Name: "极光", Company: "深圳市和讯华谷信息技术有限公司"}, "jpush", ""},
		{"ambiguous alias with purpose cue", SDKRow{Name: "微信", Purpose: "微信分享"}, "wechat-opensdk", ""},
		{"brand + product key", SDKRow{Name: "腾讯IM SDK"}, "tencent-im", ""},
		{"package", SDKRow{Name: "某推送", Package: "cn.jpush.android.api"}, "jpush", ""},
		{"package on a segment boundary only", SDKRow{Name: "某推送", Package: "cn.jpushx"}, "", ""},
		{"typo Andriod", SDKRow{Name: "JPush Andriod SDK"}, "jpush", ""},
		{"longest contained alias", SDKRow{Name: "新版极光推送服务"}, "jpush", ""},
		{"purpose names the SDK, company its vendor", SDKRow{Name: "腾讯开发平台SDK", Company: "腾讯科技(深圳)有限公司", Purpose: "微信分享及收藏"}, "wechat-opensdk", ""},
		{"unknown", SDKRow{Name: "某统计SDK"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, fam := m.match(&tt.row)
			assert.Equal(t, tt.id, entryID(e))
			assert.Equal(t, tt.fam, fam)
		})
	}
}

func TestMentionsAndLayouts(t *testing.T) {
	text := strings.Join([]string{
		"我们使用了极光推送SDK和JPush为您推送消息。",   // 1: two mentions of one id count once per line
		"极光是一个普通的词。",                  // 2: ambiguous alias: no mention
		"第三方SDK清单",                    // 3
		"1. 华为推送SDK：设备标识符",            // 4: numbered list row
		"2、用于广告相关服务，包括广告展示、广告统计及监控等；", // 5: not a row
		"SDK名称\t公司\t使用目的\t隐私政策链接",     // 7..8: a TAB table
		"微信SDK\t腾讯\t分享\thttps://weixin.qq.com/",
		"公司名称：某某公司", // 9: generic key outside any block: no row
	}, "\n")
	d := extractText(t, text, miniCat(t))
	assert.Equal(t, []Mention{{ID: "jpush", Phrase: "极光推送", Line: LineRef{"p.txt", 1}}}, d.Mentions)
	assert.Equal(t, []rowWant{{"华为推送SDK", "hms-push"}, {"微信SDK", "wechat-opensdk"}}, rowsOf(d))
	assert.Equal(t, "设备标识符", d.SDKs[0].Data)
	assert.Equal(t, SDKRow{ID: "wechat-opensdk", Name: "微信SDK", Company: "腾讯", Purpose: "分享", PolicyURL: "https://weixin.qq.com/",
		Line: LineRef{"p.txt", 7}}, d.SDKs[1])
	assert.True(t, d.HasSDKList)
	assert.False(t, d.HasPermissionSection)
}

func TestExtractEmpty(t *testing.T) {
	d := Extract(nil, Options{})
	assert.Empty(t, d.Permissions)
	assert.False(t, d.HasSDKList)
	d = Extract([]*doctext.Document{nil, {Path: "x", Warnings: []string{"bad byte"}}}, Options{})
	assert.Equal(t, []string{"x: bad byte"}, d.Warnings)
	assert.Len(t, d.Documents, 1)
}
