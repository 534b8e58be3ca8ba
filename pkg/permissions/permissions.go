// Package permissions holds platform facts about Android permissions:
// protection level, runtime group, whether Chinese compliance treats the
// permission as sensitive, its TC260 Chinese name and AOSP zh-CN label, and
// the Chinese phrases privacy policies use for it. The table is generated
// from ../shared/reference (see gen.go) and embedded.
package permissions

// Info is what apkaudit knows about one permission.
type Info struct {
	Name string
	// Protection is the base protection level (dangerous, normal, signature, internal) or "unknown".
	Protection string
	// Flags are protection flags (privileged, appop, development …).
	Flags []string
	// Group is the runtime permission group ("LOCATION"), "" when none.
	Group string
	// Sensitive is true for permissions Chinese compliance requires a policy to disclose
	// (TC260 Appendix A, other dangerous ones, and the special ones listed in permissions.tsv).
	Sensitive bool
	TC260Zh   string // TC260 name, e.g. 访问精准定位
	// TC260Alt is a variant spelling of the TC260 name found in another reproduction (读日历), or "".
	TC260Alt string
	AospZh   string // AOSP zh-CN label
	LabelEn  string
	// Synonyms are phrases real policies use for this permission, most specific first.
	Synonyms []Synonym
	// Known is false for permissions absent from the platform tables (vendor, app or SDK permissions).
	Known bool
}

// Synonym is one Chinese phrase that may disclose a permission.
type Synonym struct {
	Phrase string
	// Noisy phrases (存储, 通知 …) count only inside a permission section or next to 权限/授权/访问.
	Noisy   bool
	DocFreq int
}

// Zh returns the best Chinese name: the TC260 name, else the AOSP label, else "".
func (i Info) Zh() string {
	if i.TC260Zh != "" {
		return i.TC260Zh
	}
	return i.AospZh
}
