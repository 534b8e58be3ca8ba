package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/piapi"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// The rules on code evidence: what the build's code reads (sdk.Read, call
// sites of the sensitive-API table) against what the policy says.

// codeCompared are the data types the code rules compare: the identifiers
// and sensitive personal information the catalogue rule compares, and the
// types only code evidence shows (the device's calendar, running
// processes and accounts). Generic attributes (网络信息, 运营商, 传感器, IP)
// are not compared, as in sdkDataRule.
func codeCompared(data string) bool {
	return identifying[data] || data == "日历" || data == "运行中进程" || data == "账户"
}

// codeRules applies the rules that need only the build's code and the policy.
func (e *evaluator) codeRules() {
	e.dataAccessRule()
	e.unusedPermissionRule()
}

// sdkCodeDataRule reports the data types the SDK's own code reads that its
// policy row omits: code evidence, next to sdkDataRule's catalogue data.
func (e *evaluator) sdkCodeDataRule(s sdk.Detection, row policy.SDKRow) {
	if strings.TrimSpace(row.Data) == "" {
		return // a missing data field is incomplete-sdk-disclosure
	}
	have := rowDiscloses(row)
	var missing, lines []string
	for _, r := range e.in.Reads {
		if r.By != s.ID() || !codeCompared(r.Data) || have[r.Data] {
			continue
		}
		if !slices.Contains(missing, r.Data) {
			missing = append(missing, r.Data)
		}
		lines = append(lines, e.sayRead(r))
	}
	if len(missing) == 0 {
		return
	}
	slices.Sort(missing)
	e.add(RuleUndisclosedSDKData, s.ID(),
		fmt.Sprintf("the policy row for %s omits data the SDK's own code in this build calls APIs to read: %s (code evidence: call sites in the DEX code, not catalogue data)", s.Entry.Name, dataInEnglish(missing)),
		fmt.Sprintf("隐私政策中「%s」一行未列出该SDK自身代码在本构建中调用API读取的个人信息：%s（代码证据：DEX代码中的调用点，而非SDK目录资料）", row.Name, strings.Join(missing, "、")),
		lines, []string{fmt.Sprintf("%s:%d: %s", row.Line.File, row.Line.Line, row.Data)})
}

// dataAccessRule reports each compared data type that the app's or an
// SDK's code reads and that no part of the policy mentions: no wording of
// the type (or, for a device identifier, of device identifiers at all), no
// SDK row naming it, and no disclosed permission that its APIs need. Code
// in no known package (unattributed) is shown in reads but judged by no
// rule: it may be a library the build never calls.
func (e *evaluator) dataAccessRule() {
	d := e.in.Disclosure
	mentioned := map[string]bool{}
	for _, t := range d.DataTypes {
		mentioned[t] = true
	}
	for _, row := range d.SDKs {
		for t := range rowDiscloses(row) {
			mentioned[t] = true
		}
	}
	if mentioned[genericDeviceID] {
		for t := range specificDeviceIDs {
			mentioned[t] = true
		}
	}
	disclosedPerm := map[string]bool{}
	for _, p := range d.Permissions {
		disclosedPerm[p.Name] = true
	}
	// A type is mentioned when a permission that one of its APIs needs is disclosed.
	for _, r := range e.in.Reads {
		if slices.ContainsFunc(r.Permissions, func(p string) bool { return disclosedPerm[p] }) {
			mentioned[r.Data] = true
		}
	}
	byData := map[string][]sdk.Read{}
	var order []string
	for _, r := range e.in.Reads {
		if r.By == sdk.ByUnattributed || !codeCompared(r.Data) || mentioned[r.Data] {
			continue
		}
		if byData[r.Data] == nil {
			order = append(order, r.Data)
		}
		byData[r.Data] = append(byData[r.Data], r)
	}
	for _, data := range order {
		reads := byData[data]
		var by, apis, lines []string
		for _, r := range reads {
			if !slices.Contains(by, r.By) {
				by = append(by, r.By)
			}
			if !slices.Contains(apis, r.API) {
				apis = append(apis, r.API)
			}
			lines = append(lines, e.sayRead(r))
		}
		e.add(RuleUndisclosedDataAccess, data,
			fmt.Sprintf("code in the build (%s) reads %s through %s, and no part of the policy mentions it", strings.Join(by, ", "), policy.DataTypeInEnglish(data, ""), strings.Join(apis, ", ")),
			fmt.Sprintf("构建中的代码（%s）调用了读取「%s」的API（%s），但隐私政策中未提及该类个人信息", strings.Join(byZh(by), "、"), data, strings.Join(apis, "、")),
			lines, e.noWording())
	}
}

// byZh names the parties in Chinese.
func byZh(by []string) []string {
	out := make([]string, len(by))
	for i, b := range by {
		switch b {
		case sdk.ByApp:
			out[i] = "应用自身"
		default:
			out[i] = b
		}
	}
	return out
}

// unusedPermissionRule reports a declared dangerous permission that the
// sensitive-API table knows APIs for, when no call site in the build's
// code reaches any of them. It infers from an absence, so it stays silent
// unless the scan saw all the code: the scan ran over every DEX file to
// its end, no code is unanalysed, no packer hides the real code, and no
// class loads DEX code at run time. A visible reflective lookup of an API
// counts as reaching it.
func (e *evaluator) unusedPermissionRule() {
	inv := e.in.Inventory
	if !inv.CodeScanComplete() || len(inv.Code.CallScan.Loaders) > 0 {
		return
	}
	for _, s := range e.in.SDKs {
		if s.Entry.Category == "packer" {
			return
		}
	}
	entries, err := piapi.Table()
	if err != nil {
		return
	}
	cs := inv.Code.CallScan
	for _, p := range inv.Permissions {
		if p.Protection != "dangerous" || len(sdk.UsedBy(e.in.Reads, p.Name)) > 0 {
			continue
		}
		var apis []string
		for i := range entries {
			if entries[i].NeedsPermission(p.Name) && !slices.Contains(apis, entries[i].API) {
				apis = append(apis, entries[i].API)
			}
		}
		if len(apis) == 0 {
			continue // the table knows no API that needs it: nothing can be inferred
		}
		zh := p.Zh
		if zh == "" {
			zh = p.Name
		}
		searched := e.say(fmt.Sprintf("code scan: %d DEX files, %d methods; no call site of the %d APIs that need it (%s)",
			cs.DexFiles, cs.Methods, len(apis), listSome(apis, 3)),
			fmt.Sprintf("代码扫描：%d 个 DEX 文件、%d 个方法；需要该权限的 %d 个 API 均无调用点（%s）",
				cs.DexFiles, cs.Methods, len(apis), listSomeZh(apis, 3)))
		e.add(RuleUnusedPermission, p.Name,
			fmt.Sprintf("dangerous permission %s is declared and no call site of an API that needs it was found in the build's code (%d DEX files scanned); check that the app needs it", p.Name, cs.DexFiles),
			fmt.Sprintf("应用申请了危险权限「%s」(%s)，但在已分析的代码（%d 个 DEX 文件）中未找到需要该权限的API调用点；请确认业务功能确需该权限", zh, p.Name, cs.DexFiles),
			append(permissionEvidence(p), searched), nil)
	}
}

// listSome is the first n items of list, and how many more there are.
func listSome(list []string, n int) string {
	if len(list) <= n {
		return strings.Join(list, ", ")
	}
	return fmt.Sprintf("%s, +%d more", strings.Join(list[:n], ", "), len(list)-n)
}

// readEvidence is one read as a finding's artifact evidence:
// "code-call (jpush): android.content.ContentResolver.query "content://sms" in cn.jpush.a.B (1 call site, SMS (短信))".
func readEvidence(r sdk.Read) string {
	return fmt.Sprintf("code-call (%s): %s (%s, %s)", r.By, r.Where(), callSites(r.Count, r.Reflective), policy.DataTypeInEnglish(r.Data, ""))
}

// dataInEnglish lists canonical data types for an English message:
// "location (位置信息), SMS (短信)".
func dataInEnglish(types []string) string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = policy.DataTypeInEnglish(t, "")
	}
	return strings.Join(out, ", ")
}

// callSites is "1 call site", "3 call sites", or for reflection "2 reflective lookups".
func callSites(n int, reflective bool) string {
	what := "call site"
	if reflective {
		what = "reflective lookup"
	}
	if n != 1 {
		what += "s"
	}
	return fmt.Sprintf("%d %s", n, what)
}
