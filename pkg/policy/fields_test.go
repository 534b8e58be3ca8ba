package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEveryFieldKey builds, for every key of the reference field table
// (data/policy-fields.tsv) that names an SDK-row field, a key:value block
// under that key and checks that the value lands in its field: the keys are
// data, and a new key in the table is read without new code.
func TestEveryFieldKey(t *testing.T) {
	get := map[string]func(SDKRow) string{
		fieldCompany: func(r SDKRow) string { return r.Company }, fieldPurpose: func(r SDKRow) string { return r.Purpose },
		fieldScenario: func(r SDKRow) string { return r.Purpose }, fieldData: func(r SDKRow) string { return r.Data },
		fieldPolicyURL: func(r SDKRow) string { return r.PolicyURL }, fieldWebsite: func(r SDKRow) string { return r.Website },
		fieldPackage: func(r SDKRow) string { return r.Package },
	}
	n := 0
	for _, line := range strings.Split(fieldsTSV, "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 2 || strings.HasPrefix(line, "#") || f[0] == "key" {
			continue
		}
		key, canonical := f[0], f[1]
		g, ok := get[canonical]
		if !ok {
			continue
		}
		n++
		value := "示例值" + key
		if canonical == fieldPolicyURL || canonical == fieldWebsite {
			value = "https://example.com/" + canonical
		}
		text := "第三方SDK名称：友盟统计分析SDK\n" + key + "：" + value + "\n使用目的：统计分析\n"
		if canonical == fieldPurpose || canonical == fieldScenario {
			text = "第三方SDK名称：友盟统计分析SDK\n" + key + "：" + value + "\n"
		}
		d := extractText(t, text, nil)
		if assert.Len(t, d.SDKs, 1, "key %q", key) {
			assert.Contains(t, g(d.SDKs[0]), value, "key %q (%s)", key, canonical)
		}
	}
	assert.Greater(t, n, 60, "SDK-row keys in the table")
}

// TestUnknownLabelInBlock: a label the table does not know neither ends the
// block nor glues into the field before it.
func TestUnknownLabelInBlock(t *testing.T) {
	d := extractText(t, "SDK名称：支付宝SDK\n公司名称：支付宝(中国)网络技术有限公司\n备注：仅在购买时调用\n使用目的：支付\n收集个人信息类型：设备信息\n", nil)
	if assert.Len(t, d.SDKs, 1) {
		r := d.SDKs[0]
		assert.Equal(t, "支付宝(中国)网络技术有限公司", r.Company)
		assert.Equal(t, "支付", r.Purpose)
		assert.Equal(t, "设备信息", r.Data)
	}
}
