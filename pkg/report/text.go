package report

import (
	"fmt"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// labels holds every heading and label the human-readable formats print, in English and Chinese.
var labels = map[string][2]string{
	"report":              {"apkaudit report", "apkaudit 审计报告"},
	"diff-title":          {"apkaudit diff: what the new build changes", "apkaudit 版本对比：新版本的变化"},
	"added-permissions":   {"Permissions added", "新增权限"},
	"removed-permissions": {"Permissions removed", "移除的权限"},
	"added-sdks":          {"SDKs added", "新增第三方SDK"},
	"removed-sdks":        {"SDKs removed", "移除的第三方SDK"},
	"sdk-versions":        {"SDK versions changed", "第三方SDK版本变化"},
	"native":              {"Native libraries", "原生库"},
	"abi":                 {"ABI", "ABI"},
	"soname":              {"Soname", "Soname"},
	"jni-classes":         {"JNI classes", "JNI 类"},
	"undisclosed":         {"NOT DISCLOSED in the policy", "隐私政策未披露"},
	"sensitive-tag":       {"sensitive", "敏感"},
	"artifact":            {"Artifact", "构建文件"},
	"app":                 {"App", "应用"},
	"package":             {"Package", "包名"},
	"version":             {"Version", "版本"},
	"label":               {"Label", "应用名称"},
	"sdk-range":           {"SDK (min/target)", "SDK（最低/目标）"},
	"kind":                {"Kind", "类型"},
	"size":                {"Size", "大小"},
	"sha256":              {"SHA-256", "SHA-256"},
	"code":                {"Code", "代码"},
	"code-summary":        {"%d DEX files, %d classes, %d packages", "%d 个 DEX 文件，%d 个类，%d 个包"},
	"permissions":         {"Permissions", "权限"},
	"permission":          {"Permission", "权限"},
	"protection":          {"Protection", "保护级别"},
	"sensitive":           {"Sensitive", "敏感"},
	"zh-name":             {"Chinese name", "中文名称"},
	"yes":                 {"yes", "是"},
	"no":                  {"no", "否"},
	"sdks":                {"SDKs", "第三方SDK"},
	"id":                  {"ID", "标识"},
	"name":                {"Name", "名称"},
	"vendor":              {"Vendor", "开发者"},
	"evidence":            {"Evidence", "证据"},
	"via":                 {"inside %s", "包含于 %s"},
	"warnings":            {"Warnings", "警告"},
	"unanalysed":          {"Unanalysed code", "未分析的代码"},
	"findings":            {"Findings", "问题"},
	"severity":            {"Severity", "严重程度"},
	"rule":                {"Rule", "规则"},
	"subject":             {"Subject", "对象"},
	"message":             {"Message", "说明"},
	"reference":           {"Reference", "依据"},
	"waived":              {"waived", "已豁免"},
	"no-findings":         {"No findings.", "未发现问题。"},
	"none":                {"none", "无"},
	"documents":           {"Policy documents", "隐私政策文档"},
	"path":                {"Path", "路径"},
	"format":              {"Format", "格式"},
	"chars":               {"Characters", "字数"},
	"phrases":             {"Phrases", "措辞"},
	"lines":               {"Lines", "行号"},
	"line":                {"Line", "行号"},
	"company":             {"Company", "公司"},
	"purpose":             {"Purpose", "使用目的"},
	"data":                {"Data collected", "收集信息"},
	"policy-url":          {"Policy URL", "隐私政策链接"},
	"policy-sdks":         {"SDK list", "SDK清单"},
	"data-types":          {"Data types", "个人信息类型"},
	"no-sdk-list":         {"No SDK list found.", "未找到SDK清单。"},
	"artifact-evidence":   {"In the build", "构建中"},
	"policy-evidence":     {"In the policy", "隐私政策中"},
	"all":                 {"All", "全部"},
	"generated":           {"Generated %s", "生成于 %s"},
	"fail-yes":            {"fails --fail-on %s", "达到 --fail-on %s 阈值"},
	"fail-no":             {"passes --fail-on %s", "未达到 --fail-on %s 阈值"},
	"summary":             {"Summary", "汇总"},
	"summary-line":        {"%d high, %d medium, %d low, %d info", "高 %d，中 %d，低 %d，提示 %d"},
	"waived-count":        {"%d waived", "%d 项已豁免"},
	"rules":               {"Rules", "规则说明"},
	"more":                {"+%d more", "另有 %d 项"},
	"classes-n":           {"%d classes", "%d 个类"},
	"class-names":         {"Classes", "类名"},
	"notes":               {"Notes on the configuration", "配置说明"},
	"added":               {"Added", "新增"},
	"code-reads":          {"Code reads (call sites of personal-information APIs)", "代码读取（调用个人信息API的位置）"},
	"used-by":             {"Used by", "调用方"},
	"by":                  {"By", "调用方"},
	"by-app":              {"app", "应用自身"},
	"by-unattributed":     {"unattributed", "未归属"},
	"data-type":           {"Data", "个人信息"},
	"api":                 {"API", "API"},
	"call-sites":          {"Call sites", "调用点"},
	"callers":             {"Calling classes", "调用类"},
	"reflective":          {"by reflection", "反射"},
	"code-scan":           {"Code scan", "代码扫描"},
	"scan-off":            {"off (--no-code): no code was scanned", "未扫描代码（--no-code）"},
	"scan-summary":        {"%d DEX files, %d methods scanned", "已扫描 %d 个 DEX 文件、%d 个方法"},
	"scan-loaders":        {"code loaded at run time by %d classes (%s)", "%d 个类在运行时加载代码（%s）"},
	"added-reads":         {"Code reads added", "新增代码读取"},
	"code-read":           {"Code read", "代码读取"},
	"removed":             {"Removed", "移除"},
}

// sevNames are severity names in Chinese, indexed by audit.Severity.
var sevNamesZh = [...]string{audit.Info: "提示", audit.Low: "低", audit.Medium: "中", audit.High: "高", audit.None: "无"}

// t returns the label for key in the report language.
func (o Options) t(key string) string {
	l, ok := labels[key]
	if !ok {
		return key
	}
	if o.zh() {
		return l[1]
	}
	return l[0]
}

// tf formats the label for key with args.
func (o Options) tf(key string, args ...any) string { return fmt.Sprintf(o.t(key), args...) }

// sev names a severity in the report language.
func (o Options) sev(s audit.Severity) string {
	if o.zh() && s >= 0 && int(s) < len(sevNamesZh) {
		return sevNamesZh[s]
	}
	return s.String()
}

// yesNo renders a boolean in the report language.
func (o Options) yesNo(b bool) string {
	if b {
		return o.t("yes")
	}
	return o.t("no")
}
