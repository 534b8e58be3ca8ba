// Package collect reads an artifact and collects its inventory: the app's
// identity, permissions, components, code packages, native libraries,
// assets, version files and warnings, from an opened container.File, using
// the format readers (container, manifest, dex) and the permission facts. It
// is the only package that knows all the readers; the Inventory it returns
// is pkg/inventory's, which imports none of them, so that the matcher, the
// rules and the renderers do not depend on the readers. It knows nothing of
// SDKs or policies.
package collect

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/dex"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/pkg/manifest"
	"github.com/apkaudit/apkaudit/pkg/permissions"
)

// Options tune how an Inventory is built.
type Options struct {
	Limits limits.Limits
	// Jobs is how many DEX files are inflated and parsed at once (default: the number of CPUs).
	Jobs int
	// NoCode skips DEX, JAR and native-library analysis: manifest-only answers.
	NoCode bool
	// KeepClasses keeps every class name in Code.ClassNames (inspect --classes).
	KeepClasses bool
	// WantStrings returns the DEX string constants to count in Inventory.Strings (asked
	// for by the SDK catalogue). It is called once, when the first DEX is parsed, so the
	// catalogue can load while the archive is opened and inflated. Nil asks for none.
	WantStrings func() []string
	// WantVersions returns the places SDK versions live (asked for by the SDK
	// catalogue): constants are read from each DEX as it is parsed and from
	// .class files, files from every archive, once the walk is done. Nil asks
	// for none; library manifests' versionName is recorded regardless.
	WantVersions func() inventory.VersionQuery
	// Prepare, when not nil, runs once on the scan pool, after the largest
	// tasks have started, once the artifact is open: the caller prepares there what
	// WantStrings and WantVersions return (the SDK matcher), so that neither
	// the open nor the largest DEX waits or shares a core with it. A panic
	// in it is dropped; its caller meets it again when it uses what Prepare
	// built.
	Prepare func()
}

// ErrUnreadable is matched by errors for inputs that are no artifact apkaudit can read.
var ErrUnreadable = errors.New("not an APK, AAB, bundle, JAR/AAR, DEX, native library (.so) or AndroidManifest.xml")

// Build reads the artifact f (the caller opens and closes it). The error,
// when not nil, names the reason (the caller adds the path); partial problems
// are Warnings and Unanalysed instead. ctx cancels the scan: no task starts
// once it is done, and Build returns its error.
//
// Every reader runs on the scan pool, the one place where a panic is
// recovered: a panic in one DEX, or a fault reading a mapping that another
// process truncated, makes that part unanalysed (or, while the manifest or
// the central directory is read, the artifact unreadable), never a crash.
func Build(ctx context.Context, f *container.File, opt Options) (*inventory.Inventory, error) {
	opt.Limits = opt.Limits.WithDefaults()
	if opt.Jobs <= 0 {
		opt.Jobs = runtime.NumCPU()
	}
	if f.Size() == 0 {
		return nil, errors.New("file is empty")
	}
	b := &builder{ctx: ctx, opt: opt, file: f, mem: limits.NewMemory(opt.Limits.InFlight), inv: &inventory.Inventory{Artifact: inventory.Artifact{Path: f.Name, Size: f.Size()}}}
	b.want = sync.OnceValue(func() []string {
		if opt.WantStrings == nil {
			return nil
		}
		return opt.WantStrings()
	})
	b.wantV = sync.OnceValue(func() inventory.VersionQuery {
		if opt.WantVersions == nil {
			return inventory.VersionQuery{}
		}
		return opt.WantVersions()
	})
	// Telling the kind and walking the archives queue the reading tasks;
	// they run on the pool themselves, so that their faults are recovered.
	var err error
	// The artifact is opened alone, so that its largest DEX starts as soon
	// as the central directory is read; the rest of the start-up work runs
	// beside it (task.beside).
	b.runTasks(ctx, []task{{cost: 1, run: func(*worker) { err = b.open() }, fail: func(e error) { err = e }}})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}
	// The file's hash is one more task of the pool, so it runs beside the DEX
	// work instead of competing with the largest DEX for a core.
	b.tasks = append(b.tasks, task{cost: f.Size() / 8, run: func(*worker) {
		if sum, err := f.SHA256(); err == nil {
			b.inv.Artifact.SHA256 = sum
		}
	}, fail: func(err error) { b.warn("apkaudit", "SHA-256 not computed: %v", err) }})
	// The permission table, for the manifest's permissions once every task is done.
	b.tasks = append(b.tasks, task{beside: true, run: func(*worker) { permissions.Lookup("") }})
	if opt.Prepare != nil {
		b.tasks = append(b.tasks, task{beside: true, run: func(*worker) { opt.Prepare() }, fail: func(error) {}})
	}
	b.runTasks(ctx, b.tasks)
	if b.readErr != nil {
		return nil, b.readErr
	}
	// Version files and class constants, looked up in every archive the walk opened.
	b.runTasks(ctx, b.versionTasks())
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.collectWarnings()
	if b.manErr != nil {
		// Fail closed: without the manifest no permission can be checked.
		return nil, fmt.Errorf("AndroidManifest.xml is unreadable: %w", b.manErr)
	}
	b.finish()
	return b.inv, nil
}

// open tells the artifact's kind and reads it, queueing the pool's tasks.
func (b *builder) open() error {
	kind, archive, err := b.file.Identify(b.opt.Limits)
	if err != nil {
		return err
	}
	b.top = archive
	return b.read(kind, archive)
}

// task is one unit of work of the scan pool. cost orders the tasks, largest first,
// so the longest one (usually the biggest DEX) starts at once and the small ones
// fill the other workers around it.
type task struct {
	cost int64
	run  func(w *worker)
	// fail records why run panicked (a page of the memory-mapped artifact
	// that can no longer be read, a reader bug); nil reports the panic as a
	// warning.
	fail func(error)
	// beside tasks start once each worker has started one of the largest
	// tasks, whatever their cost: start-up work that the scan needs only
	// later, taken by the first worker done, not by the largest DEX's.
	beside bool
}

// worker is the state one pool goroutine reuses across tasks: one inflate buffer
// (a fresh buffer per DEX costs page faults) and its own package counts.
type worker struct {
	buf []byte
	// free frees buf (container.NewBuffer): when the worker replaces it and
	// when the worker ends. Nothing refers to buf's bytes between tasks.
	free func()
	pk   map[string]*int
}

// setBuf makes buf, freed by free, the worker's inflate buffer, freeing the last one.
func (w *worker) setBuf(buf []byte, free func()) {
	if w.free != nil {
		w.free()
	}
	w.buf, w.free = buf, free
}

// runTasks runs tasks on opt.Jobs workers, largest cost first, and starts no
// more once ctx is done. Tasks that run may queue more in b.tasks.
func (b *builder) runTasks(ctx context.Context, tasks []task) {
	b.tasks = nil
	sort.SliceStable(tasks, func(i, j int) bool { return tasks[i].cost > tasks[j].cost })
	tasks = besideFirst(tasks, b.opt.Jobs)
	n := min(b.opt.Jobs, len(tasks))
	ch := make(chan task)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A fault reading the mapping (the file was truncated meanwhile)
			// panics instead of killing the process; runTask recovers it.
			debug.SetPanicOnFault(true)
			w := &worker{pk: map[string]*int{}}
			for t := range ch {
				b.runTask(t, w)
			}
			w.setBuf(nil, nil)
			b.mergePackages(w.pk)
		}()
	}
dispatch:
	for _, t := range tasks {
		select {
		case ch <- t:
		case <-ctx.Done():
			break dispatch
		}
	}
	close(ch)
	wg.Wait()
}

// besideFirst moves the beside tasks of tasks, sorted by cost, to just
// after the first n other tasks (one for each worker), keeping their order.
func besideFirst(tasks []task, n int) []task {
	var beside, rest []task
	for _, t := range tasks {
		if t.beside {
			beside = append(beside, t)
		} else {
			rest = append(rest, t)
		}
	}
	n = min(n, len(rest))
	out := make([]task, 0, len(tasks))
	return append(append(append(out, rest[:n]...), beside...), rest[n:]...)
}

// runTask runs t at the root of a pool goroutine, turning a panic into
// t.fail's error: one failed task is partial analysis, never a crash of the
// whole scan. It is the only recover of the readers' path.
func (b *builder) runTask(t task, w *worker) {
	defer func() {
		if p := recover(); p != nil {
			err := readerPanic(p)
			if t.fail != nil {
				t.fail(err)
			} else {
				b.warn("apkaudit", "%v", err)
			}
		}
	}()
	t.run(w)
}

// readerPanic describes a panic recovered from a reader.
func readerPanic(p any) error {
	if f, ok := p.(interface{ Addr() uintptr }); ok {
		return fmt.Errorf("the file could not be read at a memory-mapped address (%#x): it changed or shrank while it was read", f.Addr())
	}
	return fmt.Errorf("reader failed: %v", p)
}

type builder struct {
	ctx    context.Context // the scan's, for the pools of nested archives
	opt    Options
	inv    *inventory.Inventory
	mu     sync.Mutex
	pkgs   map[string]int
	man    *manifest.Manifest
	manErr error
	tasks  []task
	want   func() []string               // sync.OnceValue over opt.WantStrings
	wantV  func() inventory.VersionQuery // sync.OnceValue over opt.WantVersions
	// archives are the artifact's archive and those nested in it, for their warnings.
	archives []archiveAt
	file     *container.File    // the artifact
	mem      *limits.Memory     // the scan's in-flight budget, shared by every job
	bufs     bigBufs            // the large inflate buffers no task uses now
	top      *container.Archive // the artifact's own archive; nil for a bare DEX or manifest
	dexes    int                // DEX entries queued, for the DexFiles limit
	// classFiles counts JAR .class files, whose code the code scan does not read.
	classFiles int
	// basePrefix is "base.apk!/" for the base APK of a split bundle, whose manifest is the app's.
	basePrefix string
	// baseErr is why the base APK of a split bundle could not be opened.
	baseErr error
	// splitNames are the names of a lying bundle's splits, by entry name,
	// as their own manifests give them.
	splitNames map[string]string
	// gcDue is set once a large inflated nested archive was released.
	gcDue bool
	// readErr is why a bare DEX artifact could not be read (its task runs
	// in the main round).
	readErr error
}

func (b *builder) warn(source, format string, args ...any) {
	b.mu.Lock()
	b.inv.Warnings = append(b.inv.Warnings, inventory.Warning{Source: source, Message: fmt.Sprintf(format, args...)})
	b.mu.Unlock()
}

func (b *builder) unanalysed(p string, err error) {
	b.mu.Lock()
	b.inv.Unanalysed = append(b.inv.Unanalysed, inventory.Unanalysed{Path: p, Reason: err.Error()})
	b.inv.Warnings = append(b.inv.Warnings, inventory.Warning{Source: p, Message: "not analysed: " + err.Error()})
	b.mu.Unlock()
}

// archiveAt is an archive read during the build and where it sits in the artifact.
type archiveAt struct {
	a      *container.Archive
	prefix string // "" for the artifact, "base.apk!/" for a split
}

// collectWarnings records the warnings of every archive read, once all reading is done.
func (b *builder) collectWarnings() {
	for _, at := range b.archives {
		b.archiveWarnings(at)
	}
}

// archiveWarnings records the warnings of one archive, once its reading is done.
func (b *builder) archiveWarnings(at archiveAt) {
	for _, w := range at.a.Warnings() {
		b.warn(strings.TrimSuffix(at.prefix, "!/")+"zip", "%s", w)
	}
}

// read dispatches on the artifact kind; a is the archive Identify opened, nil for non-archives.
func (b *builder) read(kind container.Kind, a *container.Archive) error {
	// A bare artifact is read whole: its size (the file's, from fstat) is
	// checked before a byte is read, so that a sparse or huge file is
	// refused without being paged into memory.
	tooLarge := func(what string) error {
		if n := b.file.Size(); n > b.opt.Limits.EntrySize {
			return &limits.LimitError{What: what + " size (limit: EntrySize)", Limit: b.opt.Limits.EntrySize, Value: n}
		}
		return nil
	}
	whole := func(what string) ([]byte, error) {
		if err := tooLarge(what); err != nil {
			return nil, err
		}
		if err := b.mem.Acquire(b.file.Size(), what); err != nil {
			return nil, err
		} // held until the scan ends: the bare artifact is the whole scan
		return limits.ReadAtMost(io.NewSectionReader(b.file, 0, b.file.Size()), b.opt.Limits.EntrySize, what)
	}
	switch kind {
	case container.KindManifestAXML, container.KindManifestXML:
		b.inv.Artifact.Kind = "manifest"
		data, err := whole("manifest")
		if err != nil {
			return err
		}
		m, err := parseManifest(data, nil)
		if err != nil {
			return err
		}
		b.man = m
		return nil
	case container.KindDEX:
		b.inv.Artifact.Kind = "dex"
		if b.opt.NoCode {
			return nil
		}
		if err := tooLarge("dex"); err != nil {
			return err // now, before the hash of the file is queued beside it
		}
		// Scanned in the main round, beside the start-up work (task.beside),
		// as an archive's DEX entries are; its error is the artifact's.
		b.tasks = append(b.tasks, task{cost: b.file.Size(), run: func(*worker) {
			data, err := whole("dex")
			if err != nil {
				b.readErr = err
				return
			}
			pk := map[string]*int{}
			if err := b.scanDex(data, pk, path.Base(b.inv.Artifact.Path)); err != nil {
				b.readErr = err
				return
			}
			b.mergePackages(pk)
		}, fail: func(err error) { b.readErr = err }})
		return nil
	case container.KindELF:
		return b.readBareNative()
	case container.KindUnknown:
		return ErrUnreadable
	}
	if a == nil {
		return ErrUnreadable
	}
	b.inv.Artifact.Kind = artifactKind(kind)
	return b.readArchive(a, kind, "", 0)
}

func artifactKind(k container.Kind) string {
	switch k {
	case container.KindAPK, container.KindAPKS, container.KindAPKM, container.KindXAPK,
		container.KindAAB, container.KindJAR, container.KindAAR:
		return string(k)
	}
	return "zip"
}

// dexJob is one DEX entry waiting to be inflated and parsed.
type dexJob struct {
	a    *container.Archive
	e    *container.Entry
	name string
}

// readArchive walks one archive. prefix names where it sits inside the artifact ("" for the top level,
// "base.apk!/" for a split); depth counts nesting.
func (b *builder) readArchive(a *container.Archive, kind container.Kind, prefix string, depth int) error {
	// The archive's warnings are collected after every task ran (collectWarnings):
	// reading entries adds some (a CRC mismatch, an entry cut at its size).
	b.archives = append(b.archives, archiveAt{a: a, prefix: prefix})
	if prefix == "" {
		// The artifact's layout check reads one local header per entry (3,841
		// reads for a large APK): a task of the pool, beside the DEX work.
		b.tasks = append(b.tasks, task{cost: int64(len(a.Entries())) << 12, run: func(*worker) {
			a.CheckLayout()
			// The headers it touched are scattered over the whole file; the
			// DEX being inflated fault their pages back in as they go.
			b.file.Drop(0, a.Size())
		}, fail: func(err error) { b.warn("zip", "layout not checked: %v", err) }})
	}
	var (
		jobs        []dexJob
		manifestEnt *container.Entry
		table       *container.Entry // resources.arsc, or an AAB's base/resources.pb
		libs        []nativeEntry
	)
	isAAB := kind == container.KindAAB
	isBundle := kind == container.KindAPKS || kind == container.KindXAPK || kind == container.KindAPKM
	var splits []container.Split
	if isBundle && prefix == "" {
		splits = container.Splits(a)
		base := baseSplit(splits)
		if base != "" {
			var err error
			if base, err = b.verifyBase(a, splits, base); err != nil {
				return err
			}
		}
		b.basePrefix = base + "!/"
	}
	for _, e := range a.Entries() {
		name := e.Name
		if strings.HasSuffix(name, "/") {
			continue
		}
		base := path.Base(name)
		lower := strings.ToLower(name)
		switch {
		case isAAB && name == "base/manifest/AndroidManifest.xml":
			manifestEnt = e
		case !isAAB && name == "AndroidManifest.xml":
			manifestEnt = e
		case !isAAB && name == "resources.arsc", isAAB && name == "base/resources.pb":
			table = e
		case strings.HasSuffix(lower, ".dex"):
			jobs = append(jobs, dexJob{a: a, e: e, name: prefix + name})
		case strings.HasSuffix(lower, ".class"):
			b.addClassFile(prefix, name)
		case strings.HasSuffix(lower, ".so") && isNativeLibPath(name, isAAB):
			b.inv.NativeLibs = append(b.inv.NativeLibs, prefix+name)
			libs = append(libs, nativeEntry{a: a, e: e, name: prefix + name})
		case strings.HasPrefix(name, "META-INF/") && strings.HasSuffix(name, ".version"):
			b.readVersionFile(a, e)
		case strings.HasSuffix(lower, ".apk") || strings.HasSuffix(lower, ".jar") || strings.HasSuffix(lower, ".aar"):
			b.readNested(a, e, prefix, depth)
		}
		if isAssetPath(name, isAAB) {
			b.inv.Assets = append(b.inv.Assets, prefix+name)
		}
		if isAAB && strings.HasSuffix(name, "/manifest/AndroidManifest.xml") {
			mod := strings.SplitN(name, "/", 2)[0]
			b.inv.Splits = append(b.inv.Splits, inventory.Split{Name: mod, Base: mod == "base"})
		}
		_ = base
	}
	for _, s := range splits {
		name := s.Name
		if n, ok := b.splitNames[s.Path]; ok {
			name = n // manifest.json lied about it (verifyBase)
		}
		b.inv.Splits = append(b.inv.Splits, inventory.Split{Name: name, Base: s.Path+"!/" == b.basePrefix})
	}
	if isBundle && prefix == "" && b.basePrefix == "!/" {
		return errors.New("the bundle holds no APK: permissions and components cannot be read")
	}
	if isBundle && prefix == "" && b.baseErr != nil {
		// Fail closed, as for an APK without a manifest: a report without
		// the base's manifest would claim "no permissions".
		return fmt.Errorf("the base APK %s could not be read: %w", strings.TrimSuffix(b.basePrefix, "!/"), b.baseErr)
	}
	// The app's manifest: the artifact's own, or for a split bundle the base APK's.
	if prefix == "" && needsManifest(kind) || prefix != "" && prefix == b.basePrefix {
		if manifestEnt == nil {
			return errors.New("no AndroidManifest.xml in the archive: permissions and components cannot be read")
		}
		b.tasks = append(b.tasks, task{cost: int64(manifestEnt.UncompressedSize), run: func(*worker) {
			b.manErr = b.readManifest(a, manifestEnt, table)
		}, fail: func(err error) { b.manErr = err }})
	}
	if kind == container.KindAAR {
		b.queueAAR(a, prefix)
	}
	if b.opt.NoCode {
		b.inv.Code.DexFiles += len(jobs)
		return nil
	}
	for _, j := range jobs {
		b.queueDex(j)
	}
	b.queueNative(libs)
	return nil
}

func isNativeLibPath(name string, aab bool) bool {
	parts := strings.Split(name, "/")
	if aab && len(parts) > 1 {
		parts = parts[1:]
	}
	return len(parts) >= 3 && (parts[0] == "lib" || parts[0] == "jni")
}

func isAssetPath(name string, aab bool) bool {
	if strings.HasSuffix(name, "/") {
		return false
	}
	if aab {
		parts := strings.SplitN(name, "/", 3)
		return len(parts) == 3 && parts[1] == "assets"
	}
	return strings.HasPrefix(name, "assets/")
}

// baseSplit returns the entry name of a bundle's base APK: the split marked
// base, else one named base*.apk, else the first APK; "" when there is none.
func baseSplit(splits []container.Split) string {
	for _, s := range splits {
		if s.Base {
			return s.Path
		}
	}
	for _, s := range splits {
		if strings.HasPrefix(path.Base(s.Path), "base") {
			return s.Path
		}
	}
	if len(splits) > 0 {
		return splits[0].Path
	}
	return ""
}

// needsManifest reports whether an artifact of this kind must carry a manifest to be audited
// (an AAR's is the library's own declaration of its permissions and components).
func needsManifest(k container.Kind) bool {
	return k == container.KindAPK || k == container.KindAAB || k == container.KindAAR
}

// readManifest decodes the manifest (AXML, or an AAB's protobuf), resolving
// the label through the resource table (resources.arsc, or an AAB's
// base/resources.pb).
func (b *builder) readManifest(a *container.Archive, e, table *container.Entry) error {
	data, err := a.ReadAll(e, nil)
	if err != nil {
		return err
	}
	var res *manifest.Resources
	if table != nil {
		load := manifest.LoadResources
		if strings.HasSuffix(table.Name, ".pb") {
			load = manifest.LoadProtoResources
		}
		if raw, err := a.ReadAll(table, nil); err != nil {
			b.warn(table.Name, "not read: %v", err)
		} else if res, err = load(raw); err != nil {
			b.warn(table.Name, "not read: %v", err)
			res = nil
		}
	}
	m, err := parseManifest(data, res)
	if err != nil {
		return err
	}
	b.man = m
	return nil
}

// The readers, as variables so a test can make one panic and prove that the
// pool's boundary turns that into an error naming the file and the component.
var (
	parseDEX      = dex.ParseMax
	parseManifest = manifest.Parse
)

func (b *builder) readVersionFile(a *container.Archive, e *container.Entry) {
	data, err := a.ReadAll(e, nil)
	if err != nil || len(data) > 256 {
		return
	}
	name := strings.TrimSuffix(strings.TrimPrefix(e.Name, "META-INF/"), ".version")
	b.inv.VersionFiles = append(b.inv.VersionFiles, inventory.VersionFile{Name: name, Version: strings.TrimSpace(string(data))})
}

func (b *builder) readNested(a *container.Archive, e *container.Entry, prefix string, depth int) {
	if depth+1 > b.opt.Limits.Depth {
		b.unanalysed(prefix+e.Name, &limits.LimitError{What: "archive nesting depth", Limit: int64(b.opt.Limits.Depth), Value: int64(depth + 1)})
		return
	}
	isBase := prefix+e.Name+"!/" == b.basePrefix
	inflated := !a.NestedInPlace(e)
	if inflated {
		if b.gcDue {
			// The bytes of the last large nested archive are garbage now:
			// collect them, or the next one is allocated beside them, past
			// an address-space limit.
			b.gcDue = false
			runtime.GC()
		}
		// Inflated, the nested archive is held in memory while it is read.
		if err := b.mem.Pin(int64(e.UncompressedSize), "nested archive "+prefix+e.Name); err != nil {
			if isBase {
				b.baseErr = err
			}
			b.unanalysed(prefix+e.Name, err)
			return
		}
		defer b.mem.Unpin(int64(e.UncompressedSize))
	}
	na, err := a.Nested(e)
	if err != nil {
		if isBase {
			b.baseErr = err
		}
		b.unanalysed(prefix+e.Name, err)
		return
	}
	kind := container.ArchiveKind(na)
	if !inflated {
		// Read in place: its tasks run with the artifact's.
		if err := b.readArchive(na, kind, prefix+e.Name+"!/", depth+1); err != nil {
			b.unanalysed(prefix+e.Name, err)
		}
		return
	}
	// Inflated: the archive (and those nested in it) is read to the end now,
	// its tasks on a pool of their own, its warnings taken, and its bytes
	// released before the walk goes on, so that nested archives do not pile
	// up in memory until the scan ends.
	outer, seen := b.tasks, len(b.archives)
	b.tasks = nil
	if err := b.readArchive(na, kind, prefix+e.Name+"!/", depth+1); err != nil {
		b.unanalysed(prefix+e.Name, err)
	}
	inner := b.archives[seen:]
	b.runTasks(b.ctx, b.tasks)
	b.runTasks(b.ctx, b.versionTasksOf(inner))
	for _, at := range inner {
		b.archiveWarnings(at)
	}
	clear(inner) // no reference to the inflated bytes is left
	b.archives = b.archives[:seen]
	b.tasks = outer
	// The next inflated archive collects them first (gcDue).
	b.gcDue = b.gcDue || e.UncompressedSize > keepBuf
}

func (b *builder) addClassFile(prefix, name string) {
	cls := strings.TrimSuffix(name, ".class")
	for _, root := range []string{"classes/", "BOOT-INF/classes/"} {
		cls = strings.TrimPrefix(cls, root)
	}
	if strings.HasPrefix(cls, "META-INF/") || path.Base(cls) == "module-info" || path.Base(cls) == "package-info" {
		return
	}
	b.mu.Lock()
	if b.pkgs == nil {
		b.pkgs = map[string]int{}
	}
	b.pkgs[path.Dir(cls)]++
	if path.Dir(cls) == "." {
		b.pkgs[""]++
		delete(b.pkgs, ".")
	}
	b.inv.Code.Classes++
	b.classFiles++
	if b.opt.KeepClasses {
		b.inv.Code.ClassNames = append(b.inv.Code.ClassNames, strings.ReplaceAll(cls, "/", "."))
	}
	b.mu.Unlock()
}

func (b *builder) wantStrings() []string { return b.want() }

func (b *builder) wantVersions() inventory.VersionQuery { return b.wantV() }

// queueDex adds one DEX entry to the pool, unless the DexFiles limit is reached.
func (b *builder) queueDex(j dexJob) {
	b.dexes++
	if b.dexes > b.opt.Limits.DexFiles {
		b.unanalysed(j.name, &limits.LimitError{What: "number of DEX files", Limit: int64(b.opt.Limits.DexFiles), Value: int64(b.dexes)})
		return
	}
	b.tasks = append(b.tasks, task{cost: int64(j.e.UncompressedSize), run: func(w *worker) {
		data, release, err := b.inflate(w, j.a, j.e, j.name)
		defer release()
		if j.a == b.top {
			b.file.Drop(j.e.DataOffset(), int64(j.e.CompressedSize)) // its bytes are in data now
		}
		if err != nil {
			b.unanalysed(j.name, err)
			return
		}
		if err := b.scanDex(data, w.pk, j.name); err != nil {
			b.unanalysed(j.name, err)
		}
	}, fail: func(err error) { b.unanalysed(j.name, err) }})
}

// keepBuf is the largest inflate buffer a worker keeps for its next task;
// a larger one goes back to the scan's pool of large buffers when its task
// is done (bigBufs), so that the memory held between tasks stays within the
// scan's in-flight budget.
const keepBuf = 32 << 20

// bigBufs are the scan's large inflate buffers not in use. A task that needs
// one takes the smallest that fits; when none fits, the others are dropped
// and collected before a new one is allocated, so that dropped buffers do
// not pile up as garbage beside the new one (under an address-space limit
// the next allocation would fail before the collector ran).
type bigBufs struct {
	mu   sync.Mutex
	free [][]byte
}

func (p *bigBufs) get(n int64) []byte {
	p.mu.Lock()
	best := -1
	for i, b := range p.free {
		if int64(cap(b)) >= n && (best < 0 || cap(b) < cap(p.free[best])) {
			best = i
		}
	}
	if best >= 0 {
		b := p.free[best]
		p.free = append(p.free[:best], p.free[best+1:]...)
		p.mu.Unlock()
		return b[:0]
	}
	drop := len(p.free) > 0
	p.free = nil
	p.mu.Unlock()
	if drop {
		runtime.GC()
	}
	return make([]byte, 0, n)
}

func (p *bigBufs) put(b []byte) {
	p.mu.Lock()
	p.free = append(p.free, b[:0])
	p.mu.Unlock()
}

// inflate reads entry e of a (called name in the artifact) into w's buffer
// under the scan's in-flight budget (Limits.InFlight), waiting while other
// jobs hold what it needs. The caller calls release once it is done with
// data, whatever the error.
func (b *builder) inflate(w *worker, a *container.Archive, e *container.Entry, name string) (data []byte, release func(), err error) {
	n := int64(e.UncompressedSize)
	if e.UncompressedSize > uint64(b.opt.Limits.EntrySize) {
		n = 0 // ReadAll refuses it before reading a byte
	}
	if err := b.mem.Acquire(n, name); err != nil {
		return nil, func() {}, err
	}
	release = func() {
		if cap(w.buf) > keepBuf {
			b.bufs.put(w.buf)
			w.buf, w.free = nil, nil // the pool's now
		}
		b.mem.Release(n)
	}
	if int64(cap(w.buf)) < n {
		// The bytes are reserved: one allocation, no copies while growing.
		if n > keepBuf {
			w.setBuf(b.bufs.get(n), nil)
		} else {
			w.setBuf(container.NewBuffer(int(n)))
		}
	}
	data, err = a.ReadAll(e, w.buf[:0])
	if cap(data) > cap(w.buf) {
		w.setBuf(data[:0], nil)
	}
	return data, release, err
}

// scanDex parses one DEX image and counts its classes per package into pk.
// Counting through *int values found with m[string(bytes)] avoids allocating
// a string per class: only a new package allocates.
func (b *builder) scanDex(data []byte, pk map[string]*int, name string) error {
	f, err := parseDEX(data, b.opt.Limits.DexFiles)
	if err != nil {
		if !errors.Is(err, limits.ErrLimit) || f == nil {
			return err
		}
		// A 041 container past the DexFiles bound: its first DEX files are
		// analysed, the rest is reported unanalysed.
		b.unanalysed(name, err)
	}
	if !f.ChecksumOK() {
		b.warn(name, "DEX checksum does not match its content (modified after it was built)")
	}
	for _, w := range f.Warnings {
		b.warn(name, "%s", w)
	}
	var names []string
	n := 0
	err = f.EachClassBytes(func(desc []byte) error {
		pkg, ok := dex.DescriptorPackageBytes(desc)
		if !ok {
			return nil
		}
		if c := pk[string(pkg)]; c != nil {
			*c++
		} else {
			one := 1
			pk[string(pkg)] = &one
		}
		n++
		if b.opt.KeepClasses {
			if _, cls, ok := dex.DescriptorToClass(string(desc)); ok {
				names = append(names, cls)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.readDexConstants(f, name)
	code, codeErr := scanCalls(f, b.opt.Jobs)
	b.addCode(code, codeErr == nil)
	if codeErr != nil {
		b.unanalysed(name, codeErr)
	}
	var found map[string]int
	if want := b.wantStrings(); len(want) > 0 {
		found, err = f.FindStrings(want)
		if err != nil {
			b.warn(name, "string constants not read: %v", err)
		}
	}
	b.mu.Lock()
	b.inv.Code.DexFiles += len(f.Headers)
	b.inv.Code.Classes += n
	b.inv.Code.ClassNames = append(b.inv.Code.ClassNames, names...)
	for s, c := range found {
		if b.inv.Strings == nil {
			b.inv.Strings = map[string]int{}
		}
		b.inv.Strings[s] += c
	}
	b.mu.Unlock()
	return nil
}

func (b *builder) mergePackages(pk map[string]*int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.pkgs == nil {
		b.pkgs = make(map[string]int, len(pk))
	}
	for k, v := range pk {
		b.pkgs[k] += *v
	}
}

// finish turns the collected data into the sorted, folded Inventory.
func (b *builder) finish() {
	inv := b.inv
	if m := b.man; m != nil {
		inv.App = inventory.App{Package: m.Package, VersionName: m.VersionName, VersionCode: m.VersionCode,
			MinSDK: m.MinSDK, TargetSDK: m.TargetSDK, CompileSDK: m.CompileSDK, Label: m.Label}
		inv.Permissions = foldPermissions(m.Permissions)
		inv.PermissionDefs = m.PermissionDefs
		inv.Components = inventory.Components{Activities: m.Activities, Services: m.Services, Receivers: m.Receivers, Providers: m.Providers}
		inv.MetaData = m.MetaData
		inv.Queries = m.Queries
		inv.UsesLibraries = m.UsesLibraries
		inv.AppFlags = m.Application
		for _, w := range m.Warnings {
			inv.Warnings = append(inv.Warnings, inventory.Warning{Source: "AndroidManifest.xml", Message: w})
		}
		if inv.Artifact.Kind == string(container.KindAAR) && m.VersionName != "" {
			inv.VersionValues = append(inv.VersionValues, inventory.VersionValue{Kind: inventory.VersionManifest,
				Key: m.Package, Path: "AndroidManifest.xml", Value: m.VersionName})
		}
	} else if !codeOnly(inv.Artifact.Kind) {
		inv.Warnings = append(inv.Warnings, inventory.Warning{Source: "AndroidManifest.xml", Message: "no manifest was read: permissions and components are unknown"})
	}
	inv.Code.Packages = make([]inventory.Package, 0, len(b.pkgs))
	for k, v := range b.pkgs {
		inv.Code.Packages = append(inv.Code.Packages, inventory.Package{Name: k, Classes: v})
	}
	sort.Slice(inv.Code.Packages, func(i, j int) bool { return inv.Code.Packages[i].Name < inv.Code.Packages[j].Name })
	sort.Strings(inv.Code.ClassNames)
	b.finishCode()
	sort.Strings(inv.NativeLibs)
	sort.Strings(inv.Assets)
	sort.Slice(inv.VersionFiles, func(i, j int) bool { return inv.VersionFiles[i].Name < inv.VersionFiles[j].Name })
	sortSDKFacts(inv)
	sort.SliceStable(inv.Warnings, func(i, j int) bool { return inv.Warnings[i].String() < inv.Warnings[j].String() })
	sort.Slice(inv.Unanalysed, func(i, j int) bool { return inv.Unanalysed[i].Path < inv.Unanalysed[j].Path })
}

// foldPermissions merges duplicates (keeping the widest maxSdkVersion: 0 = none),
// attaches platform facts and sorts by name.
func foldPermissions(in []manifest.UsesPermission) []inventory.Permission {
	byName := map[string]*inventory.Permission{}
	var order []string
	for _, up := range in {
		if up.Name == "" {
			continue
		}
		p, ok := byName[up.Name]
		if !ok {
			info := permissions.Lookup(up.Name)
			p = &inventory.Permission{Name: up.Name, MaxSDK: up.MaxSDK, SDK23: up.SDK23, Protection: info.Protection,
				Group: info.Group, Sensitive: info.Sensitive, Zh: info.Zh(), Known: info.Known}
			byName[up.Name] = p
			order = append(order, up.Name)
			continue
		}
		if up.MaxSDK == 0 || (p.MaxSDK != 0 && up.MaxSDK > p.MaxSDK) {
			p.MaxSDK = up.MaxSDK
		}
		p.SDK23 = p.SDK23 && up.SDK23
	}
	sort.Strings(order)
	out := make([]inventory.Permission, 0, len(order))
	for _, n := range order {
		out = append(out, *byName[n])
	}
	return out
}
