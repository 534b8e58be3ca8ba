package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDataTypeInEnglish: English reports name a data type in English and
// keep the canonical name (the JSON value, the policy's wording) beside it.
func TestDataTypeInEnglish(t *testing.T) {
	for _, c := range []struct{ t, detail, want string }{
		{"位置信息", "", "location (位置信息)"},
		{"位置信息", "基站信息", "location (位置信息, 基站信息)"},
		{"应用列表", "已安装应用", "installed-app list (应用列表, 已安装应用)"},
		{"MAC地址", "", "MAC address (MAC地址)"},
		{"IMEI", "", "IMEI"},
		{"OAID", "VAID", "OAID (VAID)"},
		{"不在词表中", "", "不在词表中"},
		{"", "", ""},
	} {
		assert.Equal(t, c.want, DataTypeInEnglish(c.t, c.detail), "%q %q", c.t, c.detail)
	}
}

// TestDataTypesHaveEnglishNames: every canonical type has an English name in
// ASCII, so a type added to the vocabulary without one fails here.
func TestDataTypesHaveEnglishNames(t *testing.T) {
	for _, x := range dataTypeTable {
		assert.NotEmpty(t, x.english, x.canonical)
		for _, r := range x.english {
			if r > 0x7e {
				t.Errorf("%s: English name %q is not ASCII", x.canonical, x.english)
				break
			}
		}
	}
}
