// Command gen-sdkdb builds the SDK catalogue files sdkdb/sdks/*.yaml from three inputs:
//
//   - the curated spec files in scripts/gen-sdkdb/spec/*.yaml (one per output file), each a YAML
//     list of Entry values plus the generator keys facts, lc and drop;
//   - sdk-facts.yaml (reference SDK facts; key facts: names the entry to start from);
//   - libchecker-rules.tsv (LibChecker Rules V42, Apache-2.0, © 2022 Absinthe; key lc: names the
//     labels whose exact-name rules, and the regex rules that reduce to a prefix or glob, are added).
//
// Values listed in an entry's signals.weak are removed from its strong lists (unless the spec's
// promote key names them: then they leave weak instead), bare vendor roots
// (com.tencent, com.alibaba …) are moved to weak, and lists are de-duplicated. The output is
// deterministic. Usage (from the repository root):
//
//	go run ./scripts/gen-sdkdb -ref ../shared/reference -out sdkdb/sdks
//	go run ./scripts/gen-sdkdb -ref ../shared/reference -dump '腾讯地图 SDK'
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"github.com/apkaudit/apkaudit/sdkdb"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// forbiddenRoots are vendor roots shared by unrelated products: never a strong dex prefix.
var forbiddenRoots = map[string]bool{
	"com.tencent": true, "com.alibaba": true, "com.baidu": true, "com.huawei": true, "com.bytedance": true,
	"com.taobao": true, "com.alipay": true, "com.xiaomi": true, "com.google": true, "com.google.android": true,
	"com.google.android.gms": true, "com.facebook": true, "com.netease": true, "com.sina": true, "com.qq": true,
	"com.ss": true, "com.ss.android": true, "com.huawei.hms": true, "com.aliyun": true, "com.umeng": true,
	"com.mob": true, "com.kwai": true, "com.meizu": true, "com.vivo": true, "com.heytap": true, "com.oppo": true,
	"com.hihonor": true, "cn.jiguang": true, "com.igexin": true, "com.iflytek": true,
	"com.sdk": true, "com.loc": true, "com.amap": true, "com.autonavi": true, "io.agora": true,
}

type factsEntry struct {
	ID            string   `yaml:"id"`
	FormerID      string   `yaml:"former_id"`
	NameZh        string   `yaml:"name_zh"`
	NameEn        string   `yaml:"name_en"`
	Aliases       []string `yaml:"aliases"`
	VendorZh      string   `yaml:"vendor_zh"`
	VendorAliases []string `yaml:"vendor_aliases"`
	Category      string   `yaml:"category"`
	DexPrefixes   []string `yaml:"dex_prefixes"`
	NativeLibs    []string `yaml:"native_libs"`
	Manifest      struct {
		Activities         []string `yaml:"activities"`
		Services           []string `yaml:"services"`
		Receivers          []string `yaml:"receivers"`
		Providers          []string `yaml:"providers"`
		MetaData           []string `yaml:"meta_data"`
		PermissionsDefined []string `yaml:"permissions_defined"`
		ProxyComponents    []string `yaml:"proxy_components"`
	} `yaml:"manifest"`
	Permissions        []string `yaml:"permissions"`
	DataCollected      []string `yaml:"data_collected"`
	PrivacyPolicyURL   string   `yaml:"privacy_policy_url"`
	PrivacyPolicyTitle string   `yaml:"privacy_policy_title"`
	Confidence         string   `yaml:"confidence"`
	Sources            []string `yaml:"sources"`
	LibcheckerLabels   []string `yaml:"libchecker_labels"`
	WeakEvidence       []string `yaml:"weak_evidence"`
	Related            []string `yaml:"related"`
	Notes              string   `yaml:"notes"`
}

type specEntry struct {
	// Facts is the sdk-facts.yaml id this entry starts from.
	Facts string `yaml:"facts"`
	// FactsSignals false keeps the facts' names/compliance fields but not its signals.
	NoFactsSignals bool `yaml:"no_facts_signals"`
	// NoFactsData drops the facts' data_collected (when it belongs to a sibling).
	NoFactsData bool `yaml:"no_facts_data"`
	// LC lists LibChecker labels; when nil, the facts' libchecker_labels are used.
	LC []string `yaml:"lc"`
	// Drop removes values from every signal list (after facts and LC are merged).
	Drop []string `yaml:"drop"`
	// NoProxy skips the facts' proxy_components.
	NoProxy bool `yaml:"no_proxy"`
	// Promote removes values from signals.weak (where facts or LibChecker put them),
	// so that the strong lists of the spec may keep them.
	Promote []string `yaml:"promote"`
	Entry   `yaml:",inline"`
}

type lcRule struct {
	Type, Name, Label, Team string
	Regex                   bool
}

type stats struct {
	lcUsed, lcRegexConverted, lcRegexSkipped, lcOtherTypeSkipped int
}

func main() {
	ref := flag.String("ref", "../shared/reference", "reference data directory (sdk-facts.yaml, libchecker-rules.tsv)")
	specDir := flag.String("spec", "scripts/gen-sdkdb/spec", "spec directory")
	out := flag.String("out", "sdkdb/sdks", "output directory")
	dump := flag.String("dump", "", "print the LibChecker rules of these labels (comma-separated) and exit")
	flag.Parse()
	if err := run(*ref, *specDir, *out, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "gen-sdkdb:", err)
		os.Exit(1)
	}
}

func run(ref, specDir, out, dump string) error {
	rules, err := readRules(filepath.Join(ref, "libchecker-rules.tsv"))
	if err != nil {
		return err
	}
	byLabel := map[string][]lcRule{}
	for _, r := range rules {
		byLabel[r.Label] = append(byLabel[r.Label], r)
	}
	if dump != "" {
		for _, l := range strings.Split(dump, ",") {
			for _, r := range byLabel[l] {
				fmt.Printf("%s\t%s\t%v\t%s\t%s\n", r.Type, r.Name, r.Regex, r.Label, r.Team)
			}
		}
		return nil
	}
	facts, err := readFacts(filepath.Join(ref, "sdk-facts.yaml"))
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(specDir, "*.yaml"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	var st stats
	changed := false
	usedFacts := map[string]bool{}
	usedLabels := map[string]bool{}
	for _, f := range files {
		specs, err := readSpec(f)
		if err != nil {
			return err
		}
		var entries []Entry
		for _, s := range specs {
			e, err := build(s, facts, byLabel, &st, usedLabels)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", filepath.Base(f), s.ID, err)
			}
			if s.Facts != "" {
				usedFacts[s.Facts] = true
			}
			entries = append(entries, e)
		}
		c, err := write(filepath.Join(out, filepath.Base(f)), entries)
		if err != nil {
			return err
		}
		changed = changed || c
	}
	if changed {
		if err := bumpVersion(filepath.Join(out, versionFile), time.Now().UTC()); err != nil {
			return err
		}
	}
	for id := range facts {
		if !usedFacts[id] {
			fmt.Fprintf(os.Stderr, "warning: sdk-facts entry %s not used\n", id)
		}
	}
	fmt.Fprintf(os.Stderr, "LibChecker: %d rules used, %d regex rules converted, %d regex rules skipped (not expressible), %d static/action rules skipped; %d labels used\n",
		st.lcUsed, st.lcRegexConverted, st.lcRegexSkipped, st.lcOtherTypeSkipped, len(usedLabels))
	return nil
}

func readRules(path string) ([]lcRule, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rules []lcRule
	header := true
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		if header {
			header = false
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			return nil, fmt.Errorf("%s: short line %q", path, line)
		}
		rules = append(rules, lcRule{Type: f[0], Name: f[1], Regex: f[2] == "yes", Label: f[3], Team: f[4]})
	}
	return rules, sc.Err()
}

func readFacts(path string) (map[string]*factsEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []*factsEntry
	if err := yaml.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m := map[string]*factsEntry{}
	for _, e := range list {
		if e.PrivacyPolicyURL == "null" {
			e.PrivacyPolicyURL = ""
		}
		m[e.ID] = e
	}
	return m, nil
}

func readSpec(path string) ([]specEntry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var specs []specEntry
	if err := dec.Decode(&specs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return specs, nil
}

var (
	reRegexGroup = regexp.MustCompile(`\(\.\*\)|\.\*`)
	reMeta       = regexp.MustCompile(`[\\\[\](){}|?+^$]`)
)

// convertRegex reduces a LibChecker full-match regex to our glob form, or returns "".
func convertRegex(typ, re string) string {
	g := reRegexGroup.ReplaceAllString(re, "*")
	g = strings.ReplaceAll(g, `\.`, ".")
	if reMeta.MatchString(g) {
		return ""
	}
	switch typ {
	case "native":
		if strings.Count(g, "*") > 1 {
			return ""
		}
		return g
	case "dex":
		if strings.HasSuffix(g, ".*") && strings.Count(g, "*") == 1 {
			return strings.TrimSuffix(g, ".*")
		}
	default: // components
		if strings.HasSuffix(g, ".*") && strings.Count(g, "*") == 1 {
			return g
		}
		if strings.HasSuffix(g, "*") && strings.Count(g, "*") == 1 {
			// com.yxcorp.gifshow.ad(.*): a class-name prefix, not a package: not expressible.
			return ""
		}
	}
	return ""
}

func build(s specEntry, facts map[string]*factsEntry, byLabel map[string][]lcRule, st *stats, usedLabels map[string]bool) (Entry, error) {
	var e Entry
	labels := s.LC
	if s.Facts != "" {
		f := facts[s.Facts]
		if f == nil {
			return e, fmt.Errorf("unknown facts id %q", s.Facts)
		}
		e = fromFacts(f, s)
		if labels == nil {
			labels = f.LibcheckerLabels
		}
	}
	for _, l := range labels {
		rs, ok := byLabel[l]
		if !ok {
			return e, fmt.Errorf("unknown LibChecker label %q", l)
		}
		usedLabels[l] = true
		for _, r := range rs {
			name := r.Name
			if r.Regex {
				name = convertRegex(r.Type, r.Name)
				if name == "" {
					st.lcRegexSkipped++
					continue
				}
				st.lcRegexConverted++
			}
			switch r.Type {
			case "native":
				e.Signals.NativeLibs = append(e.Signals.NativeLibs, name)
			case "activity", "service", "receiver", "provider":
				e.Signals.Components = append(e.Signals.Components, name)
			case "dex":
				e.Signals.DexPackages = append(e.Signals.DexPackages, name)
			default:
				st.lcOtherTypeSkipped++
				continue
			}
			st.lcUsed++
		}
		src := "LC " + l
		if !contains(e.Sources, src) {
			e.Sources = append(e.Sources, src)
		}
	}
	overlay(&e, &s.Entry)
	if len(e.Sources) == 0 {
		// Hand-entered from the vendor's published SDK documentation and package layout.
		e.Sources = []string{"curated"}
	}
	finish(&e, s.Drop, s.Promote)
	if e.ID == "" || e.Name == "" || e.Vendor == "" || e.Category == "" {
		return e, errors.New("id, name, vendor and category are required")
	}
	return e, nil
}

func fromFacts(f *factsEntry, s specEntry) Entry {
	e := Entry{
		ID: f.ID, Name: f.NameEn, NameZh: f.NameZh, Aliases: clone(f.Aliases), Vendor: f.VendorZh,
		VendorAliases: clone(f.VendorAliases), Category: f.Category, Permissions: clone(f.Permissions),
		DataCollected: clone(f.DataCollected), PrivacyPolicyURL: f.PrivacyPolicyURL, Confidence: f.Confidence,
		Related: clone(f.Related), Notes: strings.TrimSpace(f.Notes),
	}
	if s.NoFactsData {
		e.DataCollected = nil
	}
	e.Sources = append(e.Sources, "sdk-facts "+f.ID)
	for _, src := range f.Sources {
		e.Sources = append(e.Sources, src)
	}
	if e.PrivacyPolicyURL == "" && f.PrivacyPolicyTitle != "" {
		e.Notes = strings.TrimSpace(e.Notes + " Policy: " + f.PrivacyPolicyTitle + ".")
	}
	if f.FormerID != "" {
		e.Notes = strings.TrimSpace(e.Notes + " Former id: " + f.FormerID + ".")
	}
	if s.NoFactsSignals {
		return e
	}
	sg := &e.Signals
	sg.DexPackages = clone(f.DexPrefixes)
	sg.NativeLibs = clone(f.NativeLibs)
	m := f.Manifest
	sg.Components = append(append(append(append(sg.Components, m.Activities...), m.Services...), m.Receivers...), m.Providers...)
	if !s.NoProxy && f.Category != "push-channel" {
		sg.Components = append(sg.Components, m.ProxyComponents...)
	}
	for i, c := range sg.Components {
		sg.Components[i] = strings.Replace(c, "${applicationId}.", "*.", 1)
	}
	sg.MetaData = clone(m.MetaData)
	sg.PermissionsDefined = clone(m.PermissionsDefined)
	sg.Weak = sdkdb.WeakByShape(f.WeakEvidence)
	return e
}

// overlay copies the non-empty fields of o over e; lists are appended.
func overlay(e, o *Entry) {
	str := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	str(&e.ID, o.ID)
	str(&e.Name, o.Name)
	str(&e.NameZh, o.NameZh)
	str(&e.Vendor, o.Vendor)
	str(&e.Category, o.Category)
	str(&e.Family, o.Family)
	str(&e.PrivacyPolicyURL, o.PrivacyPolicyURL)
	str(&e.NoPrivacyPolicy, o.NoPrivacyPolicy)
	str(&e.Confidence, o.Confidence)
	if o.Notes != "" {
		e.Notes = strings.TrimSpace(e.Notes + " " + o.Notes)
	}
	if o.MinSignals != 0 {
		e.MinSignals = o.MinSignals
	}
	e.Aliases = append(e.Aliases, o.Aliases...)
	e.VendorAliases = append(e.VendorAliases, o.VendorAliases...)
	e.Permissions = append(e.Permissions, o.Permissions...)
	if len(o.DataCollected) > 0 {
		e.DataCollected = append(e.DataCollected, o.DataCollected...)
	}
	e.Sources = append(e.Sources, o.Sources...)
	e.Related = append(e.Related, o.Related...)
	e.NestedIn = append(e.NestedIn, o.NestedIn...)
	a, b := &e.Signals, &o.Signals
	for _, k := range sdkdb.SignalKinds() {
		*k.Values(a) = append(*k.Values(a), *k.Values(b)...)
		if w := k.WeakValues(a); w != nil {
			*w = append(*w, *k.WeakValues(b)...)
		}
	}
	e.Version = append(e.Version, o.Version...)
}

// renamed maps sdk-facts ids that are renamed or split here to the catalogue id used in related/nested_in.
var renamed = map[string]string{
	"hms-base-update": "hms-core", "alipay-sdk": "alipay", "kuaishou-ad": "kuaishou-ads", "amap": "amap-map",
	"baidu-lbs": "baidu-map", "google-firebase": "firebase-core", "mobtech": "mobtech-core", "tencent-lbs": "tencent-map",
	"tencent-tbs-x5": "tencent-x5", "hms-scan": "hms-scankit", "pangle": "pangle-ads", "gromore": "pangle-gromore",
	"firebase": "firebase-core",
}

func finish(e *Entry, drop, promote []string) {
	for _, l := range []*[]string{&e.Related, &e.NestedIn} {
		for i, id := range *l {
			if n, ok := renamed[id]; ok {
				(*l)[i] = n
			}
		}
	}
	sg := &e.Signals
	dropSet := map[string]bool{}
	for _, d := range drop {
		dropSet[d] = true
	}
	for _, p := range sg.DexPackages {
		if forbiddenRoots[p] {
			sg.Weak.DexPackages = append(sg.Weak.DexPackages, p)
		}
	}
	promoted := map[string]bool{}
	for _, p := range promote {
		promoted[p] = true
	}
	for _, k := range sdkdb.SignalKinds() {
		if w := k.WeakValues(sg); w != nil {
			kept := (*w)[:0]
			for _, v := range *w {
				if !promoted[v] {
					kept = append(kept, v)
				}
			}
			*w = kept
		}
	}
	weakSet := map[string]bool{}
	for _, k := range sdkdb.SignalKinds() {
		if w := k.WeakValues(sg); w != nil {
			for _, v := range *w {
				if !dropSet[v] {
					weakSet[v] = true
				}
			}
		}
	}
	clean := func(l []string, strong bool) []string {
		var outl []string
		seen := map[string]bool{}
		for _, v := range l {
			v = strings.TrimSpace(v)
			if v == "" || seen[v] || dropSet[v] || (strong && weakSet[v]) {
				continue
			}
			seen[v] = true
			outl = append(outl, v)
		}
		return outl
	}
	for _, k := range sdkdb.SignalKinds() {
		*k.Values(sg) = clean(*k.Values(sg), true)
		if w := k.WeakValues(sg); w != nil {
			*w = clean(*w, false)
		}
	}
	e.Aliases = clean(e.Aliases, false)
	e.VendorAliases = clean(e.VendorAliases, false)
	e.Permissions = clean(e.Permissions, false)
	e.DataCollected = clean(e.DataCollected, false)
	e.Sources = clean(e.Sources, false)
	e.Related = clean(e.Related, false)
	e.NestedIn = clean(e.NestedIn, false)
}

// versionFile is the catalogue file that holds only its version.
const versionFile = "version.yaml"

// versionLine is the line of versionFile that holds the version.
var versionLine = regexp.MustCompile(`(?m)^version: "([0-9.]+)"$`)

// bumpVersion sets the version in the file at path to today's date
// (YYYY.MM.DD), or to the date with the next counter (.2, .3 …) when the
// version is already today's: the catalogue changed.
func bumpVersion(path string, now time.Time) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	m := versionLine.FindSubmatch(b)
	if m == nil {
		return fmt.Errorf("%s: no version: \"YYYY.MM.DD\" line", path)
	}
	day := now.Format("2006.01.02")
	v := day
	if old := string(m[1]); strings.HasPrefix(old, day) {
		n := 1
		if rest, ok := strings.CutPrefix(old, day+"."); ok {
			fmt.Sscanf(rest, "%d", &n)
		}
		v = fmt.Sprintf("%s.%d", day, n+1)
	}
	b = versionLine.ReplaceAll(b, []byte(`version: "`+v+`"`))
	fmt.Fprintf(os.Stderr, "catalogue changed: version %s\n", v)
	return os.WriteFile(path, b, 0o644)
}

// write writes entries as the catalogue file path and reports whether its
// content changed.
func write(path string, entries []Entry) (bool, error) {
	var buf bytes.Buffer
	buf.WriteString("# Generated by scripts/gen-sdkdb from scripts/gen-sdkdb/spec/" + filepath.Base(path) + ",\n")
	buf.WriteString("# shared/reference/sdk-facts.yaml and libchecker-rules.tsv. Edit the spec, then regenerate:\n")
	buf.WriteString("#   go run ./scripts/gen-sdkdb -ref ../shared/reference -out sdkdb/sdks\n")
	buf.WriteString("# Contains data from LibChecker-Rules (© 2022 Absinthe), Apache License 2.0; converted and modified\n")
	buf.WriteString("# (sources \"LC <label>\"). See NOTICE.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(entries); err != nil {
		return false, err
	}
	if err := enc.Close(); err != nil {
		return false, err
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, buf.Bytes()) {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return false, err
	}
	return true, os.WriteFile(path, buf.Bytes(), 0o644)
}

func clone(l []string) []string { return append([]string(nil), l...) }

func contains(l []string, v string) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

// Entry and Signals are the catalogue's own types: the generator writes exactly what sdkdb loads.
type (
	Entry   = sdkdb.Entry
	Signals = sdkdb.Signals
)
