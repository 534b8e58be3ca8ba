package policy

// The layout fixtures: one document of our own per SDK-list layout class of
// issue 11 (testdata/policies/layouts, sources committed), each read as
// written and, where LibreOffice converts it (make fixtures), as the DOCX,
// PDF and plain text that LibreOffice and pdftotext make of it. Every
// expectation was written by hand from the source document.

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/sdkdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// layoutRow is what a fixture row must come out as. Company and URL are
// checked when set; Also lists the other ids of a row naming several SDKs.
type layoutRow struct {
	id, company, url string
	also             []string
	purpose, data    bool
}

// layoutCase is one fixture document: its rows in document order (by id),
// the permissions it discloses, and the converted variants that must give
// the same rows (links behind text are lost in PDF and plain text, so those
// variants check ids only).
type layoutCase struct {
	file     string
	rows     []layoutRow
	perms    []string
	variants []string // suffixes of the converted files in testdata/policies/generated/layouts
	idsOnly  []string // variants whose rows are checked by id only
	// converted overrides rows for a variant whose conversion moved content.
	converted map[string][]layoutRow
	// unread marks a source in a format apkaudit does not read (flat ODF):
	// only its conversions are.
	unread bool
}

// numberedTextRows are numbered.fodt's rows where the conversion keeps the
// link text, not the link (plain text, PDF).
var numberedTextRows = []layoutRow{
	{id: "jpush", company: "深圳市和讯华谷信息技术有限公司", url: "https://www.jiguang.cn/license/privacy", purpose: true, data: true},
	{id: "getui-push", company: "每日互动股份有限公司", url: "个推用户隐私政策", purpose: true, data: true},
	{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
}

var layoutCases = []layoutCase{
	{
		file: "kv-blocks.md", // bold list item, outline-numbered heading, "14.1.1 SDK名称：", bare first line, nested list, unknown label
		rows: []layoutRow{
			{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
			{id: "amap-map", company: "高德软件有限公司", url: "https://lbs.amap.com/pages/privacy/", purpose: true, data: true},
			{id: "alipay", company: "支付宝(中国)网络技术有限公司", url: "https://render.alipay.com/p/c/k2cx0tg8", purpose: true, data: true},
			{id: "oppo-push", company: "广东欢太科技有限公司", url: "https://open.oppomobile.com/new/developmentDoc/info?id=10288", purpose: true, data: true},
			{id: "getui-push", company: "每日互动股份有限公司", url: "https://docs.getui.com/privacy/", purpose: true, data: true},
			{id: "weibo-sdk", company: "北京微梦创科网络技术有限公司", url: "https://www.weibo.com/signup/v5/privacy", purpose: true, data: true},
		},
		perms: []string{"ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION"},
	},
	{
		file: "kv-blocks.html", // bold line, <strong> labels with <br>, heading, URL in prose, <pre> block
		rows: []layoutRow{
			{id: "jpush", company: "深圳市和讯华谷信息技术有限公司", url: "https://www.jiguang.cn/license/privacy", purpose: true, data: true},
			{id: "tencent-bugly", company: "深圳市腾讯计算机系统有限公司", url: "https://privacy.qq.com/document/preview/fc748b3d96224fdb825ea79e132c1a56", purpose: true, data: true},
			{id: "pangle-ads", company: "北京巨量引擎网络技术有限公司", url: "https://www.csjplatform.com/privacy", purpose: true, data: true},
			{id: "shanyan", company: "上海璟梦信息科技有限公司", url: "https://shanyan.253.com/document/details?lid=519&cid=93", purpose: true, data: true},
		},
		perms:    []string{"ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION"},
		variants: []string{".docx", ".pdf", ".txt", ".pdftotext.txt"},
		idsOnly:  []string{".pdf", ".txt", ".pdftotext.txt"},
	},
	{
		file: "tables.html", // permission table, SDK table (colspan title, rowspan, 第三方公司, name+company cell, nested table), data table, sharing list
		rows: []layoutRow{
			{id: "hms-push", company: "华为软件技术有限公司", url: "https://developer.huawei.com/consumer/cn/doc/development/HMSCore-Guides/sdk-data-security-0000001050042177", purpose: true, data: true},
			{id: "xiaomi-push", company: "北京小米移动软件有限公司", url: "https://dev.mi.com/console/doc/detail?pId=1822", purpose: true, data: true},
			{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
			{id: "sensors-analytics", company: "神策网络科技(北京)有限公司", url: "https://www.sensorsdata.cn/compliance/privacy.html", purpose: true, data: true},
			{id: "amap-location", company: "高德软件有限公司", url: "https://lbs.amap.com/pages/privacy/", purpose: true, data: true},
			// The sharing list: recipients are rows of no catalogue id, named by their company.
			{id: "", company: "示例速递物流有限公司", purpose: true, data: true},
			{id: "", company: "示例通信技术有限公司", purpose: true, data: true},
		},
		perms:    []string{"ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION", "CAMERA", "RECORD_AUDIO"},
		variants: []string{".docx", ".pdf"},
		// LibreOffice moves the nested table into the cell before it (使用目的),
		// so the DOCX and PDF rows of 高德定位SDK have an empty data cell; a
		// PDF keeps no link behind "隐私政策"; its cells wrap over lines and
		// over the rowspan's rows, and are joined back.
		converted: map[string][]layoutRow{".pdf": {
			{id: "hms-push", company: "华为软件技术有限公司", url: "隐私政策", purpose: true, data: true},
			{id: "xiaomi-push", company: "北京小米移动软件有限公司", url: "隐私政策", purpose: true, data: true},
			{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
			{id: "sensors-analytics", company: "神策网络科技(北京)有限公司", url: "https://www.sensorsdata.cn/compliance/privacy.html", purpose: true, data: true},
			{id: "amap-location", company: "高德软件有限公司", url: "https://lbs.amap.com/pages/privacy/", purpose: true},
			{id: "", company: "示例速递物流有限公司", purpose: true, data: true},
			{id: "", company: "示例通信技术有限公司", purpose: true, data: true},
		}, ".docx": {
			{id: "hms-push", company: "华为软件技术有限公司", url: "https://developer.huawei.com/consumer/cn/doc/development/HMSCore-Guides/sdk-data-security-0000001050042177", purpose: true, data: true},
			{id: "xiaomi-push", company: "北京小米移动软件有限公司", url: "https://dev.mi.com/console/doc/detail?pId=1822", purpose: true, data: true},
			{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
			{id: "sensors-analytics", company: "神策网络科技(北京)有限公司", url: "https://www.sensorsdata.cn/compliance/privacy.html", purpose: true, data: true},
			{id: "amap-location", company: "高德软件有限公司", url: "https://lbs.amap.com/pages/privacy/", purpose: true},
			{id: "", company: "示例速递物流有限公司", purpose: true, data: true},
			{id: "", company: "示例通信技术有限公司", purpose: true, data: true},
		}},
	},
	{
		file: "vertical.html", // one two-column table per SDK, labels on the left
		rows: []layoutRow{
			{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
			{id: "jpush", company: "深圳市和讯华谷信息技术有限公司", url: "https://www.jiguang.cn/license/privacy", purpose: true, data: true},
		},
		variants: []string{".docx", ".pdf", ".txt"},
		idsOnly:  []string{".pdf", ".txt"},
	},
	{
		file: "tables.md", // pipe table indented with leading pipes and links in cells, pipe table without leading pipes, permission table
		rows: []layoutRow{
			{id: "wechat-opensdk", company: "深圳市腾讯计算机系统有限公司", url: "https://weixin.qq.com/cgi-bin/readtemplate?lang=zh_CN&t=weixin_agreement&s=privacy", purpose: true, data: true},
			{id: "qq-connect", company: "深圳市腾讯计算机系统有限公司", url: "https://wiki.connect.qq.com/qq%E4%BA%92%E8%81%94sdk%E9%9A%90%E7%A7%81%E4%BF%9D%E6%8A%A4%E5%A3%B0%E6%98%8E", purpose: true, data: true},
			{id: "baidu-location", purpose: true, data: true},
			{id: "tencent-x5", purpose: true, data: true},
		},
		perms: []string{"ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION", "READ_EXTERNAL_STORAGE", "WRITE_EXTERNAL_STORAGE"},
	},
	{
		file: "kv-oneline.txt", // several label：value pairs on one line, after ；, ， or a space
		rows: []layoutRow{
			{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
			{id: "jpush", company: "深圳市和讯华谷信息技术有限公司", url: "https://www.jiguang.cn/license/privacy", purpose: true, data: true},
			{id: "tencent-bugly", company: "深圳市腾讯计算机系统有限公司", url: "https://privacy.qq.com/document/preview/fc748b3d96224fdb825ea79e132c1a56", purpose: true, data: true},
		},
		variants: []string{".docx"},
	},
	{
		file: "tab.txt", // TAB-separated columns
		rows: []layoutRow{
			{id: "jpush", company: "深圳市和讯华谷信息技术有限公司", url: "https://www.jiguang.cn/license/privacy", purpose: true, data: true},
			{id: "getui-push", company: "每日互动股份有限公司", url: "https://docs.getui.com/privacy/", purpose: true, data: true},
		},
		variants: []string{".docx"},
	},
	{
		file: "cells.txt", // one cell per line, and a header whose cells run together
		rows: []layoutRow{
			{id: "pangle-ads", company: "北京巨量引擎网络技术有限公司", url: "https://www.csjplatform.com/privacy", purpose: true},
			{id: "tencent-bugly", company: "深圳市腾讯计算机系统有限公司", url: "https://privacy.qq.com/document/preview/fc748b3d96224fdb825ea79e132c1a56", purpose: true},
			{id: "shanyan", url: "https://shanyan.253.com/document/details?lid=519&cid=93", purpose: true, data: true},
		},
		variants: []string{".docx", ".pdftotext.txt"},
	},
	{
		file: "prose.txt", // numbered, bulleted and bare prose items naming an SDK and its company, a book-title quoted name; headings and sentences are no rows
		rows: []layoutRow{
			{id: "umeng-push", company: "友盟同欣(北京)科技有限公司", purpose: true, data: true},
			{id: "weibo-sdk", company: "北京微梦创科网络技术有限公司", purpose: true, data: true},
			{id: "alipay", purpose: true},
			{id: "jpush", company: "深圳市和讯华谷信息技术有限公司", url: "https://www.jiguang.cn/license/privacy", purpose: true, data: true},
			{id: "amap-map", purpose: true, data: true},
		},
		variants: []string{".docx", ".pdf", ".pdftotext.txt"},
	},
	{
		file: "numbered.fodt", // automatic numbering 一、/1./a): categories, SDK names, their fields; a numbered permission list
		rows: []layoutRow{
			{id: "jpush", company: "深圳市和讯华谷信息技术有限公司", url: "https://www.jiguang.cn/license/privacy", purpose: true, data: true},
			{id: "getui-push", company: "每日互动股份有限公司", url: "https://docs.getui.com/privacy/", purpose: true, data: true},
			{id: "umeng-analytics", company: "友盟同欣(北京)科技有限公司", url: "https://www.umeng.com/page/policy", purpose: true, data: true},
		},
		perms:    []string{"ACCESS_COARSE_LOCATION", "ACCESS_FINE_LOCATION", "CAMERA"},
		unread:   true,
		variants: []string{".docx", ".txt", ".pdf", ".pdftotext.txt"},
		// The link behind 个推用户隐私政策 survives only in the DOCX.
		converted: map[string][]layoutRow{".txt": numberedTextRows, ".pdf": numberedTextRows, ".pdftotext.txt": numberedTextRows},
	},
	{
		file: "multi.txt", // a row naming six push channels, a family with its kits, a generic name and its company, 百度定位 next to 百度地图
		rows: []layoutRow{
			{id: "hms-push", also: []string{"xiaomi-push", "vivo-push", "oppo-push", "meizu-push", "honor-push"}, purpose: true, data: true},
			{id: "umeng-analytics", also: []string{"umeng-push", "umeng-share"}, company: "友盟同欣(北京)科技有限公司", purpose: true},
			{id: "sensors-analytics", company: "神策网络科技(北京)有限公司", purpose: true},
			{id: "baidu-location", company: "北京百度网讯科技有限公司", purpose: true},
		},
		variants: []string{".docx", ".pdftotext.txt"},
	},
}

// TestLayoutFixtures reads every layout fixture and its converted variants.
func TestLayoutFixtures(t *testing.T) {
	cat, err := sdkdb.Embedded()
	require.NoError(t, err)
	src := filepath.Join("..", "..", "testdata", "policies", "layouts")
	gen := filepath.Join("..", "..", "testdata", "policies", "generated", "layouts")
	for _, tc := range layoutCases {
		checkPerms := func(t *testing.T, d *Disclosure) {
			var perms []string
			for _, p := range d.Permissions {
				perms = append(perms, strings.TrimPrefix(p.Name, "android.permission."))
			}
			assert.Equal(t, tc.perms, perms, "permissions")
		}
		if !tc.unread {
			t.Run(tc.file, func(t *testing.T) {
				d := readLayout(t, filepath.Join(src, tc.file), cat)
				checkLayoutRows(t, tc.rows, d.SDKs, false)
				checkPerms(t, d)
			})
		}
		for _, v := range tc.variants {
			t.Run(tc.file+v, func(t *testing.T) {
				p := filepath.Join(gen, tc.file+v)
				if _, err := os.Stat(p); err != nil {
					t.Skipf("%s is not built (make fixtures converts the layout fixtures with LibreOffice): %v", p, err)
				}
				d := readLayout(t, p, cat)
				want := tc.rows
				if rows, ok := tc.converted[v]; ok {
					want = rows
				}
				checkLayoutRows(t, want, d.SDKs, slices.Contains(tc.idsOnly, v))
				if tc.unread {
					checkPerms(t, d) // the conversions stand for the source
				}
			})
		}
	}
}

func readLayout(t *testing.T, path string, cat *sdkdb.Catalogue) *Disclosure {
	t.Helper()
	doc, err := doctext.ReadFile(path, limits.Limits{})
	require.NoError(t, err)
	return Extract([]*doctext.Document{doc}, Options{Catalogue: cat})
}

func checkLayoutRows(t *testing.T, want []layoutRow, got []SDKRow, idsOnly bool) {
	t.Helper()
	var ids []string
	for _, r := range got {
		ids = append(ids, r.ID)
	}
	var wantIDs []string
	for _, w := range want {
		wantIDs = append(wantIDs, w.id)
	}
	if !assert.Equal(t, wantIDs, ids, "row ids") || idsOnly {
		return
	}
	for i, w := range want {
		r := got[i]
		if w.company != "" {
			assert.Equal(t, w.company, r.Company, "%s company", w.id)
		}
		if w.url != "" {
			assert.Equal(t, w.url, r.PolicyURL, "%s policy link", w.id)
		}
		assert.Equal(t, w.also, r.Also, "%s also", w.id)
		assert.Equal(t, w.purpose, r.Purpose != "", "%s purpose %q", w.id, r.Purpose)
		assert.Equal(t, w.data, r.Data != "", "%s data %q", w.id, r.Data)
	}
}
