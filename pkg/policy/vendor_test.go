package policy

import (
	"fmt"
	"testing"

	"github.com/apkaudit/apkaudit/sdkdb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMatchNamingClasses maps rows of each class of naming that real
// policies use to the embedded catalogue: a company of another vendor group
// vetoes a weak match but not a name that carries the entry's brand or is
// its own alias; group companies and unknown subsidiaries veto nothing;
// generic and product-only names resolve through their company or purpose;
// glued Latin names lose their platform. The rows are written for the
// class, not copied from any document.
func TestMatchNamingClasses(t *testing.T) {
	cat, err := sdkdb.Embedded()
	require.NoError(t, err)
	m := newMatcher(cat)
	tests := []struct {
		name string
		row  SDKRow
		id   string
	}{
		// A contradicting company vetoes.
		{"generic alias, company of another group", SDKRow{Name: "号码认证SDK", Company: "深圳市腾讯计算机系统有限公司"}, ""},
		{"generic alias, no company", SDKRow{Name: "中国移动号码认证SDK"}, "cmcc-auth"},
		{"bracketed part of an entry's name, company of another group", SDKRow{Name: "Chromium", Company: "Google LLC"}, ""},
		{"fuzzy hit, company of another group", SDKRow{Name: "百度 OAID SDK", Company: "北京百度网讯科技有限公司"}, ""},
		// ... but not a name carrying the entry's brand, nor its own alias.
		{"brand in the name, aggregator's company", SDKRow{Name: "小米 PUSH SDK", Company: "每日互动股份有限公司"}, "xiaomi-push"},
		{"brand in the name, group company", SDKRow{Name: "抖音SDK", Company: "北京字节跳动网络技术有限公司"}, "douyin-opensdk"},
		{"own alias, another group's company", SDKRow{Name: "穿山甲SDK", Company: "深圳市腾讯计算机系统有限公司"}, "pangle-ads"},
		// Group companies and companies the catalogue does not know veto nothing.
		{"another legal entity of the group", SDKRow{Name: "腾讯云对象存储SDK", Company: "深圳市腾讯计算机系统有限公司"}, "tencent-cos"},
		{"a subsidiary the catalogue does not list", SDKRow{Name: "vivo推送SDK", Company: "广东天宸网络科技有限公司"}, "vivo-push"},
		{"a Latin word inside another word is no vendor", SDKRow{Name: "号码认证SDK", Company: "Education Ltd"}, "cmcc-auth"},
		// Generic and product-only names through company or purpose.
		{"brand alone, purpose: the alias brand+function", SDKRow{Name: "头条 SDK", Company: "北京字节跳动网络技术有限公司", Purpose: "广告投放"}, "pangle-ads"},
		{"brand + function the entry does not do, company and purpose confirm", SDKRow{Name: "bilibili联运SDK", Company: "上海宽娱数码科技有限公司", Purpose: "用于bilibili平台登录和支付"}, "bilibili-oauth"},
		{"brand + function the entry does not do, no confirmation", SDKRow{Name: "bilibili联运SDK"}, ""},
		{"Latin product name sharing a word with the company's entry", SDKRow{Name: "ShareContent SDK", Company: "广州掌淘网络科技有限公司", Purpose: "第三方登录、分享"}, "mobtech-sharesdk"},
		{"Latin product name, a cell of many companies", SDKRow{Name: "ExoPlayer", Company: "当前APP、字节跳动SDK、腾讯Bugly"}, ""},
		{"an alias in the purpose that names the carrier", SDKRow{Name: "腾讯图灵盾风险识别SDK", Company: "深圳市腾讯计算机系统有限公司", Purpose: "由优量汇SDK集成，提供反作弊"}, ""},
		{"an alias in the purpose that names the SDK", SDKRow{Name: "腾讯开发平台SDK", Company: "腾讯科技(深圳)有限公司", Purpose: "微信分享"}, "wechat-opensdk"},
		{"a brand's channel SDK is its 联运 SDK", SDKRow{Name: "小米渠道SDK", Company: "小米科技有限责任公司"}, "xiaomi-game"},
		{"a brand with no channel SDK: not its ads union", SDKRow{Name: "百度渠道SDK", Company: "百度在线网络技术(北京)有限公司"}, ""},
		// A family name whose purpose dwells on one kit's function.
		{"family name, purpose mostly analytics", SDKRow{Name: "友盟+", Company: "友盟同欣(北京)科技有限公司", Purpose: "数据统计分析；应用崩溃监控；提供统计分析服务；发送统计数据"}, "umeng-analytics"},
		{"family name, purpose names two functions alike", SDKRow{Name: "友盟SDK", Purpose: "分享、登录"}, "umeng-common"},
		// Glued Latin names.
		{"brand glued to product and platform", SDKRow{Name: "AliyunOSSiOS", Purpose: "上传文件"}, "aliyun-oss"},
		{"product and platform", SDKRow{Name: "JPushAndroid"}, "jpush"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _ := m.match(&tt.row)
			assert.Equal(t, tt.id, entryID(e), "%+v", tt.row)
		})
	}
}

// TestVendorGroups checks the groups read from the catalogue: legal
// entities joined by a shared brand are one group, other vendors are not.
func TestVendorGroups(t *testing.T) {
	cat, err := sdkdb.Embedded()
	require.NoError(t, err)
	m := newMatcher(cat)
	byID := map[string]*sdkdb.Entry{}
	for _, e := range cat.Entries {
		byID[e.ID] = e
	}
	same := [][2]string{{"tencent-gdt", "tencent-cos"}, {"alipay", "aliyun-oss"}, {"alipay", "alibaba-utdid"}, {"pangle-ads", "volcengine-applog"}, {"hms-push", "huawei-webview"}}
	for _, p := range same {
		assert.Equal(t, m.group[byID[p[0]]], m.group[byID[p[1]]], "%s and %s are one group", p[0], p[1])
	}
	apart := [][2]string{{"tencent-gdt", "cmcc-auth"}, {"huawei-webview", "google-admob"}, {"getui-push", "xiaomi-push"}, {"umeng-common", "jpush"}}
	for _, p := range apart {
		assert.NotEqual(t, m.group[byID[p[0]]], m.group[byID[p[1]]], "%s and %s are apart", p[0], p[1])
	}
}

// TestGroupVendorsIsThePairwiseDefinition: the indexed grouping of
// groupVendors puts two entries in one group exactly when the definition,
// tested pair by pair (companyNames of every vendor name against every
// brand), does, on the embedded catalogue and on a generated one whose
// names hold brands at every position, inside Latin words and as parts.
func TestGroupVendorsIsThePairwiseDefinition(t *testing.T) {
	cat, err := sdkdb.Embedded()
	require.NoError(t, err)
	gen := &sdkdb.Catalogue{}
	vendors := []string{"星河", "星河云", "北京星河科技有限公司", "Acme", "AcmeSoft Inc", "acme cloud ltd", "上海月光网络有限公司", "月光", "光网", "Acmesoft", "Zeta", "Zetaware GmbH"}
	for i, v := range vendors {
		gen.Entries = append(gen.Entries, &sdkdb.Entry{ID: fmt.Sprintf("g-%d", i), Vendor: v})
	}
	for _, c := range []*sdkdb.Catalogue{cat, gen} {
		m := &matcher{}
		m.groupVendors(c)
		want := pairwiseGroups(c)
		for _, a := range c.Entries {
			for _, b := range c.Entries {
				assert.Equal(t, want[a] == want[b], m.group[a] == m.group[b], "%s (%s) and %s (%s)", a.ID, a.Vendor, b.ID, b.Vendor)
			}
		}
	}
}

// pairwiseGroups is the grouping of vendor.go's comment, computed by testing
// every pair: entries sharing a vendor name, and brands joined to every name
// that names them. It returns each entry's group representative.
func pairwiseGroups(c *sdkdb.Catalogue) map[*sdkdb.Entry]*sdkdb.Entry {
	parent := map[*sdkdb.Entry]*sdkdb.Entry{}
	var find func(e *sdkdb.Entry) *sdkdb.Entry
	find = func(e *sdkdb.Entry) *sdkdb.Entry {
		if parent[e] == e {
			return e
		}
		return find(parent[e])
	}
	names := map[string][]*sdkdb.Entry{}
	for _, e := range c.Entries {
		parent[e] = e
		for _, v := range append([]string{e.Vendor}, e.VendorAliases...) {
			if k := normCompany(v); k != "" {
				names[k] = append(names[k], e)
			}
		}
	}
	union := func(a, b *sdkdb.Entry) { parent[find(a)] = find(b) }
	for _, es := range names {
		for _, e := range es[1:] {
			union(e, es[0])
		}
	}
	for b := range names {
		if !isBrand(b) {
			continue
		}
		for k := range names {
			if k != b && companyNames(k, b) {
				union(names[k][0], names[b][0])
			}
		}
	}
	out := map[*sdkdb.Entry]*sdkdb.Entry{}
	for _, e := range c.Entries {
		out[e] = find(e)
	}
	return out
}
