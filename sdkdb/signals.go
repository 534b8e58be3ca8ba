package sdkdb

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Evidence kinds: what a match in the build is reported as (DESIGN.md
// evidence.kind). Each signal kind reports one of them; see SignalKinds.
const (
	EvidenceDexPackage        = "dex-package"
	EvidenceNativeLib         = "native-lib"
	EvidenceNativeJNI         = "native-jni"
	EvidenceComponent         = "component"
	EvidenceMetaData          = "meta-data"
	EvidencePermissionDefined = "permission-defined"
	EvidenceAsset             = "asset"
	EvidenceString            = "string"
	EvidenceVersionFile       = "version-file"
	// EvidenceProguardKeep is no signal kind of its own: a class or package
	// of an entry's dex_packages or classes named by a -keep rule of an AAR's
	// proguard.txt. It is always weak: consumer rules may keep a dependency
	// the library does not bundle.
	EvidenceProguardKeep = "proguard-keep"
	// EvidenceCodeCall is a call site of a sensitive API in the SDK's own
	// code (pkg/sdk Attribute); no catalogue signal reports it.
	EvidenceCodeCall = "code-call"
)

// SignalKind is one kind of evidence a catalogue entry lists under signals:
// its YAML key, the evidence kind a match of it reports, and where its
// values are kept, strong and (for the kinds that may be shared) weak.
type SignalKind struct {
	// Key is the YAML (and JSON) key under signals: "dex_packages".
	Key string
	// Evidence is the evidence kind a match reports: "dex-package".
	Evidence string

	strong func(*Signals) *[]string
	weak   func(*WeakSignals) *[]string // nil: the kind cannot be weak
}

// signalKinds is the one table of signal kinds, in the order evidence is
// listed in a detection: code first, then what survives obfuscation.
var signalKinds = [...]SignalKind{
	{"dex_packages", EvidenceDexPackage, func(s *Signals) *[]string { return &s.DexPackages }, func(w *WeakSignals) *[]string { return &w.DexPackages }},
	{"classes", EvidenceDexPackage, func(s *Signals) *[]string { return &s.Classes }, nil},
	{"native_libs", EvidenceNativeLib, func(s *Signals) *[]string { return &s.NativeLibs }, func(w *WeakSignals) *[]string { return &w.NativeLibs }},
	{"jni_classes", EvidenceNativeJNI, func(s *Signals) *[]string { return &s.JNIClasses }, nil},
	{"components", EvidenceComponent, func(s *Signals) *[]string { return &s.Components }, func(w *WeakSignals) *[]string { return &w.Components }},
	{"meta_data", EvidenceMetaData, func(s *Signals) *[]string { return &s.MetaData }, func(w *WeakSignals) *[]string { return &w.MetaData }},
	{"permissions_defined", EvidencePermissionDefined, func(s *Signals) *[]string { return &s.PermissionsDefined }, nil},
	{"assets", EvidenceAsset, func(s *Signals) *[]string { return &s.Assets }, nil},
	{"strings", EvidenceString, func(s *Signals) *[]string { return &s.Strings }, nil},
	{"version_files", EvidenceVersionFile, func(s *Signals) *[]string { return &s.VersionFiles }, nil},
}

// SignalKinds returns every signal kind, in evidence order.
func SignalKinds() []SignalKind { return signalKinds[:] }

// Values returns the kind's strong values in s, for reading or appending.
func (k SignalKind) Values(s *Signals) *[]string { return k.strong(s) }

// WeakValues returns the kind's weak values in s, or nil when the kind
// cannot be weak.
func (k SignalKind) WeakValues(s *Signals) *[]string {
	if k.weak == nil {
		return nil
	}
	return k.weak(&s.Weak)
}

// CanBeWeak reports whether signals.weak may list values of this kind.
func (k SignalKind) CanBeWeak() bool { return k.weak != nil }

// EvidenceOrder ranks an evidence kind by the first signal kind that reports
// it (dex-package first); kinds no signal reports sort last.
func EvidenceOrder(evidence string) int {
	for i, k := range signalKinds {
		if k.Evidence == evidence {
			return i
		}
	}
	return len(signalKinds)
}

// Count returns how many strong values s lists of each kind, by key, and
// how many weak values under "weak"; kinds with none are left out.
func (s *Signals) Count() map[string]int {
	m := map[string]int{}
	for _, k := range signalKinds {
		if n := len(*k.Values(s)); n > 0 {
			m[k.Key] = n
		}
	}
	if n := s.Weak.Len(); n > 0 {
		m["weak"] = n
	}
	return m
}

// WeakSignals are values an entry shares with other SDKs, by kind: they
// count as evidence only when a strong signal of the entry matched too. A
// weak dex_packages prefix also counts for the components under that package
// and for a meta-data key of that name.
type WeakSignals struct {
	DexPackages []string `yaml:"dex_packages,omitempty" json:"dex_packages,omitempty"`
	NativeLibs  []string `yaml:"native_libs,omitempty" json:"native_libs,omitempty"`
	Components  []string `yaml:"components,omitempty" json:"components,omitempty"`
	MetaData    []string `yaml:"meta_data,omitempty" json:"meta_data,omitempty"`
}

// Len is the number of weak values of every kind.
func (w *WeakSignals) Len() int {
	return len(w.DexPackages) + len(w.NativeLibs) + len(w.Components) + len(w.MetaData)
}

// UnmarshalYAML reads signals.weak as a mapping by kind, like the strong
// signals, or as the older flat list, whose values it sorts into kinds by
// their shape (weakShorthandKey).
func (w *WeakSignals) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.SequenceNode {
		type plain WeakSignals // without this method
		return n.Decode((*plain)(w))
	}
	var vals []string
	if err := n.Decode(&vals); err != nil {
		return err
	}
	*w = WeakByShape(vals)
	return nil
}

// WeakByShape sorts a flat list of weak values into kinds by their shape
// (weakShorthandKey), as the loader reads the older signals.weak list.
func WeakByShape(vals []string) WeakSignals {
	var w WeakSignals
	for _, v := range vals {
		l := signalKind(weakShorthandKey(v)).weak(&w)
		*l = append(*l, v)
	}
	return w
}

// signalKind returns the kind with the given key; the key must be one of the table's.
func signalKind(key string) SignalKind {
	for _, k := range signalKinds {
		if k.Key == key {
			return k
		}
	}
	panic("sdkdb: no signal kind " + key)
}

// weakShorthandKey is the kind of a value of the flat signals.weak list, by
// its shape: a .so name or a glob without dots is a native library, a
// "*.Suffix", "pkg.*" or ${applicationId} pattern a component, anything else
// a package prefix.
func weakShorthandKey(v string) string {
	switch {
	case strings.HasSuffix(v, ".so") || strings.Contains(v, "*") && !strings.Contains(v, "."):
		return "native_libs"
	case strings.HasPrefix(v, "*.") || strings.HasSuffix(v, ".*") || strings.HasPrefix(v, "${applicationId}"):
		return "components"
	}
	return "dex_packages"
}
