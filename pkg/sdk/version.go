package sdk

import (
	"regexp"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// The kinds of VersionEvidence: the catalogue's version locations, with the
// constant told apart by where it was read.
const (
	VersionFromManifest      = "manifest"       // an AAR manifest's android:versionName
	VersionFromFile          = "file"           // an archive entry's text or a properties key in it
	VersionFromPom           = "pom"            // a Maven pom.properties' version
	VersionFromClassConstant = "class-constant" // a .class file's ConstantValue
	VersionFromDexConstant   = "dex-constant"   // a DEX class's static_values
)

// maxVersionLen bounds a version read from a file without a pattern: a text
// longer than this, or of more than one line, is no version.
const maxVersionLen = 64

// VersionEvidence says where a detected SDK's version was read.
type VersionEvidence struct {
	// Kind is one of the VersionFrom* kinds.
	Kind string
	// Path is where in the artifact ("AndroidManifest.xml", "classes.jar!/io/branch/referral/BuildConfig.class").
	Path string
	// Field is what was read there: "android:versionName", a properties key,
	// "version" of a pom.properties, "Class.FIELD" of a constant; "" for a whole file.
	Field string
	// Value is the value as found, before the catalogue's pattern took the version out of it.
	Value string
}

// versionSource is one compiled version location of an entry.
type versionSource struct {
	src  sdkdb.VersionSource
	file string // the archive path for file and pom locations
	key  string // the properties key for file (with key) and pom locations
	re   *regexp.Regexp
}

// compileVersions compiles the version locations of every entry. A pattern
// that does not compile (Validate refuses it in a loaded catalogue) makes
// the location unusable rather than the matcher.
func compileVersions(entries []*sdkdb.Entry) ([][]versionSource, inventory.VersionQuery) {
	out := make([][]versionSource, len(entries))
	var q inventory.VersionQuery
	files, consts := map[string]bool{}, map[inventory.ClassField]bool{}
	for i, e := range entries {
		for _, v := range e.Version {
			vs := versionSource{src: v, file: v.File, key: v.Key}
			if v.Pom != "" {
				g, a, _ := strings.Cut(v.Pom, ":")
				vs.file, vs.key = "META-INF/maven/"+g+"/"+a+"/pom.properties", "version"
			}
			if v.Pattern != "" {
				re, err := regexp.Compile(v.Pattern)
				if err != nil || re.NumSubexp() < 1 {
					continue
				}
				vs.re = re
			}
			switch {
			case vs.file != "" && !files[vs.file]:
				files[vs.file] = true
				q.Files = append(q.Files, vs.file)
			case v.Class != "":
				cf := inventory.ClassField{Class: v.Class, Field: v.Field}
				if !consts[cf] {
					consts[cf] = true
					q.Constants = append(q.Constants, cf)
				}
			}
			out[i] = append(out[i], vs)
		}
	}
	return out, q
}

// VersionQuery returns the places the catalogue's entries carry their
// versions. Pass it to the inventory (Options.WantVersions) so that it reads
// those files and constants.
func (m *Matcher) VersionQuery() inventory.VersionQuery {
	return inventory.VersionQuery{Files: append([]string(nil), m.vquery.Files...), Constants: append([]inventory.ClassField(nil), m.vquery.Constants...)}
}

// version returns the version of entry i from the inventory's values: its
// locations are tried in catalogue order, and in each the values in the
// inventory's order (by path); the first that yields a version wins.
func (m *Matcher) version(i int, vals []inventory.VersionValue) (string, *VersionEvidence) {
	for _, vs := range m.vsrc[i] {
		for _, v := range vals {
			ev, raw, ok := vs.read(v)
			if !ok {
				continue
			}
			if version, ok := vs.extract(raw); ok {
				ev.Value = raw
				return version, ev
			}
		}
	}
	return "", nil
}

// read reports whether v is a value of this location, and the raw value it holds.
func (vs versionSource) read(v inventory.VersionValue) (*VersionEvidence, string, bool) {
	switch {
	case vs.src.Manifest != "":
		if v.Kind == inventory.VersionManifest && v.Key == vs.src.Manifest {
			return &VersionEvidence{Kind: VersionFromManifest, Path: v.Path, Field: "android:versionName"}, v.Value, true
		}
	case vs.file != "":
		if v.Kind != inventory.VersionFileText || v.Key != vs.file {
			return nil, "", false
		}
		kind := VersionFromFile
		if vs.src.Pom != "" {
			kind = VersionFromPom
		}
		if vs.key == "" {
			return &VersionEvidence{Kind: kind, Path: v.Path}, strings.TrimSpace(v.Value), true
		}
		raw, ok := property(v.Value, vs.key)
		return &VersionEvidence{Kind: kind, Path: v.Path, Field: vs.key}, raw, ok
	case vs.src.Class != "":
		if v.Key != vs.src.Class+"."+vs.src.Field {
			return nil, "", false
		}
		switch v.Kind {
		case inventory.VersionClassConstant:
			return &VersionEvidence{Kind: VersionFromClassConstant, Path: v.Path, Field: v.Key}, v.Value, true
		case inventory.VersionDexConstant:
			return &VersionEvidence{Kind: VersionFromDexConstant, Path: v.Path, Field: v.Key}, v.Value, true
		}
	}
	return nil, "", false
}

// extract takes the version out of a raw value: the pattern's first group,
// or without a pattern the value itself when it looks like one line of text.
func (vs versionSource) extract(raw string) (string, bool) {
	if vs.re != nil {
		sm := vs.re.FindStringSubmatch(raw)
		if sm == nil || strings.TrimSpace(sm[1]) == "" {
			return "", false
		}
		return strings.TrimSpace(sm[1]), true
	}
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxVersionLen || strings.ContainsAny(raw, "\r\n") {
		return "", false
	}
	return raw, true
}

// property returns the value of key in Java properties or JAR manifest text
// ("key=value", "key: value", "key value"), as the first line that sets it.
// Continuation lines and escapes are not decoded: a version needs neither.
func property(text, key string) (string, bool) {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' || line[0] == '!' {
			continue
		}
		i := strings.IndexAny(line, "=: \t")
		if i < 0 || line[:i] != key {
			continue
		}
		rest := strings.TrimLeft(line[i:], " \t")
		if rest != "" && (rest[0] == '=' || rest[0] == ':') {
			rest = rest[1:]
		}
		return strings.TrimSpace(rest), true
	}
	return "", false
}
