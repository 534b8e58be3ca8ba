package report

import "github.com/apkaudit/apkaudit/pkg/audit"

// RuleText is the human text for one rule, in English and Chinese. The audit
// package owns rule ids, severities, references and per-finding messages; this
// table owns only the titles and help shown by SARIF and HTML.
type RuleText struct {
	ID      string
	Title   string
	TitleZh string
	Help    string
	HelpZh  string
}

// ruleTexts is the one table of rule titles and help, in audit.Rules order.
var ruleTexts = []RuleText{
	{
		ID:      audit.RuleUnanalysedCode,
		Title:   "Some code could not be analysed",
		TitleZh: "部分代码未能分析",
		Help:    "A packer (加固) was detected, a DEX file failed to parse or a size limit was hit. Code that was not analysed may embed SDKs the report cannot list, so the result is not a clean bill of health. Unpack or rebuild without the packer and run the check again.",
		HelpZh:  "检测到加固壳、DEX 文件解析失败或触发了大小限制。未分析的代码中可能嵌入了报告无法列出的 SDK，因此结果不能视为“无问题”。请使用未加固的构建重新检查。",
	},
	{
		ID:      audit.RuleMissingPermissionList,
		Title:   "Policy has no permission description",
		TitleZh: "隐私政策缺少权限说明",
		Help:    "The build declares sensitive permissions but the privacy policy does not describe permissions at all. List every sensitive permission with its purpose (for example in a 权限申请与使用情况说明 section).",
		HelpZh:  "应用声明了敏感权限，但隐私政策完全没有说明权限。请在隐私政策中逐项列出敏感权限及其使用目的（例如“权限申请与使用情况说明”）。",
	},
	{
		ID:      audit.RuleUndisclosedPermission,
		Title:   "Sensitive permission not disclosed",
		TitleZh: "敏感权限未在隐私政策中说明",
		Help:    "A sensitive permission is declared in the manifest and no wording in the privacy policy discloses it. Describe the permission, what it is used for and when it is requested, or remove it from the build.",
		HelpZh:  "清单文件声明了敏感权限，但隐私政策中没有相应说明。请说明该权限、使用目的及申请时机，或从构建中移除该权限。",
	},
	{
		ID:      audit.RuleUndisclosedPermissionNormal,
		Title:   "Permission not mentioned in the policy",
		TitleZh: "普通权限未在隐私政策中提及",
		Help:    "A non-sensitive permission is declared and the policy does not mention it. This is informational: a complete policy lists it too.",
		HelpZh:  "声明了非敏感权限，隐私政策未提及。此项仅供参考：完整的隐私政策也应列出。",
	},
	{
		ID:      audit.RuleMissingSDKList,
		Title:   "Policy has no third-party SDK list",
		TitleZh: "隐私政策缺少第三方SDK清单",
		Help:    "The build embeds third-party SDKs but the policy has no SDK list. Publish a 第三方SDK共享清单 naming each SDK, its developer, purpose, the data it collects and its privacy policy link.",
		HelpZh:  "构建中嵌入了第三方 SDK，但隐私政策没有 SDK 清单。请提供第三方SDK共享清单，逐一列出 SDK 名称、开发者、使用目的、收集信息范围和隐私政策链接。",
	},
	{
		ID:      audit.RuleUndisclosedSDK,
		Title:   "Embedded SDK not disclosed",
		TitleZh: "嵌入的SDK未在隐私政策中披露",
		Help:    "An SDK is embedded in the build (see the evidence) and no row or mention in the policy covers it. Add it to the SDK list or remove it from the build. Presence is not use: the evidence shows the SDK is compiled in, not that it runs. Severity is lower where the omission matters less: medium when the policy names only the SDK's family, low for an open-source library or in-house framework with no privacy policy of its own, info for an SDK bundled inside another.",
		HelpZh:  "构建中嵌入了某 SDK（见证据），但隐私政策的 SDK 清单或正文均未涉及。请将其加入 SDK 清单，或从构建中移除。嵌入不等于调用：证据只说明 SDK 被编译进应用。政策仅列出 SDK 所属产品系列时为中危；无自身隐私政策的开源库或厂商自研框架为低危；随其他 SDK 一同嵌入的为提示。",
	},
	{
		ID:      audit.RuleUndisclosedSDKData,
		Title:   "SDK row omits data the SDK collects",
		TitleZh: "SDK清单遗漏了该SDK收集的信息",
		Help:    "The policy's row for a detected SDK omits personal-information types that the SDK's own documentation says it collects (catalogue data), or that the SDK's own code in this build calls APIs to read (code evidence: the call sites are listed). Complete the 收集信息范围 column.",
		HelpZh:  "隐私政策中该 SDK 的条目遗漏了 SDK 官方文档所述会收集的个人信息类型（SDK目录资料），或该 SDK 自身代码在本构建中调用 API 读取的个人信息类型（代码证据：列出调用点）。请补全“收集信息范围”。",
	},
	{
		ID:      audit.RuleUndisclosedDataAccess,
		Title:   "Code reads personal information the policy never mentions",
		TitleZh: "代码读取了隐私政策未提及的个人信息",
		Help:    "The app's own code or an embedded SDK's code calls an API that reads a personal-information type (IMEI, location, contacts, SMS, the clipboard, the installed-app list …) and no part of the policy mentions that type, neither in its text, nor in an SDK row, nor through a permission it discloses. The evidence lists the call sites found in the DEX code; a call site is not proof that the code runs. Describe the collection, or remove the code. Code in no known package (unattributed) is listed in the report but not judged.",
		HelpZh:  "应用自身代码或嵌入的 SDK 代码调用了读取某类个人信息（IMEI、位置、通讯录、短信、剪切板、应用列表等）的 API，而隐私政策的正文、SDK 清单和权限说明均未提及该类信息。证据列出了在 DEX 代码中找到的调用点；调用点不等于运行时一定调用。请在隐私政策中说明，或移除相关代码。无法归属的代码（未归属）只列出，不作判断。",
	},
	{
		ID:      audit.RuleIncompleteSDKDisclosure,
		Title:   "SDK row lacks a required field",
		TitleZh: "SDK清单条目缺少必填字段",
		Help:    "An SDK row lacks one of the fields regulators require: SDK name, developer, purpose, data collected, privacy policy link.",
		HelpZh:  "SDK 清单条目缺少监管要求的字段之一：SDK名称、开发者/公司、使用目的、收集信息范围、隐私政策链接。",
	},
	{
		ID:      audit.RuleUnusedPermission,
		Title:   "Dangerous permission with no call site found",
		TitleZh: "未找到调用点的危险权限",
		Help:    "A dangerous permission is declared and no call site of an API that needs it was found in the build's code. Requesting permissions the app's functions do not need is 过度索取权限. This is inferred from an absence, so it is reported only when the scan saw all the code: never when code was unanalysed, packed, loaded at run time, or reaches the API through visible reflection, and only for permissions whose APIs the sensitive-API table knows. Native code and WebView features are not searched: check before removing the permission.",
		HelpZh:  "清单声明了危险权限，但在构建的代码中未找到需要该权限的 API 调用点。申请与业务功能无关的权限属于过度索取权限。该结论基于“未找到”，因此仅在代码扫描完整时报告：存在未分析代码、加固、运行时加载代码或可见的反射调用时不报告，且只针对敏感 API 表覆盖的权限。原生代码和 WebView 功能不在搜索范围内：移除权限前请先确认。",
	},
	{
		ID:      audit.RuleUnknownPolicySDK,
		Title:   "Policy SDK row matches no known SDK",
		TitleZh: "隐私政策中的SDK无法识别",
		Help:    "A row of the policy's SDK list matches no entry of the SDK catalogue, so apkaudit cannot check it against the build. Check the name, or add the SDK to a catalogue given with --sdkdb.",
		HelpZh:  "隐私政策 SDK 清单中的某一条目无法与 SDK 目录匹配，因此无法与构建对照。请核对名称，或通过 --sdkdb 补充目录。",
	},
	{
		ID:      audit.RuleStaleSDKDisclosure,
		Title:   "Policy lists an SDK the build does not contain",
		TitleZh: "隐私政策列出了构建中不存在的SDK",
		Help:    "The policy lists an SDK that was not found in the build. It may have been removed, or it is only in another build variant; keep the policy accurate.",
		HelpZh:  "隐私政策列出的 SDK 未在构建中发现。可能已被移除，或仅存在于其他构建版本中；请保持隐私政策准确。",
	},
	{
		ID:      audit.RuleStalePermissionDisclosure,
		Title:   "Policy describes a permission the build does not declare",
		TitleZh: "隐私政策描述了构建未声明的权限",
		Help:    "The policy describes a permission that the manifest does not declare. Keep the policy accurate, or check the right build was analysed.",
		HelpZh:  "隐私政策描述的权限未在清单文件中声明。请保持隐私政策准确，或确认分析的是正确的构建。",
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

// title returns the rule title in the report language.
func (o Options) ruleTitle(id string) string {
	t := LookupRuleText(id)
	if o.zh() {
		return t.TitleZh
	}
	return t.Title
}
