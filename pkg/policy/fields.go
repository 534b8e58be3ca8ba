package policy

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:generate go run gen.go

// fieldsTSV is the key, canonical and context columns of the reference
// policy-fields.tsv (field labels of SDK lists and permission tables).
//
//go:embed data/policy-fields.tsv
var fieldsTSV string

// Canonical field names of SDK-list and permission-table labels.
const (
	fieldName       = "sdk_name"
	fieldCompany    = "company"
	fieldPurpose    = "purpose"
	fieldScenario   = "scenario"
	fieldData       = "data"
	fieldMethod     = "method"
	fieldPolicyURL  = "policy_url"
	fieldWebsite    = "website"
	fieldPackage    = "package"
	fieldCategory   = "category"
	fieldContact    = "contact"
	fieldPermission = "permission_name"
)

// extraFields are labels seen in real SDK lists that the reference table lacks.
var extraFields = map[string]string{
	"隐私协议地址": fieldPolicyURL, "隐私协议": fieldPolicyURL, "隐私链接": fieldPolicyURL, "隐私政策url": fieldPolicyURL,
	"sdk隐私政策": fieldPolicyURL, "隐私权政策": fieldPolicyURL,
	"sdk官网": fieldWebsite, "官网": fieldWebsite,
	"调用权限": fieldPermission, "sdk申请的权限": fieldPermission,
	"接入方式": fieldMethod, "sdk包名": fieldPackage,
	"服务功能": fieldPurpose, "收集类型": fieldData, "信息类型": fieldData,
	"第三方公司": fieldCompany, "所属机构": fieldCompany, "所属机构名称": fieldCompany, "运营公司": fieldCompany,
	"提供方主体名称": fieldCompany, "获取信息": fieldData, "收集个人信息字段": fieldData,
	"第三方sdk提供方": fieldCompany, "sdk开发者": fieldCompany,
	"sdk服务商": fieldCompany, "服务商名称": fieldCompany, "公司": fieldCompany, "厂商": fieldCompany,
	// The sharing list of the 双清单 (第三方共享个人信息清单): who receives what, for what.
	"接收方": fieldCompany, "接收方名称": fieldCompany, "数据接收方": fieldCompany, "共享对象": fieldCompany,
	"共享目的": fieldPurpose, "共享用途": fieldPurpose, "共享场景": fieldScenario,
	"共享个人信息": fieldData, "共享信息": fieldData, "共享信息字段": fieldData, "共享数据": fieldData,
}

// rowStartKeys are the sdk_name labels specific enough to open a new SDK row
// anywhere; the generic ones (产品名称, 合作方名称) open one only inside an SDK block.
func rowStartKey(k string) bool {
	return strings.Contains(k, "sdk") || strings.Contains(k, "插件") || strings.Contains(k, "第三方")
}

// fields maps a normalised label to its canonical field.
var fields = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(fieldsTSV, "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "key\t") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 {
			continue
		}
		m[normKey(f[0])] = f[1]
	}
	for k, v := range extraFields {
		m[normKey(k)] = v
	}
	return m
})

// normKey is the comparison form of a field label: folded, no spaces, no
// markup, no "的", no leading numbering.
func normKey(s string) string {
	s = squeeze(fold(s))
	s = strings.Trim(s, "*#|:：.、 ")
	s = strings.ReplaceAll(s, "的", "")
	return s
}

// fieldOf returns the canonical field a label names, or "" when it names none.
// It tries the whole label, then the part outside and inside brackets
// ("服务类型(使用目的)"), then the parts around '/', then a known key of at
// least three runes that ends the label after a prefix of at most three
// runes ("使用SDK名称").
func fieldOf(label string) string {
	k := normKey(label)
	if k == "" || utf8.RuneCountInString(k) > 24 {
		return ""
	}
	m := fields()
	if c, ok := m[k]; ok {
		return c
	}
	var parts []string
	if i := strings.IndexAny(k, ",，"); i > 0 {
		// "第三方隐私政策链接，仅供参考"
		parts = append(parts, k[:i])
	}
	if i := strings.IndexAny(k, "(（"); i > 0 {
		inner := strings.Trim(k[i:], "()（）")
		parts = append(parts, k[:i], inner)
	}
	parts = append(parts, strings.FieldsFunc(k, func(r rune) bool { return r == '/' || r == '、' || r == '及' || r == '或' })...)
	for _, p := range parts {
		if c, ok := m[p]; ok && p != k {
			return c
		}
	}
	// The longest known key of three runes or more that ends the label
	// after a prefix of at most four runes (and no longer than the key).
	best := ""
	for j, cut := 0, 0; j < 4 && cut < len(k); j++ {
		_, size := utf8.DecodeRuneInString(k[cut:])
		cut += size
		rest := k[cut:]
		if n := utf8.RuneCountInString(rest); n >= 3 && j+1 <= n {
			if c, ok := m[rest]; ok {
				best = c
				break
			}
		}
	}
	if best == "" && utf8.RuneCountInString(k) <= 10 {
		// Who provides the SDK, in any words ending so ("合作方主体", "SDK所属公司").
		for _, suf := range []string{"公司", "机构", "主体", "厂商", "提供方", "运营方", "开发者"} {
			if strings.HasSuffix(k, suf) {
				return fieldCompany
			}
		}
	}
	if best == "" {
		// Two labels of one field run together ("用途目的").
		for i := range k {
			if i == 0 || !utf8.RuneStart(k[i]) {
				continue
			}
			if a, ok := m[k[:i]]; ok {
				if b, ok := m[k[i:]]; ok && a == b {
					return a
				}
			}
		}
	}
	if best == "" {
		// A label cut or misspelt in its Latin part ("dk用途" for "sdk用途").
		if rest := strings.TrimLeft(k, "abcdefghijklmnopqrstuvwxyz"); rest != k && len(k)-len(rest) <= 3 {
			if c, ok := m[rest]; ok {
				return c
			}
		}
	}
	return best
}
