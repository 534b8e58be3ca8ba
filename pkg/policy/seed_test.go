package policy

import (
	"testing"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const seed002 = "seeds/002_8cf391e277f1a318.txt"

func permNames(d *Disclosure) []string {
	var out []string
	for _, p := range d.Permissions {
		out = append(out, p.Name)
	}
	return out
}

func findPerm(d *Disclosure, name string) *PermissionDisclosure {
	for i := range d.Permissions {
		if d.Permissions[i].Name == name {
			return &d.Permissions[i]
		}
	}
	return nil
}

// TestSeed002PermissionTable checks that every permission value of seed 002's
// permission table (checked by hand: 25 android.permission.* and 4 vendor
// values) is disclosed, with the table line it sits on.
func TestSeed002PermissionTable(t *testing.T) {
	d := Extract([]*doctext.Document{readDoc(t, seed002)}, Options{Catalogue: testCatalogue(t)})
	table := map[string]int{
		"android.permission.RECORD_AUDIO": 167, "android.permission.CAMERA": 175, "android.permission.FLASHLIGHT": 177,
		"android.permission.BLUETOOTH": 187, "android.permission.BLUETOOTH_ADMIN": 189, "android.permission.BLUETOOTH_SCAN": 191,
		"android.permission.BLUETOOTH_ADVERTISE": 193, "android.permission.BLUETOOTH_CONNECT": 195,
		"android.permission.ACCESS_FINE_LOCATION": 209, "android.permission.ACCESS_COARSE_LOCATION": 211,
		"android.permission.ACCESS_BACKGROUND_LOCATION": 213, "android.permission.REQUEST_INSTALL_PACKAGES": 221,
		"android.permission.FOREGROUND_SERVICE": 231, "android.permission.READ_EXTERNAL_STORAGE": 237,
		"android.permission.WRITE_EXTERNAL_STORAGE": 239, "android.permission.WAKE_LOCK": 247,
		"android.permission.ACCESS_NETWORK_STATE": 253, "android.permission.INTERNET": 255,
		"android.permission.ACCESS_WIFI_STATE": 257, "android.permission.CHANGE_NETWORK_STATE": 259,
		"android.permission.CHANGE_WIFI_MULTICAST_STATE": 261, "android.permission.CHANGE_CONFIGURATION": 271,
		"android.permission.VIBRATE": 281, "android.permission.BROADCAST_STICKY": 289, "android.permission.GET_TASKS": 297,
		"com.meizu.flyme.push.permission.RECEIVE": 305, "com.meizu.c2dm.permission.RECEIVE": 307,
		"com.coloros.mcs.permission.RECIEVE_MCS_MESSAGE": 309, "com.heytap.mcs.permission.RECIEVE_MCS_MESSAGE": 311,
	}
	require.Len(t, table, 29)
	for name, line := range table {
		p := findPerm(d, name)
		if assert.NotNil(t, p, name) {
			assert.Contains(t, p.Phrases, name, name)
			assert.Contains(t, p.Lines, LineRef{File: "002_8cf391e277f1a318.txt", Line: line}, name)
		}
	}
	// Prose wording: 摄像头权限 (line 19), 麦克风权限 (21), 存储或相册访问权限 (133).
	assert.Contains(t, findPerm(d, "android.permission.CAMERA").Lines, LineRef{"002_8cf391e277f1a318.txt", 19})
	assert.Contains(t, findPerm(d, "android.permission.RECORD_AUDIO").Lines, LineRef{"002_8cf391e277f1a318.txt", 21})
	assert.Contains(t, findPerm(d, "android.permission.READ_MEDIA_IMAGES").Lines, LineRef{"002_8cf391e277f1a318.txt", 133})
	assert.True(t, d.HasPermissionSection)
	// Not disclosed anywhere in the seed.
	for _, name := range []string{"android.permission.READ_CONTACTS", "android.permission.READ_CALL_LOG", "android.permission.WRITE_SETTINGS", "android.permission.QUERY_ALL_PACKAGES"} {
		assert.Nil(t, findPerm(d, name), name)
	}
}

// TestSeed002SDKList pins all 16 key:value SDK blocks of seed 002, field by
// field as written, and the catalogue id each must map to.
func TestSeed002SDKList(t *testing.T) {
	d := Extract([]*doctext.Document{readDoc(t, seed002)}, Options{Catalogue: testCatalogue(t)})
	want := []SDKRow{
		{ID: "umeng-analytics", Name: "友盟统计分析SDK", Company: "友盟同欣(北京)科技有限公司", Purpose: "进行APP营统计与分析",
			Data: "设备信息(IMEI/MAC/Android ID/IDFA/OAID/OpenUDID/GUID/SIMIMSI/ICCID)、位置信息、网络信息", PolicyURL: "https://www.umeng.com/page/policy", Line: LineRef{Line: 357}},
		{ID: "wechat-opensdk", Name: "微信", Purpose: "用户可分享信息至微信或使用微信支付",
			Data: "您的网络位置信息、系统类型、手机号码、SIM卡序列号、IMEIP地址、WiFi信息、MAC地址", PolicyURL: "https://weixin.qq.com/cgi-bin/readtemplate?lang=zh_CN&t=weixin_agreement&s=privacy", Line: LineRef{Line: 369}},
		{ID: "tencent-x5", Name: "腾讯x5", Purpose: "用于wordpdfexcel等文档预览",
			Data: "常用设备信息(如IMEI/IMSISIM卡序列号/MAC地址、android_id)、设备制造商、网络类型、网络状态、手机操作系统、屏幕尺寸、ip地址、系统类型", PolicyURL: "https://x5.tencent.com/tbs/policy.html", Line: LineRef{Line: 379}},
		{ID: "hms-scankit", Name: "华为统一扫码SDK", Company: "华为软件技术有限公司", Purpose: "为开发者应用提供码生成或扫码等能力",
			Data: "文字信息、图片、网络信息、应用基本信息、运营商信息、设备的硬件信息、设备型号、操作系统、系统设置信息、有关您使用本应用的信息", PolicyURL: "SDK隐私安全说明", Line: LineRef{Line: 389}},
		{ID: "tencent-trtc", Name: "腾讯TRTC SDK", Company: "腾讯", Purpose: "实现实时音视频、屏幕共享等功能。",
			Data: "Wi-Fi 状态、系统属性、设备型号、操作系统、IP 地址、相机、录音", PolicyURL: "https://cloud.tencent.com/document/product/647/57574", Line: LineRef{Line: 401}},
		{ID: "tencent-im", Name: "腾讯IM SDK", Company: "腾讯", Purpose: "实现资源共享控制、实时聊天等功能。",
			Data: "网络连接状态、设备型号、系统版本", PolicyURL: "https://cloud.tencent.com/document/product/269/58094", Line: LineRef{Line: 413}},
		{ID: "shanyan", Name: "闪验SDK", Company: "创蓝闪验", Purpose: "用于帮助实现用户一键登录行为,提供统计分析服务能力,并可提供反欺诈等功能。",
			Data: "IP地址、网卡(MAC)地址、国际移动设备识别码(IMEI)、OAID(替代IMEI)、sim卡信息,并会收集手机机型、系统类型、系统版本、网络环境、网关取号报错日志等数据", Line: LineRef{Line: 425}},
		{ID: "sensors-analytics", Name: "神策 SensorsAnalytics SDK", Company: "神策网络科技(北京)有限公司", Purpose: "用户使用效果统计分析。",
			Data: "个人常用设备信息,设备信息( Android ID OAl D )、获取运行中的进程信息", PolicyURL: "https://www.sensorsdata.cn/terms/privacy.html", Permissions: "访问网络、访问网络信息", Line: LineRef{Line: 435}},
		{ID: "tencent-beacon", Name: "灯塔", Company: "深圳市腾讯计算机系统有限公司", Purpose: "上报性能数据。",
			Data: "平终端制造厂商、终端设备操作系统版本、当地语言、时区、网络状态(Wi-Fi 状态)", PolicyURL: "https://privacy.qq.com/document/preview/a19a8cf4f2354306b137a7db39d32024", Permissions: "访问网络、访问网络信息", Line: LineRef{Line: 451}},
		{ID: "tencent-cos", Name: "腾讯云对象存储SDK(腾讯云COSXML SDK", Company: "深圳市腾讯计算机系统有限公司", Purpose: "云文件的上传和下载。",
			Data: "平终端制造厂商、终端设备操作系统版本、当地语言、时区、网络状态(Wi-Fi 状态)", PolicyURL: "https://cloud.tencent.com/document/product/436/74059", Permissions: "访问网络、访问网络信息、蓝牙、存储权限", Line: LineRef{Line: 465}},
		{ID: "tencent-iot-explorer", Name: "腾讯云物联网设备端 Andriod SDK", Company: "深圳市腾讯计算机系统有限公司", Purpose: "设备连接与管理。",
			Data: "网络状态(Wi-Fi 状态)、WIFI列表、IP地址、系统设置、系统属性、位置信息", PolicyURL: "https://cloud.tencent.com/document/product/1081/74470", Permissions: "访问网络、访问网络信息、蓝牙、存储权限、相机、录音、相册", Line: LineRef{Line: 479}},
		{ID: "wechat-opensdk", Name: "腾讯开发平台SDK", Company: "腾讯科技(深圳)有限公司", Purpose: "微信分享及收藏。",
			PolicyURL: "https://developers.weixin.qq.com/doc/oplatform/Mobile_App/Access_Guide/Android.html", Permissions: "第三方 App 通过接入该功能,让用户可以从 App 分享文字、图片、音乐、视频、网页、小程序至微信好友会话、朋友圈或添加到微信收藏", Line: LineRef{Line: 493}},
		{ID: "qq-connect", Name: "QQ互联/QQ开放平台", Company: "腾讯科技(深圳)有限公司", Purpose: "登录分享。",
			Data: "查看WLAN连接; 获取粗略位置; 获取精确位置; 读取外置存储卡; 读取手机状态和身份; 写入外部存储卡", PolicyURL: "http://wiki.connect.qq.com/", Line: LineRef{Line: 505}},
		{ID: "hms-core", Family: "hms", Name: "华为HMS", Company: "华为技术有限公司", Purpose: "华为HMS更新服务。",
			Data: "读取手机状态和身份", PolicyURL: "https://developer.huawei.com", Line: LineRef{Line: 517}},
		{ID: "tencent-liteav", Name: "腾讯云 LiteAVSDK(腾讯云视立方·直播 SDK", Company: "腾讯科技(深圳)有限公司", Purpose: "推流和播放。",
			Data: "使用蓝牙; 读取外置存储卡; 读取手机状态和身份; 录音; 写入外部存储卡", PolicyURL: "https://cloud.tencent.com/document/product/454/7886", Line: LineRef{Line: 529}},
		{ID: "tencent-teduboard", Name: "腾讯云 TEduBoard SDK(腾讯云互动白板SDK", Company: "腾讯科技(深圳)有限公司", Purpose: "腾讯云互动白板(Tencent Interactive WhiteboardTIW)。",
			PolicyURL: "https://cloud.tencent.com/document/product/1137/39911", Line: LineRef{Line: 541}},
	}
	require.True(t, d.HasSDKList)
	require.Len(t, d.SDKs, len(want))
	for i, w := range want {
		got := d.SDKs[i]
		w.Line.File = "002_8cf391e277f1a318.txt"
		w.DataTypes = DataTypesIn(w.Data)
		assert.Equal(t, w, got, "row %d %s", i, w.Name)
	}
	// A few data types checked by hand against the rows' text.
	assert.Equal(t, []string{"Android ID", "ICCID", "IDFA", "IMEI", "IMSI", "MAC地址", "OAID", "位置信息", "网络信息", "设备信息", "设备标识符"}, d.SDKs[0].DataTypes)
	assert.Equal(t, []string{"IP地址", "摄像头", "操作系统", "网络信息", "设备型号", "麦克风"}, d.SDKs[4].DataTypes)
	assert.Equal(t, []string{"操作系统", "网络信息", "设备型号"}, d.SDKs[5].DataTypes)
}

// TestSeedProse pins what the prose-only seeds disclose, checked by hand.
func TestSeedProse(t *testing.T) {
	cat := testCatalogue(t)
	loc := []string{"android.permission.ACCESS_COARSE_LOCATION", "android.permission.ACCESS_FINE_LOCATION"}
	tests := []struct {
		file string
		// want must all be disclosed; wantLine pins one line per permission.
		want     map[string]int
		not      []string
		wantData []string
	}{
		{
			// 我们会收集您设备的具体位置信息 (line 19); nothing else.
			file: "seeds/000_99fa19e409f33bed.txt",
			want: map[string]int{loc[0]: 19, loc[1]: 19},
			not:  []string{"android.permission.CAMERA", "android.permission.READ_SMS", "android.permission.SEND_SMS"},
		},
		{
			// 位置信息 (16) and 基于摄像头的功能 (18).
			file: "seeds/001_c7cb960513008d9d.txt",
			want: map[string]int{loc[0]: 16, loc[1]: 16, "android.permission.CAMERA": 18},
			// 设备信息 (line 16) is noisy READ_PHONE_STATE wording outside any permission context.
			not: []string{"android.permission.READ_PHONE_STATE"},
		},
		{
			// 咪咕: 读取短信权限 (69), 读取通讯录权限 (186), 麦克风权限 (190),
			// 读取通话记录 (217), 地理位置权限 (184), 相机、照片的权限 (50),
			// 存储权限 (128), 读取外部存储权限 (221); 发送短信验证码 (50) is not SEND_SMS.
			file: "seeds/003_3000a5bc25fa09ae.txt",
			want: map[string]int{
				"android.permission.READ_SMS": 69, "android.permission.READ_CONTACTS": 186,
				"android.permission.RECORD_AUDIO": 190, "android.permission.READ_CALL_LOG": 217,
				loc[1]: 184, "android.permission.CAMERA": 50, "android.permission.READ_MEDIA_IMAGES": 50,
				"android.permission.WRITE_EXTERNAL_STORAGE": 128, "android.permission.READ_EXTERNAL_STORAGE": 221,
			},
			not: []string{"android.permission.SEND_SMS", "android.permission.ACCESS_BACKGROUND_LOCATION", "android.permission.QUERY_ALL_PACKAGES"},
		},
		{
			// 定位功能 … GPS位置信息 (21); 发送短信验证码 (14) is not SEND_SMS.
			file: "seeds/004_55ffab5a0a8bdfc8.txt",
			want: map[string]int{loc[0]: 21, loc[1]: 21},
			not:  []string{"android.permission.SEND_SMS", "android.permission.CAMERA"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := readDoc(t, tt.file)
			d := Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
			assert.False(t, d.HasSDKList)
			assert.Empty(t, d.SDKs)
			assert.True(t, d.HasPermissionSection)
			for name, line := range tt.want {
				p := findPerm(d, name)
				if assert.NotNil(t, p, name) {
					assert.Contains(t, p.Lines, LineRef{doc.Path, line}, name)
				}
			}
			for _, name := range tt.not {
				assert.Nil(t, findPerm(d, name), name)
			}
		})
	}
}
