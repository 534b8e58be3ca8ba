package dex

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The code oracle: `dexdump -d` (ART's disassembler, an independent reader)
// run once per distinct real DEX file, its output parsed in a stream, and
// compared with this package on the same bytes:
//
//   - the walk: methods with code, instructions (payloads included) and
//     invokes, per DEX, so every instruction length is exact;
//   - every reference, per calling class: the method of each invoke, the
//     field of each iget/sget, the string of each const-string, the call
//     site of each invoke-custom, the handle of each const-method-handle,
//     as dexdump's "// method@…" indexes, so every call site ScanCode can
//     report is one dexdump shows;
//   - the sensitive-API table: the call sites of table APIs that a reader
//     of the disassembly finds by name (invoke, field and const-string text,
//     invoke-custom through dexdump's call-site and method-handle listing)
//     equal ScanCode's direct hits, so none is missed;
//   - static values: every "value :" line of the static fields equals
//     the value the static-values reader decodes.

// dexdumpCode is what the oracle reads from dexdump -d about one DEX.
type dexdumpCode struct {
	methods, insns, invokes int
	refs                    map[string]map[uint64]int // class → eventKey(kind, index) → count
	table                   map[string]int            // "target class" → count
	statics                 map[string]string         // "class field" → value text
	// invoke-custom and const-method-handle, resolved once dexdump has
	// listed the call sites and method handles after the classes.
	pendingSites, pendingHandles map[string]map[int]int // class → index → count
	handles                      map[int]handleText
	sites                        map[int][]int // call site → method handles it holds
	// reflection evidence per class: the reflection names loaded by
	// const-string, the target classes named by const-class, and the
	// reflection entry points invoked ("Ljava/lang/Class;.forName").
	reflect map[string]*reflectEvidence
}

type reflectEvidence struct{ strings, constClasses, calls map[string]bool }

func (res *dexdumpCode) evidence(class string) *reflectEvidence {
	e := res.reflect[class]
	if e == nil {
		e = &reflectEvidence{map[string]bool{}, map[string]bool{}, map[string]bool{}}
		res.reflect[class] = e
	}
	return e
}

type handleText struct{ typ, class, name string }

// oracleTargets is the table query compiled once, with the targets by
// "Lcls;.name" for the text matching.
type oracleTargets struct {
	q        *Query
	targets  []Target
	byMember map[string][]int
	classes  map[string]bool
	names    map[string]bool // dotted class names and member names of the targets
	reflect  map[string]bool // "Lcls;.name" of the reflection entry points
}

func newOracleTargets(t testing.TB) *oracleTargets {
	_, q := tableQuery(t)
	o := &oracleTargets{q: q, targets: q.Targets(), byMember: map[string][]int{}, classes: map[string]bool{},
		names: map[string]bool{}, reflect: map[string]bool{}}
	for i, tg := range o.targets {
		if tg.Kind != StringTarget {
			k := tg.Class + "." + tg.Name
			o.byMember[k] = append(o.byMember[k], i)
			o.classes[tg.Class] = true
			o.names[dottedClass(tg.Class)] = true
			o.names[tg.Name] = true
		}
	}
	for _, r := range reflectAPIs {
		o.reflect[r.class+"."+r.name] = true
	}
	return o
}

// member returns the targets of kind a member reference text reaches.
func (o *oracleTargets) member(kind TargetKind, class, name, sig string) []int {
	var out []int
	for _, i := range o.byMember[class+"."+name] {
		tg := o.targets[i]
		if tg.Kind == kind && (tg.Type == "" || tg.Type == sig) {
			out = append(out, i)
		}
	}
	return out
}

func (o *oracleTargets) str(s []byte) []int {
	var out []int
	for i, tg := range o.targets {
		if tg.Kind == StringTarget && (string(s) == tg.Value || tg.Prefix && bytes.HasPrefix(s, []byte(tg.Value))) {
			out = append(out, i)
		}
	}
	return out
}

// The index markers dexdump -d prints after an instruction's operands.
var (
	markMethod   = []byte("// method@")
	markField    = []byte("// field@")
	markString   = []byte("// string@")
	markSite     = []byte("call_site@")
	markHandle   = []byte("method_handle@")
	memberStart  = []byte(", L")
	linkArgument = []byte("  link_argument[")
)

// dumpLine reads the next line of r without its newline. The slice is valid
// until the next call.
func dumpLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// A line longer than the buffer (a huge string constant).
		rest, err2 := br.ReadBytes('\n')
		line, err = append(slices.Clone(line), rest...), err2
	}
	return bytes.TrimSuffix(line, []byte("\n")), err
}

// hexIndex parses the hex digits that follow the first (or last) marker
// in s, or returns -1.
func hexIndex(s, marker []byte, last bool) int64 {
	i := bytes.Index(s, marker)
	if last {
		i = bytes.LastIndex(s, marker)
	}
	if i < 0 {
		return -1
	}
	s = s[i+len(marker):]
	var v int64
	n := 0
	for ; n < len(s) && n < 8; n++ {
		c := s[n]
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | int64(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | int64(c-'a'+10)
		default:
			if n == 0 {
				return -1
			}
			return v
		}
	}
	return v
}

// readDexdump parses dexdump -d output in one streaming pass, by hand
// rather than with regular expressions: the corpus makes 1.2 GB of it.
func readDexdump(r io.Reader, o *oracleTargets) (*dexdumpCode, error) {
	res := &dexdumpCode{refs: map[string]map[uint64]int{}, table: map[string]int{}, statics: map[string]string{},
		pendingSites: map[string]map[int]int{}, pendingHandles: map[string]map[int]int{},
		handles: map[int]handleText{}, sites: map[int][]int{}, reflect: map[string]*reflectEvidence{}}
	br := bufio.NewReaderSize(r, 1<<20)
	var refs map[uint64]int
	class, section, field := "", "", ""
	handle, site := -1, -1
	credit := func(targets []int) {
		for _, tg := range targets {
			res.table[fmt.Sprintf("%d %s", tg, class)]++
		}
	}
	for {
		line, err := dumpLine(br)
		if len(line) == 0 && err != nil {
			if err == io.EOF {
				break
			}
			return nil, err
		}
		// An instruction: "0012ab: 1a00 4f97 ...     |0004: const-string v0, ..."
		if bar := bytes.IndexByte(line, '|'); len(line) > 8 && line[6] == ':' && bar > 0 && len(line) > bar+6 && line[bar+5] == ':' {
			rest := line[bar+7:]
			op := rest
			if sp := bytes.IndexByte(rest, ' '); sp >= 0 {
				op = rest[:sp]
			}
			res.insns++
			isInvoke := bytes.HasPrefix(op, []byte("invoke-"))
			if isInvoke {
				res.invokes++
			}
			switch {
			case bytes.HasPrefix(op, []byte("const-string")):
				// dexdump prints the string raw: a newline in it continues
				// the instruction on the next lines, up to the marker.
				if !endsWithStringMark(rest) {
					text := slices.Clone(rest)
					for n := 0; n < 1<<16 && err == nil && !endsWithStringMark(text); n++ {
						var more []byte
						more, err = dumpLine(br)
						text = append(append(text, '\n'), more...)
					}
					rest = text
				}
				idx := hexIndex(rest, markString, true)
				refs[eventKey(evString, uint32(idx))]++
				if q := bytes.IndexByte(rest, '"'); q >= 0 {
					end := bytes.LastIndex(rest, markString) - 2 // before `" `
					if end > q {
						credit(o.str(rest[q+1 : end]))
						if o.names[string(rest[q+1:end])] {
							res.evidence(class).strings[string(rest[q+1:end])] = true
						}
					}
				}
			case bytes.Equal(op, []byte("const-class")):
				if c, _, ok := strings.Cut(string(rest[bytes.IndexByte(rest, ',')+2:]), " //"); ok && o.classes[c] {
					res.evidence(class).constClasses[c] = true
				}
			case bytes.Equal(op, []byte("invoke-custom")) || bytes.Equal(op, []byte("invoke-custom/range")):
				idx := int(hexIndex(rest, markSite, false))
				refs[eventKey(evCallSite, uint32(idx))]++
				res.pendingSites[class] = countIn(res.pendingSites[class], idx)
			case bytes.Equal(op, []byte("const-method-handle")):
				idx := int(hexIndex(rest, markHandle, false))
				refs[eventKey(evHandle, uint32(idx))]++
				res.pendingHandles[class] = countIn(res.pendingHandles[class], idx)
			case isInvoke:
				refs[eventKey(evInvoke, uint32(hexIndex(rest, markMethod, false)))]++
				credit(memberTargets(o, rest, markMethod, MethodTarget))
				if m := memberText(rest, markMethod); o.reflect[m] {
					res.evidence(class).calls[m] = true
				}
			case bytes.HasPrefix(op, []byte("iget")) || bytes.HasPrefix(op, []byte("sget")):
				refs[eventKey(evField, uint32(hexIndex(rest, markField, false)))]++
				credit(memberTargets(o, rest, markField, FieldTarget))
			}
			if err == io.EOF {
				break
			}
			continue
		}
		switch {
		case bytes.HasPrefix(line, []byte("  Class descriptor  : '")):
			class = strings.TrimSuffix(string(line[len("  Class descriptor  : '"):]), "'")
			refs = res.refs[class]
			if refs == nil {
				refs = map[uint64]int{}
				res.refs[class] = refs
			}
			section = ""
		case bytes.HasPrefix(line, []byte("  Static fields")):
			section = "static"
		case bytes.HasPrefix(line, []byte("  Instance fields")), bytes.HasPrefix(line, []byte("  Direct methods")), bytes.HasPrefix(line, []byte("  Virtual methods")):
			section = "other"
		case bytes.HasPrefix(line, []byte("      insns size    :")):
			res.methods++
		case section == "static" && bytes.HasPrefix(line, []byte("      name          : '")):
			field = strings.TrimSuffix(string(line[len("      name          : '"):]), "'")
		case section == "static" && bytes.HasPrefix(line, []byte("      value         : ")):
			res.statics[class+" "+field] = string(line[len("      value         : "):])
		case bytes.HasPrefix(line, []byte("Method handle #")):
			handle, site = atoiPrefix(string(line[len("Method handle #"):])), -1
		case bytes.HasPrefix(line, []byte("Call site #")):
			site, handle = atoiPrefix(string(line[len("Call site #"):])), -1
		case handle >= 0 && bytes.HasPrefix(line, []byte("  type        : ")):
			h := res.handles[handle]
			h.typ = string(line[len("  type        : "):])
			res.handles[handle] = h
		case handle >= 0 && bytes.HasPrefix(line, []byte("  target      : ")):
			h := res.handles[handle]
			h.class, h.name, _ = strings.Cut(string(line[len("  target      : "):]), " ")
			res.handles[handle] = h
		case site >= 0 && bytes.HasPrefix(line, linkArgument) && bytes.HasSuffix(line, []byte(" (MethodHandle)")):
			_, v, _ := strings.Cut(string(line), " : ")
			res.sites[site] = append(res.sites[site], atoiPrefix(v))
		}
		if err == io.EOF {
			break
		}
	}
	res.resolveHandles(o)
	return res, nil
}

func endsWithStringMark(s []byte) bool {
	i := bytes.LastIndex(s, markString)
	if i < 0 {
		return false
	}
	for _, c := range s[i+len(markString):] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return i+len(markString) < len(s)
}

// memberRef returns the member an invoke or field instruction names,
// ", Lcls;.name:sig" before the marker (and before ", (proto)" for
// invoke-polymorphic), as "Lcls;" and "name:sig".
func memberRef(rest, marker []byte) (class, member []byte) {
	m := bytes.Index(rest, marker)
	if m < 0 {
		return nil, nil
	}
	text := rest[:m]
	i := bytes.LastIndex(text, memberStart)
	if i < 0 {
		return nil, nil
	}
	text = text[i+2:]
	if j := bytes.IndexAny(text, ", "); j >= 0 {
		text = text[:j]
	}
	semi := bytes.Index(text, []byte(";."))
	if semi < 0 {
		return nil, nil
	}
	return text[:semi+1], text[semi+2:]
}

// memberTargets returns the targets the member an instruction names reaches.
func memberTargets(o *oracleTargets, rest, marker []byte, kind TargetKind) []int {
	class, member := memberRef(rest, marker)
	if class == nil || !o.classes[string(class)] {
		return nil
	}
	name, sig, _ := strings.Cut(string(member), ":")
	return o.member(kind, string(class), name, sig)
}

// memberText returns "Lcls;.name" of the member an instruction names.
func memberText(rest, marker []byte) string {
	class, member := memberRef(rest, marker)
	name, _, _ := bytes.Cut(member, []byte(":"))
	return string(class) + "." + string(name)
}

func countIn(m map[int]int, k int) map[int]int {
	if m == nil {
		m = map[int]int{}
	}
	m[k]++
	return m
}

func atoiPrefix(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// resolveHandles credits the table targets reached through invoke-custom
// and const-method-handle, now that dexdump has listed the handles and call
// sites after the classes.
func (res *dexdumpCode) resolveHandles(o *oracleTargets) {
	handleTargets := func(h int) []int {
		ht, ok := res.handles[h]
		if !ok {
			return nil
		}
		switch {
		case strings.HasPrefix(ht.typ, "invoke-"):
			return o.member(MethodTarget, ht.class, ht.name, "")
		case ht.typ == "get-static" || ht.typ == "get-instance":
			return o.member(FieldTarget, ht.class, ht.name, "")
		}
		return nil
	}
	credit := func(pending map[string]map[int]int, reach func(int) []int) {
		for class, counts := range pending {
			for idx, n := range counts {
				for _, tg := range reach(idx) {
					res.table[fmt.Sprintf("%d %s", tg, class)] += n
				}
			}
		}
	}
	credit(res.pendingHandles, handleTargets)
	credit(res.pendingSites, func(site int) []int {
		var reached []int
		for _, h := range res.sites[site] {
			for _, tg := range handleTargets(h) {
				if !slices.Contains(reached, tg) {
					reached = append(reached, tg)
				}
			}
		}
		return reached
	})
}

// ourCode is the same view from this package.
type ourCode struct {
	stats      CodeStats
	refs       map[string]map[uint64]int
	table      map[string]int
	statics    map[string]string
	reflective []Hit // with Class in MUTF-8, as dexdump prints it
}

func scanOurs(t *testing.T, data []byte, o *oracleTargets) *ourCode {
	f, err := Parse(data)
	require.NoError(t, err)
	out := &ourCode{refs: map[string]map[uint64]int{}, table: map[string]int{}, statics: map[string]string{}}
	scan, err := f.ScanCode(o.q)
	require.NoError(t, err)
	out.stats = scan.Stats
	for _, h := range scan.Hits {
		h.Class = string(EncodeMUTF8(nil, h.Class))
		if h.Reflective {
			out.reflective = append(out.reflective, h)
		} else {
			out.table[fmt.Sprintf("%d %s", h.Target, h.Class)] += h.Count
		}
	}
	// Every reference: every index is a target.
	w := newWalker(f)
	var st CodeStats
	for k := range f.dexes {
		r, err := f.resolve(k, &Query{})
		require.NoError(t, err)
		for _, b := range []bitset{r.anyCall, r.calls, r.fields, r.strs, r.sites, r.handles} {
			b.fill()
		}
		err = w.walkDex(k, r, &st, func(class uint32, events []eventCount) error {
			budget := f.scanBudget(1)
			desc, err := f.typeDescriptor(&f.dexes[k], class, &budget)
			if err != nil {
				return err
			}
			m := out.refs[string(desc)]
			if m == nil {
				m = map[uint64]int{}
				out.refs[string(desc)] = m
			}
			for _, e := range events {
				m[e.key] += e.n
			}
			return nil
		})
		require.NoError(t, err)
	}
	require.NoError(t, f.eachStaticValue(func(k int, class, field uint32, v Value) error {
		budget := f.scanBudget(2)
		desc, err := f.typeDescriptor(&f.dexes[k], class, &budget)
		if err != nil {
			return err
		}
		ids := f.idTables(k)
		name, err := f.stringData(&f.dexes[k], f.member(ids.fieldOff, int(field)).name, &budget)
		if err != nil {
			return err
		}
		out.statics[string(desc)+" "+string(name)] = dexdumpValue(v)
		return nil
	}))
	return out
}

// dexdumpValue renders v as dexdump prints a static field's value: numbers
// in decimal (floating point as C's %g), strings quoted with \ and "
// escaped and their raw MUTF-8 bytes, types as descriptors. Kinds dexdump
// renders from other tables print as "<kind>" and are compared for presence.
func dexdumpValue(v Value) string {
	switch v.Kind {
	case ValueByte, ValueShort, ValueChar, ValueInt, ValueLong:
		return strconv.FormatInt(v.Int, 10)
	case ValueBoolean:
		return strconv.FormatBool(v.Int != 0)
	case ValueNull:
		return "null"
	case ValueFloat, ValueDouble:
		x := v.Float()
		switch {
		case math.IsNaN(x):
			return "nan"
		case math.IsInf(x, 1):
			return "inf"
		case math.IsInf(x, -1):
			return "-inf"
		case x == 0 && math.Signbit(x):
			return "-0"
		}
		return strconv.FormatFloat(x, 'g', 6, 64)
	case ValueString:
		s := string(EncodeMUTF8(nil, v.Str))
		s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
		return `"` + s + `"`
	case ValueType:
		return string(EncodeMUTF8(nil, v.Str))
	}
	return "<" + v.Kind.String() + ">"
}

// walkRoot resolves dir for filepath.WalkDir, which does not follow a
// symlink given as its root: testdata/external is often a symlink to a
// shared checkout. "" stays "".
func walkRoot(t testing.TB, dir string) string {
	if dir == "" {
		return ""
	}
	resolved, err := filepath.EvalSymlinks(dir)
	require.NoError(t, err)
	return resolved
}

// codeOracleInput is one distinct DEX to compare.
type codeOracleInput struct {
	name string // for messages
	data []byte
}

// collectCodeOracleInputs gathers every real DEX: the standalone .dex files
// of testdata/external and of this package's testdata, and every
// classes*.dex inside the zips of ../shared/corpus/apk and testdata/external,
// each distinct image once.
func collectCodeOracleInputs(t *testing.T) (inputs []codeOracleInput, loose, inZips int) {
	seen := map[[32]byte]bool{}
	addInput := func(name string, data []byte) bool {
		h := sha256.Sum256(data)
		if seen[h] {
			return false
		}
		seen[h] = true
		inputs = append(inputs, codeOracleInput{name, data})
		return true
	}
	ext := externalCorpus(t)
	ext = walkRoot(t, ext)
	for _, dir := range []string{ext, "testdata"} {
		if dir == "" {
			continue
		}
		require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".dex") {
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				loose++
				addInput(p, data)
			}
			return err
		}))
	}
	var roots []string
	if c := sharedCorpus(t); c != "" {
		roots = append(roots, filepath.Join(c, "apk"))
	} else {
		t.Log("../shared/corpus is absent: its APKs were not compared")
	}
	if ext != "" {
		roots = append(roots, ext)
	} else {
		t.Log("testdata/external is absent (make corpus): only this package's fixtures and ../shared were compared")
	}
	for _, root := range roots {
		require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() || strings.HasSuffix(p, ".dex") {
				return err
			}
			zr, err := zip.OpenReader(p)
			if err != nil {
				return nil // not a zip
			}
			defer zr.Close()
			for _, e := range zr.File {
				base := path.Base(e.Name)
				if !strings.HasPrefix(base, "classes") || !strings.HasSuffix(base, ".dex") || e.UncompressedSize64 > 256<<20 {
					continue
				}
				inZips++
				addInput(p+"!/"+e.Name, readEntry(t, e))
			}
			return nil
		}))
	}
	return inputs, loose, inZips
}

// TestCodeDexdumpOracle runs the comparison over every real DEX we have.
// It runs dexdump once per distinct DEX, two at a time, and streams its
// output; see the log line for what it cost.
func TestCodeDexdumpOracle(t *testing.T) {
	dexdump, err := exec.LookPath("dexdump")
	if err != nil {
		t.Skip("dexdump is not installed (apt-get install dexdump): the code oracle needs it")
	}
	start := time.Now()
	o := newOracleTargets(t)
	inputs, loose, inZips := collectCodeOracleInputs(t)
	if externalCorpus(t) != "" {
		assert.GreaterOrEqual(t, loose, 31+6, "the 31 external DEX files and our 6 fixtures")
	}
	tmp := t.TempDir()

	type outcome struct {
		rejected                bool
		methods, insns, invokes int
		hits, refs, statics     int
		reflective              int
		calls                   map[string]int // table hits by target, for the log
	}
	results := make([]outcome, len(inputs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				in := inputs[i]
				name := filepath.Join(tmp, fmt.Sprintf("w%d.dex", w))
				data := in.data
				if bytes.HasPrefix(data, []byte("dex\n036\x00")) {
					// ART's dexdump refuses 036, a version no Android release
					// used, whose layout is 035's; it reads a copy relabelled 035.
					data = slices.Clone(data)
					copy(data[4:7], "035")
				}
				if err := os.WriteFile(name, data, 0o600); err != nil {
					t.Error(err)
					continue
				}
				cmd := exec.Command(dexdump, "-d", name)
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				stdout, err := cmd.StdoutPipe()
				if err != nil || cmd.Start() != nil {
					t.Errorf("%s: cannot run dexdump: %v", in.name, err)
					continue
				}
				want, perr := readDexdump(stdout, o)
				if werr := cmd.Wait(); werr != nil {
					results[i].rejected = true
					t.Logf("dexdump rejects %s (%v): %s", in.name, werr, firstLine(stderr.String()))
					continue
				}
				if perr != nil {
					t.Errorf("%s: reading dexdump's output: %v", in.name, perr)
					continue
				}
				got := scanOurs(t, in.data, o)
				compareCode(t, in.name, o, want, got)
				results[i] = outcome{methods: got.stats.Methods, insns: got.stats.Instructions, invokes: got.stats.Invokes,
					hits: len(got.table), statics: len(got.statics), calls: got.table, reflective: len(got.reflective)}
				for _, m := range got.refs {
					results[i].refs += len(m)
				}
			}
		}()
	}
	for i := range inputs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()

	var total outcome
	rejected := 0
	byTarget := map[int]int{}
	for _, r := range results {
		if r.rejected {
			rejected++
			continue
		}
		total.methods += r.methods
		total.insns += r.insns
		total.invokes += r.invokes
		total.hits += r.hits
		total.statics += r.statics
		total.reflective += r.reflective
		for k, n := range r.calls {
			var tg int
			fmt.Sscanf(k, "%d", &tg)
			byTarget[tg] += n
		}
	}
	t.Logf("%d distinct DEX images (%d standalone files, %d classes*.dex entries in zips); %d rejected by dexdump",
		len(inputs), loose, inZips, rejected)
	t.Logf("agreed with dexdump -d: %d methods, %d instructions, %d invokes, %d (table API, class) call-site groups, %d reflective hits, %d static values",
		total.methods, total.insns, total.invokes, total.hits, total.reflective, total.statics)
	var apis []string
	for tg, n := range byTarget {
		apis = append(apis, fmt.Sprintf("%s ×%d", o.targets[tg], n))
	}
	sort.Strings(apis)
	t.Logf("table APIs found: %s", strings.Join(apis, ", "))
	t.Logf("the code oracle took %s", time.Since(start).Round(time.Millisecond))
}

// compareCode reports every difference between dexdump's view and ours.
func compareCode(t *testing.T, name string, o *oracleTargets, want *dexdumpCode, got *ourCode) {
	t.Helper()
	assert.Equal(t, want.methods, got.stats.Methods, "%s: methods with code", name)
	assert.Equal(t, want.insns, got.stats.Instructions, "%s: instructions", name)
	assert.Equal(t, want.invokes, got.stats.Invokes, "%s: invokes", name)
	assert.Zero(t, got.stats.Malformed, "%s: malformed methods", name)
	assert.Equal(t, want.table, got.table, "%s: table API call sites by (target, class)", name)
	diffs := 0
	for class, w := range want.refs {
		if len(w) == 0 && len(got.refs[class]) == 0 {
			continue
		}
		if g := got.refs[class]; !mapsEqual(w, g) {
			if diffs++; diffs <= 3 {
				t.Errorf("%s: %s: references differ: dexdump %v, ours %v", name, class, w, g)
			}
		}
	}
	for class := range got.refs {
		if len(want.refs[class]) == 0 {
			if diffs++; diffs <= 3 {
				t.Errorf("%s: %s: references dexdump does not show: %v", name, class, got.refs[class])
			}
		}
	}
	if diffs > 3 {
		t.Errorf("%s: %d classes differ in all", name, diffs)
	}
	// Every reflective hit: dexdump shows the class loading the member's
	// name, invoking a member lookup, and naming the target's class
	// (forName or loadClass of its name, or const-class).
	for _, h := range got.reflective {
		tg := o.targets[h.Target]
		ev := want.reflect[h.Class]
		lookup := []string{"Ljava/lang/Class;.getMethod", "Ljava/lang/Class;.getDeclaredMethod"}
		if tg.Kind == FieldTarget {
			lookup = []string{"Ljava/lang/Class;.getField", "Ljava/lang/Class;.getDeclaredField"}
		}
		named := ev != nil && (ev.constClasses[tg.Class] || ev.strings[dottedClass(tg.Class)] && slices.ContainsFunc(
			[]string{"Ljava/lang/Class;.forName", "Ljava/lang/ClassLoader;.loadClass", "Ldalvik/system/BaseDexClassLoader;.loadClass",
				"Ldalvik/system/PathClassLoader;.loadClass", "Ldalvik/system/DexClassLoader;.loadClass"},
			func(c string) bool { return ev.calls[c] }))
		if !named || !ev.strings[tg.Name] || !slices.ContainsFunc(lookup, func(c string) bool { return ev.calls[c] }) {
			t.Errorf("%s: reflective hit %s in %s: dexdump shows no such reflection (%+v)", name, tg, h.Class, ev)
		}
	}
	diffs = 0
	for k, w := range want.statics {
		g, ok := got.statics[k]
		if !ok || g != w && !strings.HasPrefix(g, "<") {
			if diffs++; diffs <= 3 {
				t.Errorf("%s: static %s: dexdump %q, ours %q", name, k, w, g)
			}
		}
	}
	for k, g := range got.statics {
		if _, ok := want.statics[k]; !ok {
			if diffs++; diffs <= 3 {
				t.Errorf("%s: static %s: ours %q, dexdump has no value", name, k, g)
			}
		}
	}
}

func mapsEqual(a, b map[uint64]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
