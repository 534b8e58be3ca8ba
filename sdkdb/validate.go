package sdkdb

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/apkaudit/apkaudit/pkg/lazyre"
	"github.com/apkaudit/apkaudit/pkg/permissions"
)

// Problem is one thing wrong with a catalogue entry.
type Problem struct {
	File string // catalogue file, "" for an entry built in code
	Line int    // line of the offending key or list item, else of the entry
	ID   string // entry id ("" when the id itself is missing)
	Msg  string
	// Warning marks problems that leave the catalogue usable (an overlap
	// between entries, an unknown permission, a missing policy URL …).
	// The others (missing required fields, malformed ids, signals or globs,
	// duplicate ids) make Embedded fail.
	Warning bool
}

// Error formats the problem as "sdkdb: FILE:LINE: ID: MSG".
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString("sdkdb: ")
	if p.File != "" {
		b.WriteString(p.File)
		if p.Line > 0 {
			b.WriteString(":" + strconv.Itoa(p.Line))
		}
		b.WriteString(": ")
	}
	if p.ID != "" {
		b.WriteString(p.ID + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Categories are the category values the catalogue uses; another value is a warning.
var Categories = []string{
	"analytics", "attribution", "ads", "ads-mediation", "push", "push-channel", "crash-apm",
	"login-oneclick", "social-login-share", "payment", "map-location", "webview", "rtc-live", "im",
	"cloud-storage", "iot", "edu", "scan", "platform", "network", "speech-ai", "multi", "packer",
}

var (
	kebab     = lazyre.New(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	javaIdent = `[A-Za-z_$][A-Za-z0-9_$]*`
	javaName  = lazyre.New(`^` + javaIdent + `(\.` + javaIdent + `)*$`)
	// component: optional "*." prefix or ".*" suffix; ${applicationId} may stand for the first segments.
	component = lazyre.New(`^(\*\.|\$\{applicationId\}\.)?` + javaIdent + `(\.` + javaIdent + `)*(\.\*)?$`)
	permName  = lazyre.New(`^(\$\{applicationId\}|` + javaIdent + `)(\.` + javaIdent + `)+$`)
)

// Validate checks a catalogue and returns its problems sorted by file, line
// and message: required fields (id, name, name_zh, vendor, category and at
// least one non-weak signal), kebab-case and duplicate ids, the syntax of
// every signal (package names, component patterns, globs), min_signals,
// confidence, policy URLs, DEX prefixes shared by two unrelated entries,
// unknown platform permissions, and Chinese entries (vendor written in Han
// characters) without aliases or a privacy policy URL (their own or one of
// another member of their family).
func Validate(c *Catalogue) []Problem {
	if c == nil {
		return nil
	}
	var ps []Problem
	ids := map[string]*Entry{}
	for _, e := range c.Entries {
		if first := ids[e.ID]; first != nil && e.ID != "" {
			f, l := first.Source()
			ps = append(ps, problem(e, "id", false, "duplicate id (first at %s:%d)", f, l))
		} else if first == nil {
			ids[e.ID] = e
		}
	}
	familyURL := map[string]bool{}
	for _, e := range c.Entries {
		if e.Family != "" && e.PrivacyPolicyURL != "" {
			familyURL[e.Family] = true
		}
	}
	for _, e := range c.Entries {
		ps = append(ps, validateEntry(e, ids, familyURL[e.Family])...)
	}
	ps = append(ps, overlaps(c)...)
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Msg < b.Msg
	})
	return ps
}

// problem builds a Problem at the line of the dotted path p in e.
func problem(e *Entry, p string, warning bool, format string, args ...any) Problem {
	f, _ := e.Source()
	return Problem{File: f, Line: e.lineOf(p), ID: e.ID, Msg: fmt.Sprintf(format, args...), Warning: warning}
}

// familyURL is true when another member of e's family has a privacy policy URL.
func validateEntry(e *Entry, ids map[string]*Entry, familyURL bool) []Problem {
	var ps []Problem
	add := func(p string, warning bool, format string, args ...any) {
		ps = append(ps, problem(e, p, warning, format, args...))
	}
	switch {
	case e.ID == "":
		add("id", false, "missing id")
	case !kebab().MatchString(e.ID):
		add("id", false, "id %q is not kebab-case (lower-case letters, digits and single dashes)", e.ID)
	}
	for _, f := range []struct{ key, val string }{{"name", e.Name}, {"name_zh", e.NameZh}, {"vendor", e.Vendor}, {"category", e.Category}} {
		if strings.TrimSpace(f.val) == "" {
			add(f.key, false, "missing %s", f.key)
		}
	}
	if e.Category != "" && !contains(Categories, e.Category) {
		add("category", true, "unknown category %q (known: %s)", e.Category, strings.Join(Categories, ", "))
	}
	if e.Family != "" && !kebab().MatchString(e.Family) {
		add("family", false, "family %q is not kebab-case", e.Family)
	}
	switch e.Confidence {
	case "", "H", "M", "L":
	default:
		add("confidence", false, "confidence %q is not H, M or L", e.Confidence)
	}

	check := func(path, key string, vals []string) {
		seen := map[string]bool{}
		for i, v := range vals {
			p := path + "." + strconv.Itoa(i)
			if seen[v] {
				add(p, true, "%s lists %q twice", path, v)
			}
			seen[v] = true
			if msg := checkSignal(key, v); msg != "" {
				add(p, false, "%s: %s", path, msg)
			}
		}
	}
	kinds := 0
	for _, k := range SignalKinds() {
		if len(*k.Values(&e.Signals)) > 0 {
			kinds++
		}
		check("signals."+k.Key, k.Key, *k.Values(&e.Signals))
		if w := k.WeakValues(&e.Signals); w != nil {
			check("signals.weak."+k.Key, k.Key, *w)
		}
	}
	if kinds == 0 {
		var keys []string
		for _, k := range SignalKinds() {
			keys = append(keys, k.Key)
		}
		add("signals", false, "no signals: at least one of %s is required (weak alone never reports)", strings.Join(keys, ", "))
	}
	if e.MinSignals < 0 || (kinds > 0 && e.MinSignals > kinds) {
		add("min_signals", false, "min_signals %d but the entry has %d signal kinds", e.MinSignals, kinds)
	}

	for i, v := range e.Version {
		if msg := checkVersionSource(v); msg != "" {
			add("version."+strconv.Itoa(i), false, "version: %s", msg)
		}
	}
	for i, p := range e.Permissions {
		if msg := checkPermission(p); msg != "" {
			add("permissions."+strconv.Itoa(i), true, "permission %q: %s", p, msg)
		}
	}
	if e.PrivacyPolicyURL != "" && e.NoPrivacyPolicy != "" {
		add("no_privacy_policy", false, "no_privacy_policy says no policy exists, but privacy_policy_url gives one: keep one of them")
	}
	if e.PrivacyPolicyURL != "" {
		if msg := checkURL(e.PrivacyPolicyURL); msg != "" {
			add("privacy_policy_url", true, "privacy_policy_url %q: %s", e.PrivacyPolicyURL, msg)
		}
	}
	for _, rel := range []struct {
		key string
		ids []string
	}{{"related", e.Related}, {"nested_in", e.NestedIn}} {
		for i, id := range rel.ids {
			if ids[id] == nil {
				add(rel.key+"."+strconv.Itoa(i), true, "%s names unknown id %q", rel.key, id)
			} else if id == e.ID {
				add(rel.key+"."+strconv.Itoa(i), true, "%s names the entry itself", rel.key)
			}
		}
	}
	if hasHan(e.Vendor) {
		if len(e.Aliases) == 0 {
			add("aliases", true, "Chinese SDK without aliases: policies name it by its Chinese names")
		}
		if e.PrivacyPolicyURL == "" && e.NoPrivacyPolicy == "" && !familyURL && e.Category != "packer" {
			add("privacy_policy_url", true, "Chinese SDK without privacy_policy_url (and no member of its family has one)")
		}
	}
	return ps
}

// checkSignal returns what is wrong with one signal value, or "".
func checkSignal(kind, v string) string {
	if strings.TrimSpace(v) == "" {
		return "empty value"
	}
	switch kind {
	case "dex_packages", "classes", "jni_classes":
		if !javaName().MatchString(v) {
			return fmt.Sprintf("%q is not a dotted Java name", v)
		}
	case "components":
		if !component().MatchString(v) {
			return fmt.Sprintf("%q is not a class name, a \"pkg.*\" or a \"*.Suffix\" pattern", v)
		}
	case "permissions_defined":
		if !permName().MatchString(v) {
			return fmt.Sprintf("%q is not a dotted permission name", v)
		}
	case "native_libs", "assets":
		if strings.HasPrefix(v, "/") || (kind == "native_libs" && strings.Contains(v, "/")) {
			return fmt.Sprintf("%q must be a file name, not a path", v)
		}
		if _, err := path.Match(v, ""); err != nil {
			return fmt.Sprintf("bad glob %q: %v", v, err)
		}
	case "meta_data", "version_files":
		if strings.ContainsAny(v, " \t\n/") {
			return fmt.Sprintf("%q has spaces or slashes", v)
		}
	}
	return ""
}

var (
	mavenID  = lazyre.New(`^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$`)
	javaWord = lazyre.New(`^` + javaIdent + `$`)
)

// checkVersionSource returns what is wrong with one version location, or "".
func checkVersionSource(v VersionSource) string {
	set := 0
	for _, s := range []string{v.Manifest, v.File, v.Pom, v.Class} {
		if s != "" {
			set++
		}
	}
	switch {
	case set != 1:
		return "set exactly one of manifest, file, pom and class"
	case v.Key != "" && v.File == "":
		return "key belongs to a file"
	case (v.Field != "") != (v.Class != ""):
		return "class and field go together"
	case v.Manifest != "" && !javaName().MatchString(v.Manifest):
		return fmt.Sprintf("manifest %q is not a dotted package name", v.Manifest)
	case v.File != "" && (strings.HasPrefix(v.File, "/") || strings.Contains(v.File, "..") || strings.ContainsAny(v.File, " \t\n\\")):
		return fmt.Sprintf("file %q is not a relative path inside the archive", v.File)
	case v.Key != "" && strings.ContainsAny(v.Key, " \t\n=:"):
		return fmt.Sprintf("key %q is not a properties key", v.Key)
	case v.Pom != "" && !mavenID().MatchString(v.Pom):
		return fmt.Sprintf("pom %q is not groupId:artifactId", v.Pom)
	case v.Class != "" && !javaName().MatchString(v.Class):
		return fmt.Sprintf("class %q is not a dotted Java name", v.Class)
	case v.Field != "" && !javaWord().MatchString(v.Field):
		return fmt.Sprintf("field %q is not a Java identifier", v.Field)
	}
	if v.Pattern != "" {
		re, err := regexp.Compile(v.Pattern)
		if err != nil {
			return fmt.Sprintf("pattern %q: %v", v.Pattern, err)
		}
		if re.NumSubexp() < 1 {
			return fmt.Sprintf("pattern %q has no group to extract the version", v.Pattern)
		}
	}
	return ""
}

// checkPermission returns what is wrong with a requested permission name, or "".
// Platform names ("android.…") must be known; vendor and SDK permissions
// (com.huawei.android.launcher.permission.CHANGE_BADGE, ${applicationId}.permission.X) pass.
func checkPermission(name string) string {
	if !permName().MatchString(name) {
		return "not a full permission name (package.NAME)"
	}
	if strings.HasPrefix(name, "android.") && !permissions.Lookup(name).Known {
		return "unknown platform permission"
	}
	return ""
}

// checkURL returns what is wrong with an http(s) URL, or "".
func checkURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return err.Error()
	case u.Scheme != "http" && u.Scheme != "https":
		return "scheme must be http or https"
	case u.Host == "" || strings.ContainsAny(u.Host, " \t"):
		return "no host"
	}
	return ""
}

// overlaps reports DEX prefixes listed (strongly) by two entries that are not related.
func overlaps(c *Catalogue) []Problem {
	owners := map[string][]*Entry{}
	for _, e := range c.Entries {
		for _, p := range e.Signals.DexPackages {
			if n := len(owners[p]); n == 0 || owners[p][n-1] != e {
				owners[p] = append(owners[p], e)
			}
		}
	}
	var ps []Problem
	for p, es := range owners {
		for i := 1; i < len(es); i++ {
			for _, first := range es[:i] {
				if related(first, es[i]) {
					continue
				}
				idx := indexOf(es[i].Signals.DexPackages, p)
				ps = append(ps, problem(es[i], "signals.dex_packages."+strconv.Itoa(idx), true,
					"dex prefix %q is also a dex_packages prefix of %s: list it in one entry's weak, or relate the entries", p, first.ID))
			}
		}
	}
	return ps
}

// related reports whether a or b names the other in related or nested_in.
func related(a, b *Entry) bool {
	return contains(a.Related, b.ID) || contains(b.Related, a.ID) ||
		contains(a.NestedIn, b.ID) || contains(b.NestedIn, a.ID)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return 0
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
