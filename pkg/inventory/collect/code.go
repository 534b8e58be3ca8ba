package collect

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/apkaudit/apkaudit/pkg/dex"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/piapi"
)

// loaderTargets are the APIs that load DEX code at run time: a build that
// calls them runs code that no scan of the build sees. A custom loader
// subclasses one of these classes and calls its constructor.
var loaderTargets = []dex.Target{
	{Kind: dex.MethodTarget, Class: "Ldalvik/system/DexClassLoader;", Name: "<init>"},
	{Kind: dex.MethodTarget, Class: "Ldalvik/system/PathClassLoader;", Name: "<init>"},
	{Kind: dex.MethodTarget, Class: "Ldalvik/system/InMemoryDexClassLoader;", Name: "<init>"},
	{Kind: dex.MethodTarget, Class: "Ldalvik/system/DelegateLastClassLoader;", Name: "<init>"},
	{Kind: dex.MethodTarget, Class: "Ldalvik/system/BaseDexClassLoader;", Name: "<init>"},
	{Kind: dex.MethodTarget, Class: "Ldalvik/system/DexFile;", Name: "loadDex"},
	{Kind: dex.MethodTarget, Class: "Ldalvik/system/DexFile;", Name: "<init>"},
}

// codeQuery is the one compiled query of every scan: the sensitive-API
// table, in table order (a hit's target below len(entries) is that entry),
// then loaderTargets. Built on first use, shared by every worker.
var codeQuery = sync.OnceValues(func() (*codeTable, error) {
	entries, err := piapi.Table()
	if err != nil {
		return nil, err
	}
	targets := make([]dex.Target, 0, len(entries)+len(loaderTargets))
	for _, e := range entries {
		targets = append(targets, entryTarget(e))
	}
	targets = append(targets, loaderTargets...)
	q, err := dex.NewQuery(targets)
	if err != nil {
		return nil, err
	}
	return &codeTable{entries: entries, q: q}, nil
})

type codeTable struct {
	entries []piapi.Entry
	q       *dex.Query
}

// entryTarget is the walker's target for a table entry.
func entryTarget(e piapi.Entry) dex.Target {
	switch e.Kind {
	case piapi.Method:
		return dex.Target{Kind: dex.MethodTarget, Class: e.Descriptor(), Name: e.Member, Type: e.Proto}
	case piapi.Field:
		return dex.Target{Kind: dex.FieldTarget, Class: e.Descriptor(), Name: e.Member, Type: e.Type}
	}
	return dex.Target{Kind: dex.StringTarget, Value: e.Value, Prefix: e.Prefix}
}

// scanCode is the code walker, a variable so a test can make it fail part-way.
var scanCode = (*dex.File).ScanCodeJobs

// codeFound is what the code scan of one DEX found.
type codeFound struct {
	calls   []inventory.Call
	loaders []string
	stats   dex.CodeStats
}

// scanCalls walks the code of f once, on the same parse as the class walk,
// and returns the calls of table APIs and the classes that load code. A
// partial scan returns what it found with the error: the caller reports
// that DEX unanalysed. A large DEX is walked on up to jobs goroutines
// (dex.ScanCodeJobs): the largest DEX of an APK is usually the last task
// of the pool, and its walk would otherwise keep one core busy while the
// other waits.
func scanCalls(f *dex.File, jobs int) (codeFound, error) {
	t, err := codeQuery()
	if err != nil {
		return codeFound{}, fmt.Errorf("sensitive-API table: %w", err)
	}
	scan, err := scanCode(f, t.q, jobs)
	var found codeFound
	if scan != nil {
		found.stats = scan.Stats
		for _, h := range scan.Hits {
			class := dottedClass(h.Class)
			if h.Target >= len(t.entries) {
				found.loaders = append(found.loaders, class)
				continue
			}
			e := &t.entries[h.Target]
			c := inventory.Call{API: e.API, Data: e.Data, Detail: e.Detail, Permissions: e.Permissions,
				Class: class, Count: h.Count, Reflective: h.Reflective}
			if e.Kind == piapi.String {
				c.Constant = e.Value
			}
			found.calls = append(found.calls, c)
		}
	}
	if err != nil {
		var fe *dex.FormatError
		if errors.As(err, &fe) {
			return found, fmt.Errorf("code only partly analysed: %w", err)
		}
		return found, err
	}
	return found, nil
}

// dottedClass turns "Lcom/umeng/a$b;" into "com.umeng.a$b"; other
// descriptors (arrays, primitives) are returned as they are.
func dottedClass(desc string) string {
	if len(desc) < 3 || desc[0] != 'L' || desc[len(desc)-1] != ';' {
		return desc
	}
	return strings.ReplaceAll(desc[1:len(desc)-1], "/", ".")
}

// addCode records what the scan of one DEX entry found. complete is false
// when the scan stopped or skipped methods (the entry is then unanalysed).
func (b *builder) addCode(found codeFound, complete bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	cs := &b.inv.Code.CallScan
	if complete {
		cs.DexFiles++
	}
	cs.Methods += found.stats.Methods
	cs.Instructions += found.stats.Instructions
	b.inv.Code.Calls = append(b.inv.Code.Calls, found.calls...)
	cs.Loaders = append(cs.Loaders, found.loaders...)
}

// finishCode sorts what the code scans found and merges the calls of one
// class that several DEX files define (a class in a base and in a split).
func (b *builder) finishCode() {
	c := &b.inv.Code
	if b.opt.NoCode {
		return
	}
	c.CallScan.Ran = true
	if b.classFiles > 0 {
		c.CallScan.Incomplete = append(c.CallScan.Incomplete,
			fmt.Sprintf("%d .class files: the code of JAR classes is not scanned", b.classFiles))
	}
	sort.SliceStable(c.Calls, func(i, j int) bool { return callLess(&c.Calls[i], &c.Calls[j]) })
	out := c.Calls[:0]
	for _, x := range c.Calls {
		if n := len(out); n > 0 && sameCall(&out[n-1], &x) {
			out[n-1].Count += x.Count
			continue
		}
		out = append(out, x)
	}
	c.Calls = out
	slices.Sort(c.CallScan.Loaders)
	c.CallScan.Loaders = slices.Compact(c.CallScan.Loaders)
}

func callLess(a, b *inventory.Call) bool {
	if a.API != b.API {
		return a.API < b.API
	}
	if a.Constant != b.Constant {
		return a.Constant < b.Constant
	}
	if a.Data != b.Data {
		return a.Data < b.Data
	}
	if a.Class != b.Class {
		return a.Class < b.Class
	}
	return !a.Reflective && b.Reflective
}

func sameCall(a, b *inventory.Call) bool {
	return a.API == b.API && a.Constant == b.Constant && a.Data == b.Data && a.Class == b.Class && a.Reflective == b.Reflective
}
