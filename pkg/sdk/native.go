package sdk

import (
	"path"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// matchNative matches the native libraries whose ELF tables were read
// (sdkdb README, "A native library …"):
//
//   - its DT_SONAME against native_libs, like its file name (a library
//     renamed in the archive keeps the name it was linked as);
//   - a class it exports Java_* functions for is its own code: it matches
//     dex_packages (longest prefix, weak ones as weak evidence), classes and
//     jni_classes, like a DEX class;
//   - a class name in its read-only data may be one it only calls: it
//     matches jni_classes alone.
//
// JNI evidence is one item per library and catalogue value, "libx.so:
// com.vendor.sdk", counting the classes that matched it.
func (m *Matcher) matchNative(inv *inventory.Inventory, c collector) {
	named := map[string]bool{}
	for _, p := range inv.NativeLibs {
		named[path.Base(p)] = true
	}
	for _, lib := range inv.Native {
		if lib.Soname != "" && !named[lib.Soname] {
			named[lib.Soname] = true
			m.matchLibName(lib.Soname, c)
		}
		base := path.Base(lib.Path)
		for _, cls := range lib.JNIClasses {
			m.matchCode(base, cls, c)
			m.matchJNI(base, cls, c)
		}
		for _, cls := range lib.ClassStrings {
			m.matchJNI(base, cls, c)
		}
	}
}

// matchCode matches a class a library exports functions for against the DEX signals.
func (m *Matcher) matchCode(lib, cls string, c collector) {
	var deepest *node
	cur := m.pkgs
	for _, seg := range strings.Split(cls, ".") {
		if cur = cur.children[seg]; cur == nil {
			break
		}
		if len(cur.strong) > 0 {
			deepest = cur
		}
		for _, i := range cur.weak {
			c.add(i, true, sdkdb.EvidenceNativeJNI, lib+": "+cur.prefix, 1)
		}
	}
	if deepest != nil {
		for _, i := range deepest.strong {
			c.add(i, false, sdkdb.EvidenceNativeJNI, lib+": "+deepest.prefix, 1)
		}
	}
	for _, i := range m.classes[cls] {
		c.add(i, false, sdkdb.EvidenceNativeJNI, lib+": "+cls, 1)
	}
}

// matchJNI matches a class a library binds against jni_classes, the longest value winning.
func (m *Matcher) matchJNI(lib, cls string, c collector) {
	if m.jni == nil {
		return
	}
	if n := m.jni.longest(cls); n != nil {
		for _, i := range n.strong {
			c.add(i, false, sdkdb.EvidenceNativeJNI, lib+": "+n.prefix, 1)
		}
	}
}

// longest returns the deepest node with strong entries on the dotted name's path, or nil.
func (n *node) longest(dotted string) *node {
	var deepest *node
	cur := n
	for _, seg := range strings.Split(dotted, ".") {
		if cur = cur.children[seg]; cur == nil {
			break
		}
		if len(cur.strong) > 0 {
			deepest = cur
		}
	}
	return deepest
}

// matchLibName matches one library name against the native_libs globs.
func (m *Matcher) matchLibName(base string, c collector) {
	for _, g := range m.libs {
		if ok, _ := path.Match(g.glob, base); ok {
			c.add(g.entry, g.weak, sdkdb.EvidenceNativeLib, base, 1)
		}
	}
}
