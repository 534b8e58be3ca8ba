package dex

import "encoding/binary"

// StaticValue returns the initial value of the static field named field of
// the class whose descriptor is class ("Lcom/umeng/commonsdk/statistics/SdkVersion;",
// "SDK_VERSION"), as the class definition's static_values array holds it:
// the compile-time constants of static final fields (a BuildConfig's
// VERSION_NAME, an SDK's SDK_VERSION). ok is false when no DEX of the image
// defines the class, the class has no such static field, or the field has
// no entry in the array; the last means its initial value is the type's
// zero (null, 0, false) or is computed by <clinit> at run time, which this
// reader does not run. The first DEX that defines the class answers.
//
// The class is found by binary search over the sorted string and type
// tables and a scan of the class definitions; only the fields before the
// one asked for are decoded.
func (f *File) StaticValue(class, field string) (v Value, ok bool, err error) {
	ckey, fkey := EncodeMUTF8(nil, class), EncodeMUTF8(nil, field)
	for k := range f.dexes {
		d := &f.dexes[k]
		sidx, err := f.findString(d, ckey)
		if err != nil {
			return Value{}, false, err
		}
		if sidx < 0 {
			continue
		}
		t := f.findType(d, sidx)
		if t < 0 {
			continue
		}
		for i := range d.classN {
			p := d.classOff + classDefSize*i
			if int(binary.LittleEndian.Uint32(f.data[p:])) != t {
				continue
			}
			name, err := f.findString(d, fkey)
			if err != nil || name < 0 {
				return Value{}, false, err
			}
			err = f.staticFields(k, p, newWork(f), func(fidx uint32, val Value, has bool) (bool, error) {
				if f.fieldName(k, fidx) != uint32(name) {
					return true, nil
				}
				v, ok = val, has
				return false, nil
			})
			return v, ok, err
		}
	}
	return Value{}, false, nil
}

// work is a budget, in bytes decoded, shared by one walk over the image.
type work struct{ left int }

// newWork returns the budget of one walk. A well-formed DEX stores each
// class_data_item, code_item and static-values array once, so a walk decodes
// each of their bytes once; the budget allows the image four times over and
// stops a hostile DEX whose class defs or methods all point at one large item.
func newWork(f *File) *work { return &work{left: 4*len(f.data) + 64*f.NumClasses() + 4096} }

func (w *work) spend(n, off int) error {
	w.left -= n
	if w.left < 0 {
		return &FormatError{Off: int64(off), Msg: "class data, code or static values referenced too often (work budget exhausted)"}
	}
	return nil
}

// fieldName returns the name string index of field fidx of DEX k, or
// ^uint32(0) when fidx is out of range.
func (f *File) fieldName(k int, fidx uint32) uint32 {
	ids := f.idTables(k)
	if uint64(fidx) >= uint64(ids.fieldN) {
		return ^uint32(0)
	}
	return f.member(ids.fieldOff, int(fidx)).name
}

// staticFields calls fn, in order, with the field index of each static
// field of the class definition at classDef in DEX k and its initial value;
// has is false for the fields past the end of the static_values array. fn
// returns false to stop.
func (f *File) staticFields(k, classDef int, w *work, fn func(fidx uint32, v Value, has bool) (bool, error)) error {
	d := &f.dexes[k]
	data := f.data
	dataOff := int(binary.LittleEndian.Uint32(data[classDef+24:]))
	valuesOff := int(binary.LittleEndian.Uint32(data[classDef+28:]))
	if dataOff == 0 {
		return nil
	}
	if dataOff >= d.limit {
		return &FormatError{Off: int64(classDef + 24), Msg: "class_data_off past the end of the file", Val: dataOff}
	}
	if valuesOff >= d.limit {
		return &FormatError{Off: int64(classDef + 28), Msg: "static_values_off past the end of the file", Val: valuesOff}
	}
	statics, p, ok := uleb128(data, dataOff, d.limit)
	if ok {
		for range 3 { // instance fields, direct and virtual methods: not needed here
			if _, p, ok = uleb128(data, p, d.limit); !ok {
				break
			}
		}
	}
	if !ok {
		return &FormatError{Off: int64(dataOff), Msg: "truncated class_data_item header"}
	}
	n, q := 0, 0
	if valuesOff != 0 {
		var err error
		if n, q, err = encodedArray(data, valuesOff, d.limit); err != nil {
			return err
		}
	}
	start, startQ := p, q
	// Every way out charges the bytes decoded to the walk's budget.
	done := func(err error) error {
		if err != nil {
			return err
		}
		return w.spend(p-start+q-startQ, dataOff)
	}
	var fidx uint32
	for i := range statics {
		diff, next, ok := uleb128(data, p, d.limit)
		if ok {
			_, next, ok = uleb128(data, next, d.limit) // access_flags
		}
		if !ok {
			return &FormatError{Off: int64(p), Msg: "truncated encoded_field"}
		}
		p = next
		fidx += diff
		var v Value
		has := int(i) < n
		if has {
			var raw rawValue
			var err error
			at := q
			if raw, q, err = decodeValue(data, q, d.limit, 0); err != nil {
				return err
			}
			if v, err = f.value(d, raw, at); err != nil {
				return err
			}
		}
		if more, err := fn(fidx, v, has); err != nil || !more {
			return done(err)
		}
	}
	return done(nil)
}

// value resolves a raw encoded value of DEX d: the string of a string value
// and the descriptor of a type value. at is where it was read.
func (f *File) value(d *dexInfo, raw rawValue, at int) (Value, error) {
	v := Value{Kind: raw.kind, Int: int64(raw.bits)}
	budget := f.scanBudget(1)
	if raw.kind != ValueString && raw.kind != ValueType {
		return v, nil
	}
	what, n := "string", d.strN
	if raw.kind == ValueType {
		what, n = "type", d.typeN
	}
	if raw.bits >= uint64(n) {
		return v, &FormatError{Off: int64(at), Msg: what + " index out of range", Val: raw.bits}
	}
	var s []byte
	var err error
	if raw.kind == ValueString {
		s, err = f.stringData(d, uint32(raw.bits), &budget)
	} else {
		s, err = f.typeDescriptor(d, uint32(raw.bits), &budget)
	}
	if err != nil {
		return v, err
	}
	v.Str = DecodeMUTF8(s)
	return v, nil
}

// eachStaticValue calls fn with every static field that has an initial
// value in the static_values of its class, over every class of every DEX:
// the DEX, the class's type index, the field index and the value. The work
// is bounded by the image size (class defs sharing static values included).
func (f *File) eachStaticValue(fn func(k int, class, field uint32, v Value) error) error {
	w := newWork(f)
	for k := range f.dexes {
		d := &f.dexes[k]
		for i := range d.classN {
			p := d.classOff + classDefSize*i
			if binary.LittleEndian.Uint32(f.data[p+28:]) == 0 {
				continue
			}
			class := binary.LittleEndian.Uint32(f.data[p:])
			err := f.staticFields(k, p, w, func(fidx uint32, v Value, has bool) (bool, error) {
				if !has {
					return false, nil
				}
				return true, fn(k, class, fidx, v)
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}
