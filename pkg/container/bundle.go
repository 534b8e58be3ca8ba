package container

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// maxJSON bounds the bundle descriptors (manifest.json, info.json).
const maxJSON = 4 << 20

// Split is one APK of a bundle.
type Split struct {
	Name string // split id: "base", "config.arm64_v8a", ...
	Path string // entry name in the bundle
	Base bool   // the base APK
}

// XAPKManifest is what an XAPK's manifest.json declares.
type XAPKManifest struct {
	PackageName string      `json:"package_name"`
	Name        string      `json:"name"`
	VersionName string      `json:"version_name"`
	VersionCode flexInt     `json:"version_code"`
	MinSDK      flexInt     `json:"min_sdk_version"`
	TargetSDK   flexInt     `json:"target_sdk_version"`
	Permissions []string    `json:"permissions"`
	SplitAPKs   []XAPKSplit `json:"split_apks"`
}

// XAPKSplit is one entry of an XAPK's split_apks list.
type XAPKSplit struct {
	File string `json:"file"`
	ID   string `json:"id"`
}

// flexInt accepts a JSON number or a string holding one, as XAPK writers
// use both.
type flexInt int64

// UnmarshalJSON accepts 42, "42" and null.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("container: %q is not an integer", s)
	}
	*f = flexInt(v)
	return nil
}

// ReadXAPKManifest reads and decodes the archive's manifest.json, bounded to
// a few MiB.
func ReadXAPKManifest(a *Archive) (*XAPKManifest, error) {
	e := a.Lookup("manifest.json")
	if e == nil {
		return nil, fmt.Errorf("container: no manifest.json: %w", ErrFormat)
	}
	if e.UncompressedSize > maxJSON {
		return nil, &limits.LimitError{What: "container: manifest.json size", Limit: maxJSON, Value: clampInt64(e.UncompressedSize)}
	}
	b, err := a.ReadAll(e, nil)
	if err != nil {
		return nil, err
	}
	var m XAPKManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("container: manifest.json: %w", err)
	}
	return &m, nil
}

func xapkManifestHasPackage(a *Archive) bool {
	m, err := ReadXAPKManifest(a)
	return err == nil && m.PackageName != ""
}

// Splits lists the APKs of a bundle (XAPK, APKS, APKM) or the APKs nested in
// any other archive, base first, then by name. For an XAPK the split list of
// manifest.json is used when it names entries that exist; otherwise every
// .apk entry is listed and the base is told by its name (base.apk,
// base-master.apk, or the only APK). Splits returns nil when the archive
// holds no APK. APKs nested in an APK are never its base.
func Splits(a *Archive) []Split {
	var out []Split
	if m, err := ReadXAPKManifest(a); err == nil && len(m.SplitAPKs) > 0 {
		for _, s := range m.SplitAPKs {
			if a.Lookup(s.File) == nil {
				a.warnf("manifest.json lists split %q in %q, which is not in the bundle", s.ID, s.File)
				continue
			}
			out = append(out, Split{Name: s.ID, Path: s.File, Base: s.ID == "base"})
		}
		// APKs the manifest does not list are code too.
		listed := map[string]bool{}
		for _, s := range out {
			listed[s.Path] = true
		}
		for _, e := range a.entries {
			if strings.HasSuffix(e.Name, ".apk") && !listed[e.Name] && !e.dup {
				a.warnf("bundle holds %q, which manifest.json does not list", e.Name)
				out = append(out, Split{Name: splitName(e.Name), Path: e.Name})
			}
		}
	} else {
		for _, e := range a.entries {
			if strings.HasSuffix(e.Name, ".apk") && !e.dup && !e.IsDir() {
				out = append(out, Split{Name: splitName(e.Name), Path: e.Name})
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	hasBase := false
	for _, s := range out {
		hasBase = hasBase || s.Base
	}
	if !hasBase {
		for i := range out {
			if out[i].Name == "base" {
				out[i].Base = true
				hasBase = true
				break
			}
		}
	}
	if !hasBase && len(out) == 1 && a.Lookup("AndroidManifest.xml") == nil {
		out[0].Base = true
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Base != out[j].Base {
			return out[i].Base
		}
		return out[i].Path < out[j].Path
	})
	return out
}

// splitName derives a split id from an entry name: "splits/base-master.apk"
// → "base", "config.arm64_v8a.apk" → "config.arm64_v8a",
// "splits/base-arm64_v8a.apk" → "config.arm64_v8a".
func splitName(name string) string {
	n := strings.TrimSuffix(path.Base(name), ".apk")
	switch {
	case n == "base-master" || n == "base" || n == "standalone":
		return "base"
	case strings.HasPrefix(n, "base-"):
		return "config." + strings.TrimPrefix(n, "base-")
	case strings.HasPrefix(n, "standalone-"):
		return "base"
	}
	if strings.HasSuffix(n, "-master") {
		return strings.TrimSuffix(n, "-master")
	}
	return n
}
