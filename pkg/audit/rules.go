package audit

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// Input is what the rules look at.
type Input struct {
	Inventory  *inventory.Inventory
	SDKs       []sdk.Detection
	Reads      []sdk.Read
	Disclosure *policy.Disclosure
	Catalogue  *sdkdb.Catalogue
}

// Evaluate applies every rule and returns the findings, ordered by
// SortFindings. Severities come from cfg overrides or the rule defaults;
// waivers and the baseline are applied by Review, not here.
func Evaluate(in Input, cfg *Config) []Finding {
	e := evaluator{in: in, cfg: cfg, docs: documentNames(in.Disclosure)}
	e.unanalysed()
	if in.Disclosure != nil {
		e.permissionRules()
		e.sdkRules()
		e.codeRules()
	}
	SortFindings(e.out)
	return e.out
}

type evaluator struct {
	in   Input
	cfg  *Config
	docs string
	out  []Finding
	zh   map[string]string // the Chinese of evidence lines (say)
}

func (e *evaluator) add(rule, subject, en, zh string, art, pol []string) {
	info, _ := LookupRule(rule)
	sev := info.Default
	if e.cfg != nil {
		if s, ok := e.cfg.Severity[rule]; ok {
			sev = s
		}
	}
	e.addAt(sev, rule, subject, en, zh, art, pol)
}

func (e *evaluator) addAt(sev Severity, rule, subject, en, zh string, art, pol []string) {
	info, _ := LookupRule(rule)
	if art == nil {
		art = []string{}
	}
	if pol == nil {
		pol = []string{}
	}
	e.out = append(e.out, Finding{Rule: rule, Severity: sev, Subject: subject, Message: en, MessageZh: zh,
		Evidence: Evidence{Artifact: art, Policy: pol, ArtifactZh: e.zhLines(art), PolicyZh: e.zhLines(pol)}, Reference: info.Reference})
}

func documentNames(d *policy.Disclosure) string {
	if d == nil {
		return ""
	}
	var names []string
	for _, doc := range d.Documents {
		names = append(names, doc.Path)
	}
	return strings.Join(names, ", ")
}

func (e *evaluator) noWording() []string {
	return []string{e.say("no wording found in "+e.docs, "在 "+e.docs+" 中未找到相关说明")}
}

// unanalysed reports code the readers could not see and packers that hide it.
func (e *evaluator) unanalysed() {
	inv := e.in.Inventory
	for _, u := range inv.Unanalysed {
		e.add(RuleUnanalysedCode, u.Path,
			fmt.Sprintf("%s could not be analysed (%s); SDKs in it may be missing from this report", u.Path, u.Reason),
			fmt.Sprintf("%s 未能分析（%s），其中可能包含未被识别的第三方SDK", u.Path, u.Reason),
			[]string{u.Path + ": " + u.Reason}, nil)
	}
	for _, d := range e.in.SDKs {
		if d.Entry.Category != "packer" {
			continue
		}
		// The whole app's code is hidden, not one file: fail closed at high.
		e.addAt(High, RuleUnanalysedCode, d.ID(),
			fmt.Sprintf("the build is packed with %s: its real code is encrypted and was not analysed; embedded SDKs cannot be listed", d.Entry.Name),
			fmt.Sprintf("应用使用了加固（%s），真实代码已加密、无法分析，嵌入的第三方SDK无法完整识别", nameZh(d.Entry)),
			e.sdkEvidence(d.Evidence), nil)
	}
}

func nameZh(e *sdkdb.Entry) string {
	if e.NameZh != "" {
		return e.NameZh
	}
	return e.Name
}

func evidenceLines(ev []sdk.Evidence) []string {
	out := make([]string, 0, len(ev))
	for _, x := range ev {
		s := x.Kind + ": " + x.Value
		switch {
		case x.Kind == sdkdb.EvidenceDexPackage && x.Count > 0:
			s += fmt.Sprintf(" (%d classes)", x.Count)
		case x.Kind == sdkdb.EvidenceCodeCall:
			s += " (" + callSites(x.Count, false) + ")"
		}
		out = append(out, s)
	}
	return out
}

func permissionEvidence(p inventory.Permission) []string {
	tag := "uses-permission"
	if p.SDK23 {
		tag = "uses-permission-sdk-23"
	}
	s := fmt.Sprintf("AndroidManifest.xml: <%s android:name=%q", tag, p.Name)
	if p.MaxSDK > 0 {
		s += fmt.Sprintf(" android:maxSdkVersion=\"%d\"", p.MaxSDK)
	}
	return []string{s + ">"}
}

func refLines(refs []policy.LineRef, phrases []string) []string {
	out := make([]string, 0, len(refs))
	for i, r := range refs {
		s := fmt.Sprintf("%s:%d", r.File, r.Line)
		if i < len(phrases) {
			s += ": " + phrases[i]
		}
		out = append(out, s)
	}
	if len(out) == 0 && len(phrases) > 0 {
		out = append(out, strings.Join(phrases, ", "))
	}
	return out
}

func (e *evaluator) permissionRules() {
	inv, d := e.in.Inventory, e.in.Disclosure
	disclosed := map[string]policy.PermissionDisclosure{}
	for _, p := range d.Permissions {
		disclosed[p.Name] = p
	}
	covered := map[string]policy.CoveredPermission{}
	for _, c := range d.Covered {
		covered[c.Name] = c
	}
	var sensitive []inventory.Permission
	for _, p := range inv.Permissions {
		if p.Sensitive {
			sensitive = append(sensitive, p)
		}
	}
	if len(sensitive) > 0 && !d.HasPermissionSection {
		names := make([]string, 0, len(sensitive))
		for _, p := range sensitive {
			names = append(names, p.Name)
		}
		e.add(RuleMissingPermissionList, inv.App.Package,
			fmt.Sprintf("the build declares %d sensitive permissions but the policy describes no permissions at all", len(sensitive)),
			fmt.Sprintf("应用申请了%d项敏感权限，但隐私政策中没有任何权限说明", len(sensitive)),
			names, e.noWording())
	}
	for _, p := range inv.Permissions {
		if _, ok := disclosed[p.Name]; ok {
			continue
		}
		if p.Name == inv.App.Package || strings.HasPrefix(p.Name, inv.App.Package+".") && inv.App.Package != "" {
			continue // the app's own permission
		}
		zh := p.Zh
		if zh == "" {
			zh = p.Name
		}
		if c, ok := covered[p.Name]; ok {
			e.coveredPermission(p, c, zh)
			continue
		}
		if p.Sensitive {
			e.add(RuleUndisclosedPermission, p.Name,
				fmt.Sprintf("sensitive permission %s (%s) is declared but no wording in the policy discloses it", p.Name, p.Protection),
				fmt.Sprintf("应用申请了敏感权限「%s」(%s)，但隐私政策中未找到对应说明", zh, p.Name),
				permissionEvidence(p), e.noWording())
			continue
		}
		e.add(RuleUndisclosedPermissionNormal, p.Name,
			fmt.Sprintf("permission %s (%s) is declared and not mentioned in the policy", p.Name, p.Protection),
			fmt.Sprintf("应用申请了权限「%s」(%s)，隐私政策中未提及", zh, p.Name),
			permissionEvidence(p), e.noWording())
	}
	declared := map[string]bool{}
	for _, p := range inv.Permissions {
		declared[p.Name] = true
	}
	// Phrases that disclosed a declared permission: a group phrase (存储权限 covers
	// READ/WRITE_EXTERNAL_STORAGE and READ_MEDIA_*) does not make its other members stale.
	usedPhrases := map[string]bool{}
	for _, p := range d.Permissions {
		if declared[p.Name] {
			for _, ph := range p.Phrases {
				usedPhrases[ph] = true
			}
		}
	}
	for _, c := range d.Covered {
		if declared[c.Name] && !disclosedName(d, c.Name) {
			for _, ph := range c.Phrases {
				usedPhrases[ph] = true
			}
		}
	}
	for _, p := range d.Permissions {
		if declared[p.Name] || !literal(p) && anyOf(p.Phrases, usedPhrases) {
			continue
		}
		e.add(RuleStalePermissionDisclosure, p.Name,
			fmt.Sprintf("the policy describes %s but the build does not declare it", p.Name),
			fmt.Sprintf("隐私政策说明了权限 %s，但应用并未申请该权限", p.Name),
			[]string{e.say("not declared in AndroidManifest.xml", "AndroidManifest.xml 中未声明")}, refLines(p.Lines, p.Phrases))
	}
}

// coveredPermission reports a declared permission that the policy discloses
// only by the wording of the group it was split from (存储 for
// READ_MEDIA_IMAGES): a sensitive one at low, since a reader of the policy
// may not know that 存储 now means photos, videos and audio; a normal one not
// at all.
func (e *evaluator) coveredPermission(p inventory.Permission, c policy.CoveredPermission, zh string) {
	if !p.Sensitive {
		return
	}
	words := strings.Join(c.Phrases, "、")
	e.addAt(Low, RuleUndisclosedPermission, p.Name,
		fmt.Sprintf("sensitive permission %s (%s) is declared; the policy discloses it only as %s (%s), the group it was split from: name it too",
			p.Name, p.Protection, words, strings.Join(c.By, ", ")),
		fmt.Sprintf("应用申请了敏感权限「%s」(%s)，隐私政策仅以「%s」概括说明（该权限由其拆分而来），建议单独说明", zh, p.Name, words),
		permissionEvidence(p), refLines(c.Lines, []string{"disclosed only as " + words}))
}

// disclosedName reports whether the policy discloses the permission itself.
func disclosedName(d *policy.Disclosure, name string) bool {
	return slices.ContainsFunc(d.Permissions, func(p policy.PermissionDisclosure) bool { return p.Name == name })
}

func anyOf(list []string, set map[string]bool) bool {
	for _, x := range list {
		if set[x] {
			return true
		}
	}
	return false
}

// literal reports whether the policy names the permission by its full name.
func literal(p policy.PermissionDisclosure) bool {
	for _, ph := range p.Phrases {
		if ph == p.Name {
			return true
		}
	}
	return false
}

// coverage is how the policy covers one detected SDK.
type coverage struct {
	rows     []policy.SDKRow
	mentions []policy.Mention
	family   []policy.SDKRow // rows naming the SDK's family, not the SDK
}

func (e *evaluator) sdkRules() {
	d := e.in.Disclosure
	detected := map[string]sdk.Detection{}
	families := map[string]bool{}
	var thirdParty []sdk.Detection
	for _, s := range e.in.SDKs {
		detected[s.ID()] = s
		if s.Entry.Family != "" {
			families[s.Entry.Family] = true
		}
		if s.Entry.Category != "packer" {
			thirdParty = append(thirdParty, s)
		}
	}
	if len(thirdParty) > 0 && !d.HasSDKList {
		ids := make([]string, 0, len(thirdParty))
		for _, s := range thirdParty {
			ids = append(ids, s.ID())
		}
		e.add(RuleMissingSDKList, e.in.Inventory.App.Package,
			fmt.Sprintf("the build embeds %d third-party SDKs but the policy has no third-party SDK list", len(thirdParty)),
			fmt.Sprintf("应用嵌入了%d个第三方SDK，但隐私政策中没有第三方SDK共享清单", len(thirdParty)),
			ids, e.noWording())
	}
	for _, s := range thirdParty {
		c := e.coverageOf(s)
		switch {
		case len(c.rows) > 0:
			for _, row := range c.rows {
				e.sdkDataRule(s, row)
				e.sdkCodeDataRule(s, row)
			}
		case len(c.mentions) > 0:
			// Named in prose: disclosed, but without the fields a list row carries.
			m := c.mentions[0]
			e.add(RuleIncompleteSDKDisclosure, s.ID(),
				fmt.Sprintf("%s is only mentioned in prose (%q); the policy gives no SDK list row with company, purpose, data and policy link", s.Entry.Name, m.Phrase),
				fmt.Sprintf("「%s」仅在正文中被提及（%s），未以SDK清单形式列明开发者、使用目的、收集信息范围和隐私政策链接", nameZh(s.Entry), m.Phrase),
				e.sdkEvidence(s.Evidence), []string{fmt.Sprintf("%s:%d: %s", m.Line.File, m.Line.Line, m.Phrase)})
		case s.Via != "" && e.covered(detected[s.Via]):
			e.addAt(Info, RuleUndisclosedSDK, s.ID(),
				fmt.Sprintf("%s is embedded inside %s, which the policy lists; check that the %s row covers it", s.Entry.Name, s.Via, s.Via),
				fmt.Sprintf("「%s」随「%s」一同嵌入，政策已列出后者；请确认该行说明涵盖前者", nameZh(s.Entry), s.Via),
				e.sdkEvidence(s.Evidence), []string{e.say("covered through "+s.Via, "已通过 "+s.Via+" 披露")})
		case s.Via != "":
			// The SDK that bundles it is itself undisclosed and carries the high finding.
			e.addAt(Info, RuleUndisclosedSDK, s.ID(),
				fmt.Sprintf("%s is embedded inside %s, which the policy does not list either", s.Entry.Name, s.Via),
				fmt.Sprintf("「%s」随「%s」一同嵌入，政策均未列出", nameZh(s.Entry), s.Via),
				e.sdkEvidence(s.Evidence), e.noWording())
		case s.Entry.NoPrivacyPolicy != "":
			// An open-source library or a vendor's in-house framework: no third
			// party receives data through it, so its absence from the list is
			// worth a look, not a finding at the rule's severity.
			e.addAt(Low, RuleUndisclosedSDK, s.ID(),
				fmt.Sprintf("%s is embedded and not listed; it has no privacy policy of its own (%s): list it if it processes personal information", s.Entry.Name, s.Entry.NoPrivacyPolicy),
				fmt.Sprintf("应用嵌入了「%s」，隐私政策未列出；该组件没有自己的隐私政策（开源库或厂商自研框架），如其处理个人信息，请在清单中列明", nameZh(s.Entry)),
				e.sdkEvidence(s.Evidence), e.noWording())
		case len(c.family) > 0:
			row := c.family[0]
			e.addAt(Medium, RuleUndisclosedSDK, s.ID(),
				fmt.Sprintf("%s is embedded; the policy names only its family (%q), not this SDK", s.Entry.Name, row.Name),
				fmt.Sprintf("应用嵌入了「%s」，隐私政策仅笼统列出「%s」，未逐一列明该SDK", nameZh(s.Entry), row.Name),
				e.sdkEvidence(s.Evidence), []string{e.say(fmt.Sprintf("%s:%d: %s (family only)", row.Line.File, row.Line.Line, row.Name),
					fmt.Sprintf("%s:%d: %s（仅列出产品系列）", row.Line.File, row.Line.Line, row.Name))})
		default:
			e.add(RuleUndisclosedSDK, s.ID(),
				fmt.Sprintf("%s (%s) is embedded in the build but the policy does not list it", s.Entry.Name, s.Entry.Vendor),
				fmt.Sprintf("应用嵌入了「%s」（%s），但隐私政策的第三方SDK清单未列出", nameZh(s.Entry), s.Entry.Vendor),
				e.sdkEvidence(s.Evidence), e.noWording())
		}
	}
	for _, row := range d.SDKs {
		e.rowFields(row)
		if row.ID == "" {
			e.add(RuleUnknownPolicySDK, row.Name,
				fmt.Sprintf("the policy lists %q, which matches no SDK in the catalogue", row.Name),
				fmt.Sprintf("隐私政策列出的「%s」未能匹配到SDK目录中的任何条目", row.Name),
				nil, []string{fmt.Sprintf("%s:%d: %s", row.Line.File, row.Line.Line, row.Name)})
			continue
		}
		if _, ok := detected[row.ID]; ok {
			continue
		}
		if row.Family != "" && families[row.Family] {
			continue
		}
		e.add(RuleStaleSDKDisclosure, row.ID,
			fmt.Sprintf("the policy lists %q (%s) but the build does not embed it", row.Name, row.ID),
			fmt.Sprintf("隐私政策列出了「%s」，但应用中未发现该SDK", row.Name),
			[]string{e.say("no evidence of "+row.ID+" in the build", "构建中未发现 "+row.ID+" 的证据")}, []string{fmt.Sprintf("%s:%d: %s", row.Line.File, row.Line.Line, row.Name)})
	}
}

func (e *evaluator) covered(s sdk.Detection) bool {
	if s.Entry == nil {
		return false
	}
	c := e.coverageOf(s)
	return len(c.rows) > 0 || len(c.mentions) > 0
}

func (e *evaluator) coverageOf(s sdk.Detection) coverage {
	var c coverage
	d := e.in.Disclosure
	for _, row := range d.SDKs {
		switch {
		case row.ID == s.ID() || slices.Contains(row.Also, s.ID()):
			c.rows = append(c.rows, row)
		case row.Family != "" && row.Family == s.Entry.Family:
			c.family = append(c.family, row)
		}
	}
	for _, m := range d.Mentions {
		if m.ID == s.ID() {
			c.mentions = append(c.mentions, m)
		}
	}
	return c
}

// Data types that need care when a row is compared with the catalogue.
var (
	// identifying are the personal-information types the data rule compares: identifiers
	// and sensitive personal information (GB/T 35273-2020 附录B). Generic attributes
	// (设备型号, 操作系统, 网络信息, IP地址, 运营商, 传感器, 日志) are not compared: nearly
	// every SDK reads them and rows word them too loosely for a fair comparison.
	// iOS-only identifiers (IDFA, IDFV) are not compared either: vendors document one
	// list for both platforms.
	identifying = map[string]bool{"IMEI": true, "MEID": true, "IMSI": true, "ICCID": true, "MAC地址": true,
		"Android ID": true, "OAID": true, "设备标识符": true, "设备序列号": true, "位置信息": true, "应用列表": true,
		"剪切板": true, "通讯录": true, "短信": true, "通话记录": true, "相册": true, "麦克风": true, "摄像头": true,
		"人脸信息": true, "手机号码": true}
	genericDeviceID   = "设备标识符"
	specificDeviceIDs = map[string]bool{"IMEI": true, "MEID": true, "IMSI": true, "Android ID": true, "OAID": true, "设备序列号": true}
)

// rowDiscloses returns the data types a row discloses: those it names, and
// the generic device identifier when it names a specific one ("IMEI/Android
// ID" discloses "a device identifier").
func rowDiscloses(row policy.SDKRow) map[string]bool {
	have := map[string]bool{}
	for _, t := range row.DataTypes {
		have[t] = true
		if specificDeviceIDs[t] {
			have[genericDeviceID] = true
		}
	}
	return have
}

// sdkDataRule compares the data types a row discloses with what the catalogue says the SDK collects.
func (e *evaluator) sdkDataRule(s sdk.Detection, row policy.SDKRow) {
	if strings.TrimSpace(row.Data) == "" || len(s.Entry.DataCollected) == 0 {
		return // a missing data field is incomplete-sdk-disclosure
	}
	have := rowDiscloses(row)
	var missing []string
	seen := map[string]bool{}
	for _, item := range s.Entry.DataCollected {
		for _, t := range policy.DataTypesIn(item) {
			if !identifying[t] {
				continue // device model, OS, network type …: generic, not compared
			}
			if !have[t] && !seen[t] {
				seen[t] = true
				missing = append(missing, t)
			}
		}
	}
	if len(missing) == 0 {
		return
	}
	e.add(RuleUndisclosedSDKData, s.ID(),
		fmt.Sprintf("the policy row for %s omits data the SDK is documented to collect: %s", s.Entry.Name, dataInEnglish(missing)),
		fmt.Sprintf("隐私政策中「%s」一行未列出该SDK会收集的个人信息：%s", row.Name, strings.Join(missing, "、")),
		[]string{e.say("catalogue "+s.ID()+" data_collected: "+strings.Join(s.Entry.DataCollected, "; "),
			"SDK目录中 "+s.ID()+" 收集的信息："+strings.Join(s.Entry.DataCollected, "；"))},
		[]string{fmt.Sprintf("%s:%d: %s", row.Line.File, row.Line.Line, row.Data)})
}

var rowFieldNames = []struct{ en, zh string }{
	{"SDK name", "SDK名称"}, {"developer/company", "开发者名称"}, {"purpose", "使用目的"},
	{"data collected", "收集信息范围"}, {"privacy policy link", "隐私政策链接"},
}

// rowFields reports a row that lacks a field regulators require.
func (e *evaluator) rowFields(row policy.SDKRow) {
	vals := []string{row.Name, row.Company, row.Purpose, row.Data, row.PolicyURL}
	var en, zh []string
	for i, v := range vals {
		v = strings.TrimSpace(v)
		missing := v == ""
		if i == 4 && !missing && !looksLikeURL(v) {
			missing = true
		}
		if missing {
			en = append(en, rowFieldNames[i].en)
			zh = append(zh, rowFieldNames[i].zh)
		}
	}
	if len(en) == 0 {
		return
	}
	subject := row.ID
	if subject == "" {
		subject = row.Name
	}
	e.add(RuleIncompleteSDKDisclosure, subject,
		fmt.Sprintf("the policy row %q lacks: %s", row.Name, strings.Join(en, ", ")),
		fmt.Sprintf("隐私政策中「%s」一行缺少：%s", row.Name, strings.Join(zh, "、")),
		nil, []string{fmt.Sprintf("%s:%d: %s", row.Line.File, row.Line.Line, row.Name)})
}

func looksLikeURL(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "http://") || strings.Contains(s, "https://") || strings.HasPrefix(s, "www.")
}

// SortFindings orders f in place: by severity (worst first), then rule in
// Rules order, then subject. Evaluate returns its findings so; renderers sort
// their copies with it too.
func SortFindings(f []Finding) {
	slices.SortStableFunc(f, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(ruleRank(a.Rule), ruleRank(b.Rule)),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Subject, b.Subject),
		)
	})
}
