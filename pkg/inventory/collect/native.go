package collect

import (
	"bytes"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/native"
)

// maxNativeRead is the largest native library whose ELF tables are read
// inside an archive. SDK libraries are small (JPush's 0.2 MB, LiteAV's 5 MB);
// the largest ones of an app are engines and runtimes (Unity's il2cpp, Flutter,
// Chromium), whose JNI classes name no SDK. A larger library is still matched
// by its name, and the inventory warns that its classes were not read.
const maxNativeRead = 32 << 20

// abiPreference orders the copies of one library across ABI folders: the
// first present is read (their JNI classes are the same).
var abiPreference = []string{"arm64-v8a", "armeabi-v7a", "armeabi", "x86_64", "x86"}

// nativeEntry is one .so entry of an archive.
type nativeEntry struct {
	a    *container.Archive
	e    *container.Entry
	name string // prefix + entry name
}

// readBareNative reads the artifact as one native library (a bare .so).
func (b *builder) readBareNative() error {
	b.inv.Artifact.Kind = string(container.KindELF)
	name := path.Base(b.inv.Artifact.Path)
	b.inv.NativeLibs = append(b.inv.NativeLibs, name)
	if b.opt.NoCode {
		return nil
	}
	lib, err := native.NewFile(io.NewSectionReader(b.file, 0, b.file.Size()), b.file.Size(), b.opt.Limits)
	if err != nil {
		return err
	}
	b.addNative(name, lib)
	return nil
}

// queueNative queues the reading of the archive's native libraries: for each
// library name the copy of the most preferred ABI, one task each.
func (b *builder) queueNative(libs []nativeEntry) {
	if b.opt.NoCode || len(libs) == 0 {
		return
	}
	best := map[string]nativeEntry{}
	for _, l := range libs {
		base := path.Base(l.e.Name)
		if have, ok := best[base]; !ok || abiRank(l.e.Name) < abiRank(have.e.Name) {
			best[base] = l
		}
	}
	var large []string
	for _, l := range best {
		if l.e.UncompressedSize > maxNativeRead {
			large = append(large, path.Base(l.e.Name))
			continue
		}
		b.tasks = append(b.tasks, task{cost: int64(l.e.UncompressedSize), run: func(w *worker) {
			data, release, err := b.inflate(w, l.a, l.e, l.name)
			defer release()
			if err != nil {
				b.warn(l.name, "native library not read: %v", err)
				return
			}
			lib, err := native.NewFile(bytes.NewReader(data), int64(len(data)), b.opt.Limits)
			if err != nil {
				b.warn(l.name, "native library not read: %v", err)
				return
			}
			b.addNative(l.name, lib)
		}, fail: func(err error) { b.warn(l.name, "native library not read: %v", err) }})
	}
	if len(large) > 0 {
		sort.Strings(large)
		b.warn("native", "JNI classes of %d libraries over %d MiB not read (matched by name only): %s",
			len(large), maxNativeRead>>20, strings.Join(large, ", "))
	}
}

// abiRank is the position of the entry's ABI folder in abiPreference; unknown ABIs rank last.
func abiRank(name string) int {
	dir := path.Base(path.Dir(name))
	for i, a := range abiPreference {
		if a == dir {
			return i
		}
	}
	return len(abiPreference)
}

// addNative records what lib says about itself under name.
func (b *builder) addNative(name string, lib *native.File) {
	n := inventory.NativeLib{Path: name, Soname: lib.Soname, ABI: lib.ABI, Needed: lib.Needed, ClassStrings: lib.ClassStrings}
	seen := map[string]bool{}
	for _, m := range lib.JNI {
		if !seen[m.Class] {
			seen[m.Class] = true
			n.JNIClasses = append(n.JNIClasses, m.Class)
		}
	}
	sort.Strings(n.JNIClasses)
	b.mu.Lock()
	b.inv.Native = append(b.inv.Native, n)
	b.mu.Unlock()
	for _, w := range lib.Warnings {
		b.warn(name, "%s", w)
	}
}
