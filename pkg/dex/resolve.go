package dex

import (
	"bytes"
	"encoding/binary"
	"slices"
)

// eventKind is the kind of code reference the walker records.
type eventKind uint8

const (
	evInvoke        eventKind = iota + 1 // invoke-* of method idx
	evField                              // iget-*/sget-* of field idx
	evString                             // const-string of string idx
	evCallSite                           // invoke-custom of call site idx
	evHandle                             // const-method-handle of method handle idx
	evReflectClass                       // string idx passed to Class.forName / loadClass
	evReflectMethod                      // string idx passed to Class.getMethod / getDeclaredMethod
	evReflectField                       // string idx passed to Class.getField / getDeclaredField
	evClassConst                         // const-class of type idx (names a target class)
)

func eventKey(k eventKind, idx uint32) uint64 { return uint64(k)<<32 | uint64(idx) }

// bitset is a set of table indexes.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) has(i uint32) bool {
	w := int(i >> 6)
	return w < len(b) && b[w]&(1<<(i&63)) != 0
}

func (b bitset) set(i int) { b[i>>6] |= 1 << (uint(i) & 63) }

// fill sets every bit (tests: "every reference is a target").
func (b bitset) fill() {
	for i := range b {
		b[i] = ^uint64(0)
	}
}

// resolved is a Query resolved against one DEX: which method, field,
// string, call-site and method-handle indexes are targets, as bitsets the
// walker tests once per instruction, and which targets each index stands
// for, looked up only for the hits.
type resolved struct {
	anyCall bitset // calls ∪ the reflection entry points: the one test per invoke
	calls   bitset // method ids that are targets
	fields  bitset
	strs    bitset
	sites   bitset
	handles bitset
	names   bitset // strings that name a target's class or member
	types   bitset // types of the targets' classes (for const-class)
	// refs maps an event key to the targets it reaches.
	refs map[uint64][]int32
	// reflect maps a method id to its index in reflectAPIs.
	reflect map[uint32]uint8
	// nameOf maps a string index in names to its index in Query.names.
	nameOf map[uint32]int32
	// typeName maps a type index in types to the index in Query.names of
	// its dotted name.
	typeName map[uint32]int32
}

// resolve finds the targets of q in DEX k. It binary-searches the sorted
// string, type, field and method tables (ART refuses a DEX whose tables are
// out of order, so on such a DEX a target may be missed but nothing outside
// the image is read) and reads the method handles and call sites.
func (f *File) resolve(k int, q *Query) (*resolved, error) {
	d := &f.dexes[k]
	ids := f.idTables(k)
	r := &resolved{
		anyCall:  newBitset(ids.methodN),
		calls:    newBitset(ids.methodN),
		fields:   newBitset(ids.fieldN),
		strs:     newBitset(d.strN),
		names:    newBitset(d.strN),
		types:    newBitset(d.typeN),
		refs:     map[uint64][]int32{},
		reflect:  map[uint32]uint8{},
		nameOf:   map[uint32]int32{},
		typeName: map[uint32]int32{},
	}
	budget := f.scanBudget(len(q.targets) + len(reflectAPIs))
	var scratch []byte
	for _, c := range q.members {
		if t, err := f.classType(d, &c); err != nil {
			return nil, err
		} else if t >= 0 {
			r.types.set(t)
			r.typeName[uint32(t)] = c.name
		}
		err := f.resolveClass(d, &ids, &c, &scratch, &budget, func(m *queryMember, idx int) {
			if m.kind == MethodTarget {
				r.calls.set(idx)
				r.anyCall.set(idx)
				r.add(eventKey(evInvoke, uint32(idx)), m.target)
			} else {
				r.fields.set(idx)
				r.add(eventKey(evField, uint32(idx)), m.target)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	for _, c := range q.reflect {
		err := f.resolveClass(d, &ids, &c, &scratch, &budget, func(m *queryMember, idx int) {
			r.anyCall.set(idx)
			r.reflect[uint32(idx)] = uint8(m.target)
		})
		if err != nil {
			return nil, err
		}
	}
	for _, s := range q.strs {
		i, err := f.lowerBoundString(d, s.key)
		if err != nil {
			return nil, err
		}
		for ; i < d.strN; i++ {
			var ok bool
			if s.prefix {
				ok, err = f.stringHasPrefix(d, i, s.key)
			} else {
				ok, err = f.stringIs(d, i, s.key)
			}
			if err != nil {
				return nil, err
			}
			if !ok {
				break
			}
			r.strs.set(i)
			r.add(eventKey(evString, uint32(i)), s.target)
			if !s.prefix {
				break
			}
		}
	}
	for ni, n := range q.names {
		i, err := f.findString(d, n.key)
		if err != nil {
			return nil, err
		}
		if i >= 0 {
			r.names.set(i)
			r.nameOf[uint32(i)] = int32(ni)
		}
	}
	if err := f.resolveHandles(k, r); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *resolved) add(key uint64, target int) {
	if !slices.Contains(r.refs[key], int32(target)) {
		r.refs[key] = append(r.refs[key], int32(target))
	}
}

// stringIs reports whether string idx of d is exactly the MUTF-8 key.
func (f *File) stringIs(d *dexInfo, idx int, key []byte) (bool, error) {
	i, err := f.stringBody(d, d.strOff+stringIDSize*idx)
	if err != nil {
		return false, err
	}
	return compareMUTF8(key, f.data[i:d.limit]) == 0, nil
}

// resolveClass calls fn with every method or field id of d that one of c's
// members names.
func (f *File) resolveClass(d *dexInfo, ids *idTables, c *queryClass, scratch *[]byte, budget *int, fn func(m *queryMember, idx int)) error {
	t, err := f.classType(d, c)
	if err != nil || t < 0 || t > 0xffff { // member ids hold a 16-bit class index
		return err
	}
	for i := range c.members {
		m := &c.members[i]
		nidx, err := f.findString(d, m.name)
		if err != nil {
			return err
		}
		if nidx < 0 {
			continue
		}
		off, n := ids.methodOff, ids.methodN
		if m.kind == FieldTarget {
			off, n = ids.fieldOff, ids.fieldN
		}
		for j := f.lowerBoundMember(off, n, uint16(t), uint32(nidx)); j < n; j++ {
			id := f.member(off, j)
			if id.class != uint16(t) || id.name != uint32(nidx) {
				break
			}
			if len(m.typ) > 0 {
				var got []byte
				if m.kind == MethodTarget {
					*scratch, err = f.appendProto((*scratch)[:0], d, ids, int(id.protoOrType), budget)
					got = *scratch
				} else {
					got, err = f.typeDescriptor(d, uint32(id.protoOrType), budget)
				}
				if err != nil {
					return err
				}
				if !bytes.Equal(got, m.typ) {
					continue
				}
			}
			fn(m, j)
		}
	}
	return nil
}

// classType returns the type index of d whose descriptor is c's, or -1.
func (f *File) classType(d *dexInfo, c *queryClass) (int, error) {
	sidx, err := f.findString(d, c.key)
	if err != nil || sidx < 0 {
		return -1, err
	}
	return f.findType(d, sidx), nil
}

// resolveHandles marks the method handles that invoke a target method or
// read a target field, and the call sites (invoke-custom) whose bootstrap
// arguments hold such a handle: a method reference (tm::getDeviceId)
// compiled for API 26+ reaches its method that way.
func (f *File) resolveHandles(k int, r *resolved) error {
	d := &f.dexes[k]
	hOff, hN, err := f.mapSection(k, typeMethodHandleItem, methodHandleItemSize)
	if err != nil {
		return err
	}
	cOff, cN, err := f.mapSection(k, typeCallSiteIDItem, callSiteIDSize)
	if err != nil {
		return err
	}
	r.handles, r.sites = newBitset(hN), newBitset(cN)
	found := false
	for h := range hN {
		p := hOff + methodHandleItemSize*h
		typ := binary.LittleEndian.Uint16(f.data[p:])
		id := uint32(binary.LittleEndian.Uint16(f.data[p+4:]))
		var key uint64
		switch {
		case typ >= methodHandleFirstInvoke && typ <= methodHandleLastInvoke && r.calls.has(id):
			key = eventKey(evInvoke, id)
		case (typ == methodHandleStaticGet || typ == methodHandleInstanceGet) && r.fields.has(id):
			key = eventKey(evField, id)
		default:
			continue
		}
		r.handles.set(h)
		for _, t := range r.refs[key] {
			r.add(eventKey(evHandle, uint32(h)), int(t))
		}
		found = true
	}
	if !found {
		return nil
	}
	budget := newWork(f) // call sites sharing one long array cost their bytes each time
	for cs := range cN {
		at := int(binary.LittleEndian.Uint32(f.data[cOff+callSiteIDSize*cs:]))
		if at >= d.limit {
			return &FormatError{Off: int64(cOff + callSiteIDSize*cs), Msg: "call_site_off past the end of the file", Val: at}
		}
		n, p, err := encodedArray(f.data, at, d.limit)
		if err != nil {
			return err
		}
		for range n {
			var v rawValue
			if v, p, err = decodeValue(f.data, p, d.limit, 0); err != nil {
				return err
			}
			if v.kind != ValueMethodHandle || v.bits > 0xffffffff || !r.handles.has(uint32(v.bits)) {
				continue
			}
			r.sites.set(cs)
			for _, t := range r.refs[eventKey(evHandle, uint32(v.bits))] {
				r.add(eventKey(evCallSite, uint32(cs)), int(t))
			}
		}
		if err := budget.spend(p-at, at); err != nil {
			return err
		}
	}
	return nil
}
