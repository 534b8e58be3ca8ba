package report

import (
	"fmt"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/sdkdb"
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
	"n-high":              {"%d high", "高 %d"},
	"n-medium":            {"%d medium", "中 %d"},
	"n-low":               {"%d low", "低 %d"},
	"n-info":              {"%d info", "提示 %d"},
	"info-findings":       {"Info findings (%d)", "提示（%d 项）"},
	"fix":                 {"Fix", "修改建议"},
	"md-cut":              {"%d findings of the lowest severities are left out to keep this comment under %d bytes; the JSON and HTML reports have them all.", "为使本评论不超过 %[2]d 字节，省略了 %[1]d 项严重程度最低的问题；JSON 和 HTML 报告包含全部问题。"},
	"md-truncated":        {"The rest is left out to keep this comment under %d bytes; the JSON and HTML reports have it all.", "为使本评论不超过 %d 字节，其余内容已省略；JSON 和 HTML 报告包含全部内容。"},
	"below-fail-on":       {"below --fail-on %s: [%s] %s %s", "低于 --fail-on %s：[%s] %s %s"},
	"generated-at":        {"Generated", "生成于"},
	"fix-first":           {"Fix first", "优先修改"},
	"build-side":          {"build", "构建"},
	"policy-side":         {"policy", "政策"},
	"srcroot":             {"The repository root: every path is relative to it", "代码仓库根目录：所有路径均相对于此目录"},
	"anchor-sdk-list":     {"(Shown at the policy's SDK list: the build side has no source line; give --source-root to point at AndroidManifest.xml.)", "（定位到隐私政策的SDK清单：构建中的这一项没有源码行；使用 --source-root 可定位到 AndroidManifest.xml。）"},
	"anchor-permissions":  {"(Shown at the policy's permission wording: the build side has no source line; give --source-root to point at AndroidManifest.xml.)", "（定位到隐私政策的权限说明：构建中的这一项没有源码行；使用 --source-root 可定位到 AndroidManifest.xml。）"},
	"anchor-policy":       {"(Shown at the policy's first line: the finding has no line of its own; give --source-root to point at AndroidManifest.xml.)", "（定位到隐私政策的第一行：该问题没有对应的行；使用 --source-root 可定位到 AndroidManifest.xml。）"},
	"anchor-artifact":     {"(Shown at the artifact: no policy was read and no source manifest was given.)", "（定位到构建文件：未读取隐私政策，也未提供源码清单文件。）"},
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

// protectionsZh are the Chinese names of the base protection levels.
var protectionsZh = map[string]string{
	"dangerous": "危险", "normal": "普通", "signature": "签名", "internal": "内部", "unknown": "未知",
}

// protection names a permission's protection level in the report language.
func (o Options) protection(level string) string {
	if zh, ok := protectionsZh[level]; ok && o.zh() {
		return zh
	}
	return level
}

// evidenceKind names an evidence kind in the report language.
func (o Options) evidenceKind(kind string) string {
	if o.zh() {
		return sdkdb.EvidenceNameZh(kind)
	}
	return kind
}

// evidence returns f's evidence lines, build side and policy side, in the
// report language.
func (o Options) evidence(f audit.Finding) (artifact, policy []string) {
	artifact, policy = f.Evidence.Artifact, f.Evidence.Policy
	if o.zh() {
		if f.Evidence.ArtifactZh != nil {
			artifact = f.Evidence.ArtifactZh
		}
		if f.Evidence.PolicyZh != nil {
			policy = f.Evidence.PolicyZh
		}
	}
	return artifact, policy
}

// yesNo renders a boolean in the report language.
func (o Options) yesNo(b bool) string {
	if b {
		return o.t("yes")
	}
	return o.t("no")
}
