package collect

import (
	"cmp"
	"io"
	"sort"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/classfile"
	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/dex"
	"github.com/apkaudit/apkaudit/pkg/inventory"
)

// maxClassRead is the largest .class file parsed for a version constant (a
// BuildConfig or Constants class is a few KiB).
const maxClassRead = 1 << 20

// classRoots are the folders a JAR keeps its classes under.
var classRoots = []string{"", "classes/", "BOOT-INF/classes/"}

// versionTasks returns one task per place of the version query found in an
// archive of the artifact: a file to read, a .class file to parse. They run
// after the walk, when the catalogue has long been loaded, and each reads one
// small entry.
func (b *builder) versionTasks() []task { return b.versionTasksOf(b.archives) }

// versionTasksOf is versionTasks for the given archives only.
func (b *builder) versionTasksOf(archives []archiveAt) []task {
	q := b.wantVersions()
	if len(q.Files) == 0 && len(q.Constants) == 0 {
		return nil
	}
	var tasks []task
	for _, at := range archives {
		for _, name := range q.Files {
			if e := at.a.Lookup(name); e != nil {
				tasks = append(tasks, task{cost: 1, run: func(*worker) { b.readVersionText(at, e) }})
			}
		}
		if b.opt.NoCode {
			continue
		}
		for _, c := range q.Constants {
			for _, root := range classRoots {
				if e := at.a.Lookup(root + strings.ReplaceAll(c.Class, ".", "/") + ".class"); e != nil {
					tasks = append(tasks, task{cost: 1, run: func(*worker) { b.readClassConstant(at, e, c) }})
				}
			}
		}
	}
	return tasks
}

// readVersionText records the first MaxVersionText bytes of the entry.
func (b *builder) readVersionText(at archiveAt, e *container.Entry) {
	rc, err := at.a.Open(e)
	if err != nil {
		b.warn(at.prefix+e.Name, "not read: %v", err)
		return
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, inventory.MaxVersionText))
	if err != nil {
		b.warn(at.prefix+e.Name, "not read: %v", err)
		return
	}
	b.addVersion(inventory.VersionValue{Kind: inventory.VersionFileText, Key: e.Name, Path: at.prefix + e.Name, Value: string(data)})
}

// readClassConstant records the constant value of the static final String c.Field of the class file e.
func (b *builder) readClassConstant(at archiveAt, e *container.Entry, c inventory.ClassField) {
	if e.UncompressedSize > maxClassRead {
		return
	}
	data, err := at.a.ReadAll(e, nil)
	if err != nil {
		b.warn(at.prefix+e.Name, "not read: %v", err)
		return
	}
	cf, err := classfile.Parse(data)
	if err != nil {
		b.warn(at.prefix+e.Name, "not read: %v", err)
		return
	}
	if v, ok := cf.StringConstant(c.Field); ok {
		b.addVersion(inventory.VersionValue{Kind: inventory.VersionClassConstant, Key: c.Class + "." + c.Field, Path: at.prefix + e.Name, Value: v})
	}
}

// readDexConstants records the initial String values of the asked static
// fields that the DEX image f defines; name is its place in the artifact.
func (b *builder) readDexConstants(f *dex.File, name string) {
	for _, c := range b.wantVersions().Constants {
		v, ok, err := f.StaticValue("L"+strings.ReplaceAll(c.Class, ".", "/")+";", c.Field)
		if err != nil {
			b.warn(name, "static values of %s not read: %v", c.Class, err)
			continue
		}
		if ok && v.Kind == dex.ValueString {
			b.addVersion(inventory.VersionValue{Kind: inventory.VersionDexConstant, Key: c.Class + "." + c.Field, Path: name, Value: v.Str})
		}
	}
}

func (b *builder) addVersion(v inventory.VersionValue) {
	b.mu.Lock()
	b.inv.VersionValues = append(b.inv.VersionValues, v)
	b.mu.Unlock()
}

// sortSDKFacts orders what the readers recorded concurrently, so that the
// inventory is the same on every run.
func sortSDKFacts(inv *inventory.Inventory) {
	sort.Slice(inv.Native, func(i, j int) bool { return inv.Native[i].Path < inv.Native[j].Path })
	sort.Slice(inv.VersionValues, func(i, j int) bool {
		a, c := inv.VersionValues[i], inv.VersionValues[j]
		return cmp.Or(cmp.Compare(a.Path, c.Path), cmp.Compare(a.Key, c.Key), cmp.Compare(a.Kind, c.Kind)) < 0
	})
	sort.Slice(inv.KeepRules, func(i, j int) bool {
		a, c := inv.KeepRules[i], inv.KeepRules[j]
		return cmp.Or(cmp.Compare(a.Path, c.Path), cmp.Compare(a.Pattern, c.Pattern)) < 0
	})
}
