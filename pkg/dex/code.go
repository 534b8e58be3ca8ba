package dex

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// A Hit is one target reached from one class: Count instructions in the
// methods of Class refer to it.
type Hit struct {
	// Target indexes the targets of the Query (Query.Targets).
	Target int
	// Class is the descriptor of the class whose methods hold the call
	// sites ("Lcom/umeng/commonsdk/statistics/common/DeviceConfig;").
	Class string
	// Count is the number of instructions: invokes, field reads or
	// const-strings, as dexdump -d lists them.
	Count int
	// Reflective hits are not calls: the class names the target's class
	// (a string constant passed to Class.forName or ClassLoader.loadClass,
	// or a const-class of it) and passes the target's member name, as a
	// string constant, to Class.getMethod, getDeclaredMethod, getField or
	// getDeclaredField. Count is the number of such member lookups. A name
	// is seen when it is the last const-string loaded into the argument
	// register earlier in the same method, so names computed at run time,
	// and members looked up on a class the class never names (obj.getClass()),
	// are not seen.
	Reflective bool
}

// CodeStats counts what a code scan walked.
type CodeStats struct {
	// Classes is the number of class definitions with class data.
	Classes int
	// Methods is the number of methods with code (one per encoded method
	// with a code_off, as dexdump -d disassembles them).
	Methods int
	// CodeUnits is the sum of insns_size over those methods.
	CodeUnits int
	// Instructions counts instructions, switch and array payloads included.
	Instructions int
	// Invokes counts invoke-*, invoke-*/range, invoke-polymorphic(/range)
	// and invoke-custom(/range) instructions.
	Invokes int
	// Malformed counts methods whose instructions run past the end of their
	// code; each was walked up to the bad instruction.
	Malformed int
}

// CodeScan is what ScanCode found in a File.
type CodeScan struct {
	// Hits has one entry per (target, calling class, reflective), sorted by
	// target, then class, direct calls first.
	Hits  []Hit
	Stats CodeStats
}

// ScanCode walks the instructions of every method of every DEX in the image
// once and returns, per calling class, the instructions that reach a target
// of q. It works in one pass: per DEX it resolves the targets to method,
// field and string indexes (binary searches over the sorted tables) and
// tests each instruction's index against a bitset; class descriptors are
// decoded only for classes with hits, and nothing is allocated per
// instruction.
//
// Every instruction's length comes from its format, switch and array
// payloads included, so the walk never loses its place. Work is bounded by
// the image size: code items past the file, insns_size larger than the
// file, class data or code referenced over and over, and payloads that run
// past their code are all errors, never a hang or a panic. A method whose
// instructions run past its code is walked up to the bad instruction and
// counted in Stats.Malformed; the scan goes on with the next method and the
// returned error (a *FormatError) says how many there were. Any other
// error stops the scan: the returned CodeScan then holds the hits of the
// classes walked before it. Either way the caller should report the code as
// not fully analysed.
func (f *File) ScanCode(q *Query) (*CodeScan, error) {
	scan := &CodeScan{}
	w := newWalker(f)
	var errs error
	for k := range f.dexes {
		r, err := f.resolve(k, q)
		if err != nil {
			return scan.sorted(), err
		}
		err = w.walkDex(k, r, &scan.Stats, func(class uint32, events []eventCount) error {
			return scan.addClass(f, k, q, r, class, events)
		})
		if err != nil {
			return scan.sorted(), err
		}
	}
	if w.malformed != nil {
		errs = &FormatError{Off: w.malformed.Off, Msg: w.malformed.Msg, Val: fmt.Sprintf("%d methods", scan.Stats.Malformed)}
	}
	return scan.sorted(), errs
}

// chunkClasses is how many class definitions one task of ScanCodeJobs
// walks, and minParallelScan the smallest image it splits (below it the
// walk takes well under a millisecond, less than a helper costs). They are
// variables so that tests can split the fixtures class by class.
var (
	chunkClasses    = 256
	minParallelScan = 1 << 20
)

// ScanCodeJobs is ScanCode on up to jobs goroutines, the caller's among
// them: the classes are walked in chunks of chunkClasses, taken in turn by
// whichever goroutine is free, and the chunks' hits, counts and first
// malformed method are put together in class order, so the result is
// ScanCode's. When a chunk fails (a format error, the work budget, a
// panic), the chunks are dropped and ScanCode runs instead, so the partial
// result and the error are ScanCode's too; the budget, shared by the
// chunks, still bounds the work before that to the image's.
func (f *File) ScanCodeJobs(q *Query, jobs int) (*CodeScan, error) {
	if jobs > 1 && len(f.data) >= minParallelScan {
		if scan, ok, err := f.scanParallel(q, jobs); ok {
			return scan, err
		}
	}
	return f.ScanCode(q)
}

// codeChunk is one task of scanParallel and what it found.
type codeChunk struct {
	k, from, to int
	hits        []Hit
	stats       CodeStats
	malformed   *FormatError
}

// scanParallel is ScanCodeJobs's split walk; ok is false when a chunk failed.
func (f *File) scanParallel(q *Query, jobs int) (scan *CodeScan, ok bool, err error) {
	rs := make([]*resolved, len(f.dexes))
	var chunks []codeChunk
	for k := range f.dexes {
		r, err := f.resolve(k, q)
		if err != nil {
			return nil, false, nil
		}
		rs[k] = r
		for from := 0; from < f.dexes[k].classN; from += chunkClasses {
			chunks = append(chunks, codeChunk{k: k, from: from, to: min(from+chunkClasses, f.dexes[k].classN)})
		}
	}
	budget := int64(newWork(f).left)
	var next, spent atomic.Int64
	var failed atomic.Bool
	run := func() {
		defer func() {
			if recover() != nil {
				failed.Store(true)
			}
		}()
		w := newWalker(f)
		for !failed.Load() {
			i := int(next.Add(1) - 1)
			if i >= len(chunks) {
				return
			}
			c := &chunks[i]
			// The chunk may spend what the others have left; the sum is
			// checked once it is done.
			left := budget - spent.Load()
			w.budget, w.malformed = &work{left: int(left)}, nil
			part := &CodeScan{}
			r := rs[c.k]
			err := w.walkClasses(c.k, c.from, c.to, r, &part.Stats, func(class uint32, events []eventCount) error {
				return part.addClass(f, c.k, q, r, class, events)
			})
			if err != nil || spent.Add(left-int64(w.budget.left)) > budget {
				failed.Store(true)
				return
			}
			c.hits, c.stats, c.malformed = part.Hits, part.Stats, w.malformed
		}
	}
	var wg sync.WaitGroup
	for range min(jobs, len(chunks)) - 1 {
		wg.Go(run)
	}
	run()
	wg.Wait()
	if failed.Load() {
		return nil, false, nil
	}
	scan = &CodeScan{}
	var malformed *FormatError
	for i := range chunks {
		c := &chunks[i]
		scan.Hits = append(scan.Hits, c.hits...)
		scan.Stats.add(c.stats)
		if malformed == nil {
			malformed = c.malformed
		}
	}
	if malformed != nil {
		err = &FormatError{Off: malformed.Off, Msg: malformed.Msg, Val: fmt.Sprintf("%d methods", scan.Stats.Malformed)}
	}
	return scan.sorted(), true, err
}

// add adds the counts of o to s.
func (s *CodeStats) add(o CodeStats) {
	s.Classes += o.Classes
	s.Methods += o.Methods
	s.CodeUnits += o.CodeUnits
	s.Instructions += o.Instructions
	s.Invokes += o.Invokes
	s.Malformed += o.Malformed
}

// addClass turns the events of one class into hits.
func (s *CodeScan) addClass(f *File, k int, q *Query, r *resolved, class uint32, events []eventCount) error {
	d := &f.dexes[k]
	budget := f.scanBudget(1)
	desc, err := f.typeDescriptor(d, class, &budget)
	if err != nil {
		return err
	}
	name := DecodeMUTF8(desc)
	first := len(s.Hits)
	// Reflection counts where the class both names a target's class (a
	// string passed to Class.forName or loadClass, or a const-class) and
	// passes its member name to getMethod, getField and the like: either
	// alone is too common to mean the target (Class.forName("android.os.Build"),
	// getField("CONTENT_URI")).
	var classesNamed map[int32]bool
	for _, e := range events {
		kind, idx := eventKind(e.key>>32), uint32(e.key)
		switch kind {
		case evReflectClass, evClassConst:
			if classesNamed == nil {
				classesNamed = map[int32]bool{}
			}
			if kind == evReflectClass {
				classesNamed[r.nameOf[idx]] = true
			} else {
				classesNamed[r.typeName[idx]] = true
			}
		}
	}
	for _, e := range events {
		kind, idx := eventKind(e.key>>32), uint32(e.key)
		switch kind {
		case evReflectClass, evClassConst:
		case evReflectMethod, evReflectField:
			n := &q.names[r.nameOf[idx]]
			targets := n.methods
			if kind == evReflectField {
				targets = n.fields
			}
			for _, t := range targets {
				if classesNamed[q.classNameOf[t]] {
					s.Hits = append(s.Hits, Hit{Target: int(t), Class: name, Count: e.n, Reflective: true})
				}
			}
		default:
			for _, t := range r.refs[e.key] {
				s.Hits = append(s.Hits, Hit{Target: int(t), Class: name, Count: e.n})
			}
		}
	}
	// Merge the hits of this class that reach the same target the same way
	// (two overloads, an invoke and a method handle).
	hits := s.Hits[first:]
	slices.SortFunc(hits, compareHits)
	out := hits[:0]
	for _, h := range hits {
		if n := len(out); n > 0 && out[n-1].Target == h.Target && out[n-1].Reflective == h.Reflective {
			out[n-1].Count += h.Count
			continue
		}
		out = append(out, h)
	}
	s.Hits = s.Hits[:first+len(out)]
	return nil
}

func compareHits(a, b Hit) int {
	if c := cmp.Compare(a.Target, b.Target); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Class, b.Class); c != 0 {
		return c
	}
	switch {
	case a.Reflective == b.Reflective:
		return 0
	case !a.Reflective:
		return -1
	}
	return 1
}

func (s *CodeScan) sorted() *CodeScan {
	slices.SortFunc(s.Hits, compareHits)
	return s
}

// eventCount is one distinct event of a class and how often it occurred.
type eventCount struct {
	key uint64
	n   int
}

// ringSize is how many recent const-strings of reflection names the walker
// remembers per method.
const ringSize = 8

// walker holds the buffers one scan reuses for every class and method.
type walker struct {
	f      *File
	events []uint64
	counts []eventCount
	ring   [ringSize]struct {
		reg  uint32
		sidx uint32
	}
	ringN, ringNext int
	// budget bounds the bytes of class data and code the scan decodes.
	budget *work
	// malformed is the first method whose instructions ran past its code.
	malformed *FormatError
}

func newWalker(f *File) *walker { return &walker{f: f, budget: newWork(f)} }

// walkDex walks every class of DEX k (walkClasses over all of them).
func (w *walker) walkDex(k int, r *resolved, st *CodeStats, emit func(class uint32, events []eventCount) error) error {
	return w.walkClasses(k, 0, w.f.dexes[k].classN, r, st, emit)
}

// walkClasses walks the class definitions from..to-1 of DEX k and calls
// emit with the distinct events of each class that has any, sorted by key.
func (w *walker) walkClasses(k, from, to int, r *resolved, st *CodeStats, emit func(class uint32, events []eventCount) error) error {
	f := w.f
	d := &f.dexes[k]
	for i := from; i < to; i++ {
		p := d.classOff + classDefSize*i
		class := binary.LittleEndian.Uint32(f.data[p:])
		off := int(binary.LittleEndian.Uint32(f.data[p+24:]))
		if off == 0 {
			continue
		}
		if off >= d.limit {
			return &FormatError{Off: int64(p + 24), Msg: "class_data_off past the end of the file", Val: off}
		}
		st.Classes++
		w.events = w.events[:0]
		if err := w.walkClassData(d, off, r, st); err != nil {
			return err
		}
		if len(w.events) == 0 {
			continue
		}
		slices.Sort(w.events)
		w.counts = w.counts[:0]
		for _, e := range w.events {
			if n := len(w.counts); n > 0 && w.counts[n-1].key == e {
				w.counts[n-1].n++
			} else {
				w.counts = append(w.counts, eventCount{key: e, n: 1})
			}
		}
		if err := emit(class, w.counts); err != nil {
			return err
		}
	}
	return nil
}

// walkClassData walks the class_data_item at off: it skips the encoded
// fields and walks the code of every encoded method that has code.
func (w *walker) walkClassData(d *dexInfo, off int, r *resolved, st *CodeStats) error {
	data, end := w.f.data, d.limit
	var sizes [4]uint32 // static fields, instance fields, direct methods, virtual methods
	p := off
	for i := range sizes {
		var ok bool
		if sizes[i], p, ok = uleb128(data, p, end); !ok {
			return &FormatError{Off: int64(off), Msg: "truncated class_data_item header"}
		}
	}
	fields := uint64(sizes[0]) + uint64(sizes[1])
	methods := uint64(sizes[2]) + uint64(sizes[3])
	// Each encoded field takes at least 2 bytes and each method 3.
	if 2*fields+3*methods > uint64(end-p) {
		return &FormatError{Off: int64(off), Msg: "class_data_item sizes run past the end of the file", Val: fmt.Sprintf("%d fields, %d methods", fields, methods)}
	}
	for range 2 * fields { // field_idx_diff, access_flags
		var ok bool
		if _, p, ok = uleb128(data, p, end); !ok {
			return &FormatError{Off: int64(p), Msg: "truncated encoded_field"}
		}
	}
	for range methods {
		var code uint32
		var ok bool
		if _, p, ok = uleb128(data, p, end); ok { // method_idx_diff
			if _, p, ok = uleb128(data, p, end); ok { // access_flags
				code, p, ok = uleb128(data, p, end)
			}
		}
		if !ok {
			return &FormatError{Off: int64(p), Msg: "truncated encoded_method"}
		}
		if code != 0 {
			if err := w.walkCode(d, int(code), r, st); err != nil {
				return err
			}
		}
	}
	return w.budget.spend(p-off, off)
}

// codeItemHeader is the size of a code_item before its insns.
const codeItemHeader = 16

// walkCode walks the instructions of the code_item at off.
func (w *walker) walkCode(d *dexInfo, off int, r *resolved, st *CodeStats) error {
	data := w.f.data
	if off > d.limit-codeItemHeader {
		return &FormatError{Off: int64(off), Msg: "code_item past the end of the file", Val: off}
	}
	n := int(binary.LittleEndian.Uint32(data[off+12:]))
	if n < 0 || n > (d.limit-off-codeItemHeader)/2 {
		return &FormatError{Off: int64(off + 12), Msg: "insns_size runs past the end of the file", Val: n}
	}
	if err := w.budget.spend(2*n+codeItemHeader, off); err != nil {
		return err
	}
	st.Methods++
	st.CodeUnits += n
	base := off + codeItemHeader
	if at, msg := w.walkInsns(data[base:base+2*n], r, st); msg != "" {
		st.Malformed++
		if w.malformed == nil {
			w.malformed = &FormatError{Off: int64(base + at), Msg: msg}
		}
	}
	return nil
}

// walkInsns walks the instructions in ins (insns_size code units) and
// records the events r asks for. It returns the offset in ins and a
// description of the first instruction that runs past the end, or "".
func (w *walker) walkInsns(ins []byte, r *resolved, st *CodeStats) (int, string) {
	w.ringN, w.ringNext = 0, 0
	n := len(ins) / 2
	insns, invokes := 0, 0
	for pc := 0; pc < n; {
		at := 2 * pc
		u := uint16(ins[at]) | uint16(ins[at+1])<<8
		info := opInfo[byte(u)]
		// The step to the next instruction is the loop's critical path:
		// it is taken before any call (which would spill its values) and
		// the payloads, whose table width is 1, leave it on a branch of
		// their own.
		width := int(info & infoWidthMask)
		if width > n-pc {
			st.Instructions, st.Invokes = st.Instructions+insns, st.Invokes+invokes
			return at, "instruction runs past the end of its code_item"
		}
		if byte(u) == 0 && (u == packedSwitchPayload || u == sparseSwitchPayload || u == arrayDataPayload) {
			pw, ok := payloadWidth(ins, pc, n, u)
			if !ok {
				st.Instructions, st.Invokes = st.Instructions+insns, st.Invokes+invokes
				return at, "truncated switch or array payload"
			}
			if pw > uint64(n-pc) {
				st.Instructions, st.Invokes = st.Instructions+insns, st.Invokes+invokes
				return at, "instruction runs past the end of its code_item"
			}
			width = int(pw)
		}
		pc += width
		insns++
		if info&infoInvoke != 0 {
			invokes++
		}
		act := opAction(info & infoActionMask >> infoActionShift)
		if act > actNop {
			idx := uint32(ins[at+2]) | uint32(ins[at+3])<<8
			switch act {
			case actInvoke, actInvokeRange:
				if r.anyCall.has(idx) {
					w.invoke(r, act, u, idx, ins[at:])
				}
			case actInvokeCustom:
				w.record(r.sites, evCallSite, idx)
			case actFieldGet:
				w.record(r.fields, evField, idx)
			case actString:
				w.constString(r, idx, uint32(u>>8))
			case actStringJumbo:
				idx |= (uint32(ins[at+4]) | uint32(ins[at+5])<<8) << 16
				w.constString(r, idx, uint32(u>>8))
			case actMethodHandle:
				w.record(r.handles, evHandle, idx)
			case actConstClass:
				w.record(r.types, evClassConst, idx)
			}
		}
	}
	st.Instructions, st.Invokes = st.Instructions+insns, st.Invokes+invokes
	return 0, ""
}

// record records an event of kind for idx when idx is in set.
func (w *walker) record(set bitset, kind eventKind, idx uint32) {
	if set.has(idx) {
		w.events = append(w.events, eventKey(kind, idx))
	}
}

// constString records a const-string of string sidx into register reg.
func (w *walker) constString(r *resolved, sidx, reg uint32) {
	w.record(r.strs, evString, sidx)
	// The register now holds this string: forget older names loaded into
	// it. The ring restarts at 0 for each method, so its ringN entries are
	// the first ringN slots.
	for i := range w.ringN {
		if w.ring[i].reg == reg {
			w.ring[i].reg = ^uint32(0)
		}
	}
	if r.names.has(sidx) {
		w.ring[w.ringNext].reg, w.ring[w.ringNext].sidx = reg, sidx
		w.ringNext = (w.ringNext + 1) % ringSize
		w.ringN = min(w.ringN+1, ringSize)
	}
}

// invoke records an invoke of method midx: a call to a target, and for a
// reflection entry point the name string in its argument register. insn
// is the instruction (at least 3 code units, checked by the caller).
func (w *walker) invoke(r *resolved, act opAction, u uint16, midx uint32, insn []byte) {
	w.record(r.calls, evInvoke, midx)
	api, ok := r.reflect[midx]
	if !ok || w.ringN == 0 {
		return
	}
	arg := reflectAPIs[api].arg
	regs := uint32(insn[4]) | uint32(insn[5])<<8
	var reg uint32
	if act == actInvoke { // 35c/45cc: A|G|op BBBB F|E|D|C
		if int(u>>12) <= arg {
			return
		}
		reg = regs >> (4 * arg) & 0xf
	} else { // 3rc/4rcc: AA|op BBBB CCCC
		if int(u>>8) <= arg {
			return
		}
		reg = regs + uint32(arg)
	}
	for i := 1; i <= w.ringN; i++ { // newest first
		e := &w.ring[(w.ringNext-i+ringSize)%ringSize]
		if e.reg == reg {
			w.events = append(w.events, eventKey(reflectAPIs[api].kind, e.sidx))
			return
		}
	}
}
