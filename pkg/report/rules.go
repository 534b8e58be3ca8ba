package report

import (
	"strings"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// RuleText is what the reports say about one rule, in English and Chinese.
// The audit package owns rule ids, severities, references and per-finding
// messages; this table owns everything else the formats show about a rule:
// titles, help, the one-line fix, which side of the gap a finding points at,
// and SARIF's precision. Everything else about a rule is derived from these
// rows and from audit.Rules (security-severity from the default severity,
// helpUri from the id), so a new rule is one row here.
type RuleText struct {
	ID      string
	Title   string
	TitleZh string
	Help    string
	HelpZh  string
	// Fix says in one line what to change in the policy or the build;
	// {subject} stands for the finding's subject.
	Fix, FixZh string
	// Side is where a finding of the rule is explained and fixed: SidePolicy
	// (a policy line says too little or too much) or SideBuild (the build has
	// something no policy line covers). SARIF's first location follows it.
	Side string
	// Precision is SARIF's precision of the rule's findings: very-high, high,
	// medium or low (how often a finding is a true positive).
	Precision string
}

// The sides of a rule.
const (
	SideBuild  = "build"
	SidePolicy = "policy"
)

// ruleTexts is the one table of rule texts, in audit.Rules order.
var ruleTexts = []RuleText{
	{
		ID:        audit.RuleUnanalysedCode,
		Side:      SideBuild,
		Precision: "very-high",
		Fix:       "Check a build without the packer or the broken file ({subject}), or review that code by hand.",
		FixZh:     "使用未加固、文件完整的构建重新检查（{subject}），或人工审查该部分代码。",
		Title:     "Some code could not be analysed",
		TitleZh:   "部分代码未能分析",
		Help:      "A packer (加固) was detected, a DEX file failed to parse or a size limit was hit. Code that was not analysed may embed SDKs the report cannot list, so the result is not a clean bill of health. Unpack or rebuild without the packer and run the check again.",
		HelpZh:    "检测到加固壳、DEX 文件解析失败或触发了大小限制。未分析的代码中可能嵌入了报告无法列出的 SDK，因此结果不能视为“无问题”。请使用未加固的构建重新检查。",
	},
	{
		ID:        audit.RuleMissingPermissionList,
		Side:      SideBuild,
		Precision: "high",
		Fix:       "Add a permission section to the policy: each sensitive permission, its purpose and when it is requested.",
		FixZh:     "在隐私政策中增加权限说明：逐项列出敏感权限、使用目的和申请时机。",
		Title:     "Policy has no permission description",
		TitleZh:   "隐私政策缺少权限说明",
		Help:      "The build declares sensitive permissions but the privacy policy does not describe permissions at all. List every sensitive permission with its purpose (for example in a 权限申请与使用情况说明 section).",
		HelpZh:    "应用声明了敏感权限，但隐私政策完全没有说明权限。请在隐私政策中逐项列出敏感权限及其使用目的（例如“权限申请与使用情况说明”）。",
	},
	{
		ID:        audit.RuleUndisclosedPermission,
		Side:      SideBuild,
		Precision: "high",
		Fix:       "Describe {subject} in the policy's permission section (purpose, when it is requested), or remove it from AndroidManifest.xml.",
		FixZh:     "在隐私政策的权限说明中写明 {subject}（使用目的、申请时机），或从 AndroidManifest.xml 中移除。",
		Title:     "Sensitive permission not disclosed",
		TitleZh:   "敏感权限未在隐私政策中说明",
		Help:      "A sensitive permission is declared in the manifest and no wording in the privacy policy discloses it. Describe the permission, what it is used for and when it is requested, or remove it from the build.",
		HelpZh:    "清单文件声明了敏感权限，但隐私政策中没有相应说明。请说明该权限、使用目的及申请时机，或从构建中移除该权限。",
	},
	{
		ID:        audit.RuleUndisclosedPermissionNormal,
		Side:      SideBuild,
		Precision: "high",
		Fix:       "Mention {subject} in the policy's permission list, or remove it from AndroidManifest.xml.",
		FixZh:     "在隐私政策的权限清单中提及 {subject}，或从 AndroidManifest.xml 中移除。",
		Title:     "Permission not mentioned in the policy",
		TitleZh:   "普通权限未在隐私政策中提及",
		Help:      "A non-sensitive permission is declared and the policy does not mention it. This is informational: a complete policy lists it too.",
		HelpZh:    "声明了非敏感权限，隐私政策未提及。此项仅供参考：完整的隐私政策也应列出。",
	},
	{
		ID:        audit.RuleMissingSDKList,
		Side:      SideBuild,
		Precision: "high",
		Fix:       "Publish a third-party SDK list (第三方SDK共享清单) with each SDK's name, developer, purpose, data collected and privacy-policy link.",
		FixZh:     "发布第三方SDK共享清单，逐一列明SDK名称、开发者、使用目的、收集信息范围和隐私政策链接。",
		Title:     "Policy has no third-party SDK list",
		TitleZh:   "隐私政策缺少第三方SDK清单",
		Help:      "The build embeds third-party SDKs but the policy has no SDK list. Publish a 第三方SDK共享清单 naming each SDK, its developer, purpose, the data it collects and its privacy policy link.",
		HelpZh:    "构建中嵌入了第三方 SDK，但隐私政策没有 SDK 清单。请提供第三方SDK共享清单，逐一列出 SDK 名称、开发者、使用目的、收集信息范围和隐私政策链接。",
	},
	{
		ID:        audit.RuleUndisclosedSDK,
		Side:      SideBuild,
		Precision: "high",
		Fix:       "Add a row for {subject} to the SDK list (name, developer, purpose, data, policy link), or remove the SDK from the build.",
		FixZh:     "在SDK清单中增加 {subject} 一行（名称、开发者、使用目的、收集信息、隐私政策链接），或从构建中移除该SDK。",
		Title:     "Embedded SDK not disclosed",
		TitleZh:   "嵌入的SDK未在隐私政策中披露",
		Help:      "An SDK is embedded in the build (see the evidence) and no row or mention in the policy covers it. Add it to the SDK list or remove it from the build. Presence is not use: the evidence shows the SDK is compiled in, not that it runs. Severity is lower where the omission matters less: medium when the policy names only the SDK's family, low for an open-source library or in-house framework with no privacy policy of its own, info for an SDK bundled inside another.",
		HelpZh:    "构建中嵌入了某 SDK（见证据），但隐私政策的 SDK 清单或正文均未涉及。请将其加入 SDK 清单，或从构建中移除。嵌入不等于调用：证据只说明 SDK 被编译进应用。政策仅列出 SDK 所属产品系列时为中危；无自身隐私政策的开源库或厂商自研框架为低危；随其他 SDK 一同嵌入的为提示。",
	},
	{
		ID:        audit.RuleUndisclosedSDKData,
		Side:      SidePolicy,
		Precision: "medium",
		Fix:       "Complete the data collected (收集信息范围) of the {subject} row with the types the SDK collects.",
		FixZh:     "补全 {subject} 一行的“收集信息范围”，写明该SDK收集的信息类型。",
		Title:     "SDK row omits data the SDK collects",
		TitleZh:   "SDK清单遗漏了该SDK收集的信息",
		Help:      "The policy's row for a detected SDK omits personal-information types that the SDK's own documentation says it collects (catalogue data), or that the SDK's own code in this build calls APIs to read (code evidence: the call sites are listed). Complete the 收集信息范围 column.",
		HelpZh:    "隐私政策中该 SDK 的条目遗漏了 SDK 官方文档所述会收集的个人信息类型（SDK目录资料），或该 SDK 自身代码在本构建中调用 API 读取的个人信息类型（代码证据：列出调用点）。请补全“收集信息范围”。",
	},
	{
		ID:        audit.RuleUndisclosedDataAccess,
		Side:      SideBuild,
		Precision: "medium",
		Fix:       "Say in the policy that {subject} is collected, by whom and why, or remove the code that reads it.",
		FixZh:     "在隐私政策中说明收集 {subject} 的主体和目的，或移除读取该信息的代码。",
		Title:     "Code reads personal information the policy never mentions",
		TitleZh:   "代码读取了隐私政策未提及的个人信息",
		Help:      "The app's own code or an embedded SDK's code calls an API that reads a personal-information type (IMEI, location, contacts, SMS, the clipboard, the installed-app list …) and no part of the policy mentions that type, neither in its text, nor in an SDK row, nor through a permission it discloses. The evidence lists the call sites found in the DEX code; a call site is not proof that the code runs. Describe the collection, or remove the code. Code in no known package (unattributed) is listed in the report but not judged.",
		HelpZh:    "应用自身代码或嵌入的 SDK 代码调用了读取某类个人信息（IMEI、位置、通讯录、短信、剪切板、应用列表等）的 API，而隐私政策的正文、SDK 清单和权限说明均未提及该类信息。证据列出了在 DEX 代码中找到的调用点；调用点不等于运行时一定调用。请在隐私政策中说明，或移除相关代码。无法归属的代码（未归属）只列出，不作判断。",
	},
	{
		ID:        audit.RuleIncompleteSDKDisclosure,
		Side:      SidePolicy,
		Precision: "high",
		Fix:       "Fill in the missing fields of the {subject} row of the SDK list.",
		FixZh:     "补全SDK清单中 {subject} 一行缺少的字段。",
		Title:     "SDK row lacks a required field",
		TitleZh:   "SDK清单条目缺少必填字段",
		Help:      "An SDK row lacks one of the fields regulators require: SDK name, developer, purpose, data collected, privacy policy link.",
		HelpZh:    "SDK 清单条目缺少监管要求的字段之一：SDK名称、开发者/公司、使用目的、收集信息范围、隐私政策链接。",
	},
	{
		ID:        audit.RuleUnusedPermission,
		Side:      SideBuild,
		Precision: "medium",
		Fix:       "Remove {subject} from AndroidManifest.xml if no feature needs it (check native code and WebView first).",
		FixZh:     "如无功能需要，请从 AndroidManifest.xml 中移除 {subject}（请先确认原生代码和 WebView 不需要）。",
		Title:     "Dangerous permission with no call site found",
		TitleZh:   "未找到调用点的危险权限",
		Help:      "A dangerous permission is declared and no call site of an API that needs it was found in the build's code. Requesting permissions the app's functions do not need is 过度索取权限. This is inferred from an absence, so it is reported only when the scan saw all the code: never when code was unanalysed, packed, loaded at run time, or reaches the API through visible reflection, and only for permissions whose APIs the sensitive-API table knows. Native code and WebView features are not searched: check before removing the permission.",
		HelpZh:    "清单声明了危险权限，但在构建的代码中未找到需要该权限的 API 调用点。申请与业务功能无关的权限属于过度索取权限。该结论基于“未找到”，因此仅在代码扫描完整时报告：存在未分析代码、加固、运行时加载代码或可见的反射调用时不报告，且只针对敏感 API 表覆盖的权限。原生代码和 WebView 功能不在搜索范围内：移除权限前请先确认。",
	},
	{
		ID:        audit.RuleUnknownPolicySDK,
		Side:      SidePolicy,
		Precision: "medium",
		Fix:       "Check the name of the {subject} row, or add the SDK to a catalogue given with --sdkdb.",
		FixZh:     "核对 {subject} 一行的名称，或通过 --sdkdb 将该SDK加入目录。",
		Title:     "Policy SDK row matches no known SDK",
		TitleZh:   "隐私政策中的SDK无法识别",
		Help:      "A row of the policy's SDK list matches no entry of the SDK catalogue, so apkaudit cannot check it against the build. Check the name, or add the SDK to a catalogue given with --sdkdb.",
		HelpZh:    "隐私政策 SDK 清单中的某一条目无法与 SDK 目录匹配，因此无法与构建对照。请核对名称，或通过 --sdkdb 补充目录。",
	},
	{
		ID:        audit.RuleStaleSDKDisclosure,
		Side:      SidePolicy,
		Precision: "medium",
		Fix:       "Remove the {subject} row if no build variant embeds it any more.",
		FixZh:     "如所有构建版本均已不再嵌入，请删除 {subject} 一行。",
		Title:     "Policy lists an SDK the build does not contain",
		TitleZh:   "隐私政策列出了构建中不存在的SDK",
		Help:      "The policy lists an SDK that was not found in the build. It may have been removed, or it is only in another build variant; keep the policy accurate.",
		HelpZh:    "隐私政策列出的 SDK 未在构建中发现。可能已被移除，或仅存在于其他构建版本中；请保持隐私政策准确。",
	},
	{
		ID:        audit.RuleStalePermissionDisclosure,
		Side:      SidePolicy,
		Precision: "medium",
		Fix:       "Remove {subject} from the policy if no build variant requests it any more.",
		FixZh:     "如所有构建版本均已不再申请，请从隐私政策中删除 {subject}。",
		Title:     "Policy describes a permission the build does not declare",
		TitleZh:   "隐私政策描述了构建未声明的权限",
		Help:      "The policy describes a permission that the manifest does not declare. Keep the policy accurate, or check the right build was analysed.",
		HelpZh:    "隐私政策描述的权限未在清单文件中声明。请保持隐私政策准确，或确认分析的是正确的构建。",
	},
}

// RuleTexts returns the title and help of every rule, in audit.Rules order.
func RuleTexts() []RuleText { return append([]RuleText(nil), ruleTexts...) }

// LookupRuleText returns the text for rule id; for an unknown id it returns the id as title.
func LookupRuleText(id string) RuleText {
	for _, t := range ruleTexts {
		if t.ID == id {
			return t
		}
	}
	return RuleText{ID: id, Title: id, TitleZh: id}
}

// ruleTitle returns the rule title in the report language.
func (o Options) ruleTitle(id string) string {
	t := LookupRuleText(id)
	if o.zh() {
		return t.TitleZh
	}
	return t.Title
}

// ruleHelp returns the rule help in the report language.
func (o Options) ruleHelp(id string) string {
	t := LookupRuleText(id)
	if o.zh() {
		return t.HelpZh
	}
	return t.Help
}

// fix returns what to change for finding f, in the report language.
func (o Options) fix(f Finding) string {
	t := LookupRuleText(f.Rule)
	fix := t.Fix
	if o.zh() && t.FixZh != "" {
		fix = t.FixZh
	}
	return strings.ReplaceAll(fix, "{subject}", f.Subject)
}

// HelpURI is where the README documents rule id: the rule's heading in its
// rule reference.
func HelpURI(id string) string { return readmeURL + "#" + id }

// readmeURL is the README on the project's home page.
const readmeURL = "https://github.com/apkaudit/apkaudit/blob/main/README.md"

// securitySeverity is GitHub's security-severity of a severity: high 8.0,
// medium 5.0, low 3.0; info has none (it is not a security alert).
func securitySeverity(s audit.Severity) string {
	switch s {
	case audit.High:
		return "8.0"
	case audit.Medium:
		return "5.0"
	case audit.Low:
		return "3.0"
	}
	return ""
}
