package sdkdb

// evidenceNamesZh are the Chinese names of the evidence kinds, as a Chinese
// report shows them.
var evidenceNamesZh = map[string]string{
	EvidenceDexPackage:        "DEX包",
	EvidenceNativeLib:         "原生库",
	EvidenceNativeJNI:         "JNI类",
	EvidenceComponent:         "组件",
	EvidenceMetaData:          "元数据",
	EvidencePermissionDefined: "自定义权限",
	EvidenceAsset:             "资源文件",
	EvidenceString:            "字符串",
	EvidenceVersionFile:       "版本文件",
	"code-call":               "代码调用",
}

// EvidenceNameZh is the Chinese name of evidence kind kind, or kind itself
// when it has none.
func EvidenceNameZh(kind string) string {
	if zh, ok := evidenceNamesZh[kind]; ok {
		return zh
	}
	return kind
}
