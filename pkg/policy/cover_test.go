package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCoveredSuccessors: group wording, Chinese or a literal permission
// name, covers the permissions later Android versions split from the
// group, unless the text names them itself; nothing else is covered.
func TestCoveredSuccessors(t *testing.T) {
	tests := []struct {
		name, text string
		want       map[string][]string // covered permission → By (short names)
	}{
		{"存储 covers the media permissions", "权限说明\n我们会申请存储权限，用于保存文件。",
			map[string][]string{"READ_MEDIA_IMAGES": {"READ_EXTERNAL_STORAGE"}, "READ_MEDIA_VIDEO": {"READ_EXTERNAL_STORAGE"},
				"READ_MEDIA_AUDIO": {"READ_EXTERNAL_STORAGE"}, "READ_MEDIA_VISUAL_USER_SELECTED": {"READ_EXTERNAL_STORAGE"}}},
		{"a literal name covers as its wording does", "We request android.permission.READ_EXTERNAL_STORAGE to read files.",
			map[string][]string{"READ_MEDIA_IMAGES": {"READ_EXTERNAL_STORAGE"}, "READ_MEDIA_VIDEO": {"READ_EXTERNAL_STORAGE"},
				"READ_MEDIA_AUDIO": {"READ_EXTERNAL_STORAGE"}, "READ_MEDIA_VISUAL_USER_SELECTED": {"READ_EXTERNAL_STORAGE"}}},
		{"相册 discloses images and videos and covers partial access", "权限说明\n我们会申请相册权限，用于上传头像。",
			map[string][]string{"READ_MEDIA_AUDIO": {"READ_EXTERNAL_STORAGE"},
				"READ_MEDIA_VISUAL_USER_SELECTED": {"READ_EXTERNAL_STORAGE", "READ_MEDIA_IMAGES", "READ_MEDIA_VIDEO"}}},
		{"蓝牙 covers scanning and advertising", "权限说明\n我们会申请蓝牙权限，用于连接设备。",
			map[string][]string{"BLUETOOTH_SCAN": {"BLUETOOTH"}, "BLUETOOTH_ADVERTISE": {"BLUETOOTH"}}},
		{"a successor named itself is disclosed, not covered", "权限说明\n我们会申请存储权限。我们会申请 android.permission.READ_MEDIA_IMAGES 读取照片。",
			map[string][]string{"READ_MEDIA_VIDEO": {"READ_EXTERNAL_STORAGE"}, "READ_MEDIA_AUDIO": {"READ_EXTERNAL_STORAGE"},
				"READ_MEDIA_VISUAL_USER_SELECTED": {"READ_EXTERNAL_STORAGE", "READ_MEDIA_IMAGES"}}},
		{"no group wording, nothing covered", "权限说明\n我们会申请相机权限，用于扫码。", map[string][]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := extractText(t, tt.text, nil)
			got := map[string][]string{}
			for _, c := range d.Covered {
				var by []string
				for _, b := range c.By {
					by = append(by, shortName(b))
				}
				got[shortName(c.Name)] = by
				assert.NotEmpty(t, c.Phrases, c.Name)
				assert.NotEmpty(t, c.Lines, c.Name)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
