package policy

// The policies under shared/corpus/policies/capp-130 come from CAPP-130,
// Zhu et al., NeurIPS 2023 (Datasets and Benchmarks), data CC BY 4.0.

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/sdkdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkRefs asserts that every LineRef of d names an existing line of its document.
func checkRefs(t testing.TB, docs []*doctext.Document, d *Disclosure) {
	t.Helper()
	lines := map[LineRef]bool{}
	for _, doc := range docs {
		for _, l := range doc.Lines {
			lines[LineRef{doc.Path, l.No}] = true
		}
	}
	for _, p := range d.Permissions {
		require.NotEmpty(t, p.Lines, p.Name)
		for _, r := range p.Lines {
			require.True(t, lines[r], "permission %s line %v", p.Name, r)
		}
	}
	for _, r := range d.SDKs {
		require.True(t, lines[r.Line], "row %q line %v", r.Name, r.Line)
	}
	for _, m := range d.Mentions {
		require.True(t, lines[m.Line], "mention %s line %v", m.ID, m.Line)
	}
}

// TestCAPP130All runs every CAPP-130 policy: no panic, valid line references,
// ids only from the catalogue.
func TestCAPP130All(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "corpus", "policies", "capp-130")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	require.NoError(t, err)
	require.Len(t, files, 130)
	cat := testCatalogue(t)
	withList := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		doc := docFromText(filepath.Base(f), b)
		d := Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
		checkRefs(t, []*doctext.Document{doc}, d)
		for _, r := range d.SDKs {
			if r.ID != "" {
				require.NotNil(t, cat.Lookup(r.ID), r.ID)
			}
		}
		if d.HasSDKList {
			withList++
		}
	}
	t.Logf("%d of %d policies have an SDK list", withList, len(files))
}

type rowWant struct{ name, id string }

func rowsOf(d *Disclosure) []rowWant {
	var out []rowWant
	for _, r := range d.SDKs {
		out = append(out, rowWant{r.Name, r.ID})
	}
	return out
}

// TestCAPP130SDKTables pins the SDK lists of the CAPP-130 policies that have
// one, row by row, checked by hand against the text.
func TestCAPP130SDKTables(t *testing.T) {
	cat := testCatalogue(t)
	tests := []struct {
		file string
		rows []rowWant
	}{
		{"中小学网络云平台", []rowWant{ // key:value blocks
			{"腾讯浏览服务", "tencent-x5"}, {"友盟+SDK", "umeng-analytics"} /* 使用目的：友盟数据统计 */, {"微信支付SDK", "wechat-opensdk"},
			{"支付宝支付SDK", "alipay"}, {"穿山甲SDK", "pangle-ads"}, {"腾讯广告SDK", "tencent-gdt"},
			{"阿里云认证SDK", ""}, {"微信SDK", "wechat-opensdk"}, {"谷歌安卓系统控件SDK", ""}, {"UC啄木鸟", ""},
			{"奇虎360加固", ""}, {"移动一键登录", "cmcc-auth"}, {"联通一键登录", "cucc-auth"}, {"电信一键登录", "ctcc-auth"},
		}},
		{"影视大全", []rowWant{ // numbered lists, then one key:value block
			{"PP视频SDK", ""}, {"风行播放SDK", ""}, {"腾讯X5", "tencent-x5"}, {"头条短视频API", ""}, {"快手短视频SDK", "kuaishou-ads"},
			{"广点通SDK", "tencent-gdt"}, {"百度联盟SDK", ""}, {"穿山甲SDK", "pangle-ads"}, {"vivo广告联盟SDK", ""},
			{"oppo广告联盟SDK", ""}, {"米盟SDK", ""}, {"京东广告API", ""}, {"爱奇艺广告API", ""}, {"fancy API", ""},
			{"友盟移动统计SDK", "umeng-analytics"}, {"腾讯BuglySDK", "tencent-bugly"}, {"TalkingdataSDK", "talkingdata"},
			{"个推推送平台SDK", "getui-push"}, {"点阅小说SDK", ""}, {"高德开放平台定位SDK", "amap-location"},
		}},
		{"得间小说", []rowWant{ // TAB table with a header row
			{"百度TTS", ""}, {"百度广告", ""}, {"穿山甲", "pangle-ads"}, {"广点通", "tencent-gdt"}, {"秒针", ""},
			{"腾讯Bugly", "tencent-bugly"}, {"腾讯QQ", "qq-connect"}, {"微信", "wechat-opensdk"}, {"友盟SDK", "umeng-common"},
			{"支付宝", "alipay"}, {"搜狗", ""}, {"快手", "kuaishou-ads"}, {"TalkingData", "talkingdata"}, {"Appic", ""},
			{"华为推送", "hms-push"}, {"OPPO推送", "oppo-push"}, {"VIVO推送", "vivo-push"}, {"小米推送", "xiaomi-push"},
			{"MobGC", ""}, {"传阅", ""},
		}},
		{"阿瓦隆", []rowWant{
			{"个推SDK(华为消息服务、华为HMS SDK Agent、华为HMS核心功能、魅族推送、VIVO推送)", "getui-push"},
			{"个推一键登录sdk(联通小沃SAAS-免密登录、移动授权登录、中国电信账号认证、极验一键登录、中国电信-手机号校验)", "getui-gy"},
			{"友盟SDK", "umeng-common"},
			{"百度定位SDK(百度骑步行导航、百度地图、百度地图Api之认证、百度地图计算功能)", "baidu-map"},
			{"小米推送SDK", "xiaomi-push"}, {"金山云SDK", ""}, {"同盾SDK", ""},
			{"腾讯RTMP推流sdk(腾讯视频通信功能、腾讯云短视频sdk)", "tencent-liteav"}, {"声网", "agora"},
			{"支付宝sdk(设备标识生成库、支付宝安全)", "alipay"}, {"新浪微博sdk", "weibo-sdk"}, {"Bugly SDK", "tencent-bugly"},
			{"QQ登录、分享", "qq-connect"}, {"Firebase", "google-firebase"}, {"移动安全联盟统一QAID", ""},
		}},
		// The README lists 网易云音乐 among the policies with SDK tables, but
		// this copy only lists categories of third-party services ("1、用于广告相关服务…").
		{"网易云音乐", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := readDoc(t, filepath.Join("corpus", "policies", "capp-130", tt.file+".txt"))
			d := Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
			assert.Equal(t, tt.rows, rowsOf(d))
			assert.Equal(t, len(tt.rows) > 0, d.HasSDKList)
		})
	}

	// Field values of a few rows, as written.
	doc := readDoc(t, filepath.Join("corpus", "policies", "capp-130", "得间小说.txt"))
	d := Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
	r := d.SDKs[8]
	assert.Equal(t, SDKRow{ID: "umeng-common", Family: "umeng", Name: "友盟SDK", Company: "友盟同欣(北京)科技有限公司",
		Purpose: "消息推送、一键登录", Data: "设备唯一标识码、设备MAC地址、软件列表", PolicyURL: "https://www.umeng.com/page/policy",
		DataTypes: []string{"MAC地址", "应用列表", "设备标识符"}, Line: LineRef{"得间小说.txt", 68}}, r)
	doc = readDoc(t, filepath.Join("corpus", "policies", "capp-130", "中小学网络云平台.txt"))
	d = Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
	assert.Equal(t, "https://x5.tencent.com/", d.SDKs[0].Website)
	assert.Equal(t, "", d.SDKs[0].PolicyURL)
	assert.Equal(t, "设备信息、网络信息", d.SDKs[0].Data)
	assert.Equal(t, "APP内网页加载展示", d.SDKs[0].Purpose)
}

// TestKEEPPermissionSection pins the permissions KEEP's section "四. Keep App获取的权限"
// (lines 148-178) discloses, checked by hand.
func TestKEEPPermissionSection(t *testing.T) {
	doc := readDoc(t, filepath.Join("corpus", "policies", "capp-130", "KEEP.txt"))
	d := Extract([]*doctext.Document{doc}, Options{Catalogue: testCatalogue(t)})
	var got []string
	for _, p := range d.Permissions {
		for _, l := range p.Lines {
			if l.Line >= 148 && l.Line <= 178 {
				got = append(got, strings.TrimPrefix(p.Name, "android.permission."))
				break
			}
		}
	}
	sort.Strings(got)
	assert.Equal(t, []string{
		"ACCESS_BACKGROUND_LOCATION", // 访问后台位置功能 (168)
		"ACCESS_COARSE_LOCATION",     // 3. 位置权限, 访问粗略位置 (166, 168)
		"ACCESS_FINE_LOCATION",       // 3. 位置权限 (166)
		"ACTIVITY_RECOGNITION",       // 步数 (168)
		"ANSWER_PHONE_CALLS",         // 接听电话权限 (176)
		// 5.电话权限 (174) is used to read the phone state and answer calls: no CALL_PHONE.
		"CAMERA",                // 2. 相机权限 (162)
		"READ_EXTERNAL_STORAGE", // (1)READ_EXTERNAL_STORAGE (152)
		// 1. 存储权限 (150) is storage, not the API 33 media permissions; 相册 (178) is
		// the photo permissions, not the partial-access one.
		"READ_MEDIA_IMAGES",
		"READ_MEDIA_VIDEO",
		"READ_PHONE_STATE",       // 读取您的电话状态 (176)
		"RECORD_AUDIO",           // 4. 麦克风权限 (170)
		"WRITE_EXTERNAL_STORAGE", // (2)WRITE_EXTERNAL_STORAGE (156)
	}, got)
	assert.Contains(t, findPerm(d, "android.permission.READ_EXTERNAL_STORAGE").Phrases, "READ_EXTERNAL_STORAGE")
	assert.True(t, d.HasPermissionSection)
	assert.False(t, d.HasSDKList)
}

// TestNoHeadingRows reads every real policy we have (CAPP-130 and the github
// development set) and checks that no SDK row is a heading or a sentence: a
// name that is only general words about SDKs ("使用的第三方SDK",
// "第三方SDK类服务商"), a field label, or text with a full stop.
func TestNoHeadingRows(t *testing.T) {
	cat, err := sdkdb.Embedded()
	require.NoError(t, err)
	var files []string
	for _, pat := range []string{"capp-130/*.txt", "github/docs/*"} {
		fs, err := filepath.Glob(filepath.Join(sharedDir(t), "corpus", "policies", pat))
		require.NoError(t, err)
		files = append(files, fs...)
	}
	require.Greater(t, len(files), 150)
	for _, f := range files {
		doc, err := doctext.ReadFile(f, limits.Limits{})
		require.NoError(t, err, f)
		for _, r := range Extract([]*doctext.Document{doc}, Options{Catalogue: cat}).SDKs {
			n := squeeze(fold(r.Name))
			assert.False(t, genericName(n), "%s:%d: row %q is a heading", filepath.Base(f), r.Line.Line, r.Name)
			assert.NotEqual(t, fieldName, fieldOf(r.Name), "%s:%d: row %q is a label", filepath.Base(f), r.Line.Line, r.Name)
			assert.NotContains(t, r.Name, "。", "%s:%d: row %q is a sentence", filepath.Base(f), r.Line.Line, r.Name)
		}
	}
}
