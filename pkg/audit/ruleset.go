package audit

// Rule ids, stable: users script against them and waive by them.
const (
	RuleUndisclosedPermission       = "undisclosed-permission"
	RuleUndisclosedPermissionNormal = "undisclosed-permission-normal"
	RuleUndisclosedSDK              = "undisclosed-sdk"
	RuleUndisclosedSDKData          = "undisclosed-sdk-data"
	RuleIncompleteSDKDisclosure     = "incomplete-sdk-disclosure"
	RuleMissingSDKList              = "missing-sdk-list"
	RuleMissingPermissionList       = "missing-permission-list"
	RuleStaleSDKDisclosure          = "stale-sdk-disclosure"
	RuleStalePermissionDisclosure   = "stale-permission-disclosure"
	RuleUnknownPolicySDK            = "unknown-policy-sdk"
	RuleUnanalysedCode              = "unanalysed-code"
	RuleUndisclosedDataAccess       = "undisclosed-data-access"
	RuleUnusedPermission            = "unused-permission"
)

// RuleInfo describes one rule: its default severity and the regulation it rests on.
type RuleInfo struct {
	ID        string
	Default   Severity
	Reference string
}

// Rules lists every rule in the order findings are reported.
func Rules() []RuleInfo {
	return []RuleInfo{
		{RuleUnanalysedCode, Medium, "apkaudit fail-closed principle: code that was not analysed may hide SDKs (认定方法 二.1 requires every SDK to be listed)"},
		{RuleMissingPermissionList, High, "《App违法违规收集使用个人信息行为认定方法》一.3; GB/T 35273-2020 5.5; TC260-PG-20204A"},
		{RuleUndisclosedPermission, High, "《App违法违规收集使用个人信息行为认定方法》一.3, 三.1; TC260-PG-20204A 系统权限申请使用指南"},
		{RuleUndisclosedPermissionNormal, Info, "GB/T 35273-2020 5.5 (completeness of the policy)"},
		{RuleMissingSDKList, High, "《App违法违规收集使用个人信息行为认定方法》二.1; 工信部信管函〔2023〕26号; GB/T 41391-2022"},
		{RuleUndisclosedSDK, High, "《App违法违规收集使用个人信息行为认定方法》二.1 (未逐一列出嵌入的第三方代码、插件); 工信部〔2020〕164号"},
		{RuleUndisclosedSDKData, Medium, "《App违法违规收集使用个人信息行为认定方法》二.1; 工信部信管函〔2023〕26号 (收集信息范围)"},
		{RuleUndisclosedDataAccess, Medium, "《App违法违规收集使用个人信息行为认定方法》二.1 (未逐一列出收集使用个人信息的目的、方式、范围); 工信部〔2020〕164号"},
		{RuleIncompleteSDKDisclosure, Medium, "工信部信管函〔2023〕26号: SDK名称、开发者名称、使用目的、收集信息范围、隐私政策链接"},
		{RuleUnusedPermission, Low, "《App违法违规收集使用个人信息行为认定方法》四.1 (打开的可收集个人信息权限与现有业务功能无关); GB/T 35273-2020 5.2; TC260-PG-20204A"},
		{RuleUnknownPolicySDK, Low, "apkaudit catalogue coverage (the row could not be matched to a known SDK)"},
		{RuleStaleSDKDisclosure, Info, "GB/T 35273-2020 5.5 (accuracy of the policy)"},
		{RuleStalePermissionDisclosure, Info, "GB/T 35273-2020 5.5 (accuracy of the policy)"},
	}
}

// LookupRule returns the rule with the given id.
func LookupRule(id string) (RuleInfo, bool) {
	for _, r := range Rules() {
		if r.ID == id {
			return r, true
		}
	}
	return RuleInfo{}, false
}

// ruleRank is the position of rule id in Rules; unknown ids rank last.
func ruleRank(id string) int {
	rules := Rules()
	for i, r := range rules {
		if r.ID == id {
			return i
		}
	}
	return len(rules)
}
