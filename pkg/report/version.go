package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/diff"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/sdk"
)

// JSONVersionEvidence is sdks[].version_evidence{kind, path, field, value}:
// where the SDK's version was read.
type JSONVersionEvidence struct {
	// Kind is manifest, file, pom, class-constant or dex-constant.
	Kind string `json:"kind"`
	// Path is the place in the artifact ("AndroidManifest.xml", "classes.jar!/a/b/BuildConfig.class").
	Path string `json:"path"`
	// Field is what was read there ("android:versionName", a properties key, "Class.FIELD").
	Field string `json:"field,omitempty"`
	// Value is the value as found ("android 5.5.3"), before the catalogue's pattern.
	Value string `json:"value"`
}

func jsonVersionEvidence(e *sdk.VersionEvidence) *JSONVersionEvidence {
	if e == nil {
		return nil
	}
	return &JSONVersionEvidence{Kind: e.Kind, Path: e.Path, Field: e.Field, Value: e.Value}
}

// versionCell is an SDK's version for a table cell: "-" when the build carries none.
func versionCell(s JSONSDK) string {
	if s.Version == "" {
		return "-"
	}
	return s.Version
}

// versionSuffix is " 15.7.9" for an SDK that carries a version, "" otherwise (diff lines).
func versionSuffix(s JSONSDK) string {
	if s.Version == "" {
		return ""
	}
	return " " + s.Version
}

// DiffSDKVersion is an SDK both builds embed whose version changed.
type DiffSDKVersion struct {
	ID                 string               `json:"id"`
	Name               string               `json:"name"`
	NameZh             string               `json:"name_zh"`
	OldVersion         string               `json:"old_version"`
	NewVersion         string               `json:"new_version"`
	OldVersionEvidence *JSONVersionEvidence `json:"old_version_evidence"`
	NewVersionEvidence *JSONVersionEvidence `json:"new_version_evidence"`
}

func diffSDKVersions(cs []diff.VersionChange) []DiffSDKVersion {
	out := []DiffSDKVersion{}
	for _, c := range cs {
		e := c.New.Entry
		out = append(out, DiffSDKVersion{ID: e.ID, Name: e.Name, NameZh: e.NameZh,
			OldVersion: c.Old.Version, NewVersion: c.New.Version,
			OldVersionEvidence: jsonVersionEvidence(c.Old.VersionEvidence), NewVersionEvidence: jsonVersionEvidence(c.New.VersionEvidence)})
	}
	return out
}

// versionChangeText is "~ umeng-analytics (Umeng Analytics): 9.5.0 → 9.6.3".
func versionChangeText(o Options, c DiffSDKVersion) string {
	name := c.Name
	if o.zh() && c.NameZh != "" {
		name = c.NameZh
	}
	return fmt.Sprintf("~ %s (%s): %s → %s", c.ID, name, c.OldVersion, c.NewVersion)
}

// JSONNativeLib is native[{path, soname, abi, needed, jni_classes, class_strings}]:
// a native library whose ELF tables were read.
type JSONNativeLib struct {
	Path         string   `json:"path"`
	Soname       string   `json:"soname,omitempty"`
	ABI          string   `json:"abi,omitempty"`
	Needed       []string `json:"needed"`
	JNIClasses   []string `json:"jni_classes"`
	ClassStrings []string `json:"class_strings"`
}

func jsonNative(libs []inventory.NativeLib) []JSONNativeLib {
	var out []JSONNativeLib
	for _, l := range libs {
		out = append(out, JSONNativeLib{Path: l.Path, Soname: l.Soname, ABI: l.ABI, Needed: sortedStrings(slices.Clone(l.Needed)),
			JNIClasses: sortedStrings(slices.Clone(l.JNIClasses)), ClassStrings: sortedStrings(slices.Clone(l.ClassStrings))})
	}
	return out
}

// nativeRow is one native library for the table: path, ABI, soname, and the
// first JNI classes it binds.
func nativeRow(l JSONNativeLib) []string {
	classes := append(append([]string(nil), l.JNIClasses...), l.ClassStrings...)
	text := strings.Join(classes[:min(len(classes), 3)], ", ")
	if len(classes) > 3 {
		text += fmt.Sprintf(" (+%d)", len(classes)-3)
	}
	return []string{l.Path, l.ABI, l.Soname, text}
}

// findingSDK returns the detected SDK an SDK finding is about, nil for other findings.
func findingSDK(b *Build, f Finding) *JSONSDK {
	if b == nil {
		return nil
	}
	for i := range b.SDKs {
		if b.SDKs[i].ID == f.Subject {
			return &b.SDKs[i]
		}
	}
	return nil
}

// sdkVersionProperties are the JUnit suite properties "sdk_version:ID" = version,
// one per detected SDK that carries a version (testcase names stay the same
// across versions, so that CI history follows an SDK through upgrades).
func sdkVersionProperties(sdks []JSONSDK) []JUnitProperty {
	var out []JUnitProperty
	for _, s := range sdks {
		if s.Version != "" {
			out = append(out, JUnitProperty{"sdk_version:" + s.ID, s.Version})
		}
	}
	return out
}
