package dex

import (
	"fmt"
	"math"
)

// A ValueKind is the type of an encoded_value (DEX format, "encoded_value
// encoding"): the low five bits of its header byte.
type ValueKind uint8

// The encoded_value types.
const (
	ValueByte         ValueKind = 0x00
	ValueShort        ValueKind = 0x02
	ValueChar         ValueKind = 0x03
	ValueInt          ValueKind = 0x04
	ValueLong         ValueKind = 0x06
	ValueFloat        ValueKind = 0x10
	ValueDouble       ValueKind = 0x11
	ValueMethodType   ValueKind = 0x15
	ValueMethodHandle ValueKind = 0x16
	ValueString       ValueKind = 0x17
	ValueType         ValueKind = 0x18
	ValueField        ValueKind = 0x19
	ValueMethod       ValueKind = 0x1a
	ValueEnum         ValueKind = 0x1b
	ValueArray        ValueKind = 0x1c
	ValueAnnotation   ValueKind = 0x1d
	ValueNull         ValueKind = 0x1e
	ValueBoolean      ValueKind = 0x1f
)

// valueKinds gives each kind its name and the largest value_arg it allows
// (the payload is value_arg+1 bytes for the sized kinds).
var valueKinds = [32]struct {
	name   string
	maxArg uint8
	sized  bool // payload of value_arg+1 bytes
}{
	ValueByte:         {"byte", 0, true},
	ValueShort:        {"short", 1, true},
	ValueChar:         {"char", 1, true},
	ValueInt:          {"int", 3, true},
	ValueLong:         {"long", 7, true},
	ValueFloat:        {"float", 3, true},
	ValueDouble:       {"double", 7, true},
	ValueMethodType:   {"method-type", 3, true},
	ValueMethodHandle: {"method-handle", 3, true},
	ValueString:       {"string", 3, true},
	ValueType:         {"type", 3, true},
	ValueField:        {"field", 3, true},
	ValueMethod:       {"method", 3, true},
	ValueEnum:         {"enum", 3, true},
	ValueArray:        {"array", 0, false},
	ValueAnnotation:   {"annotation", 0, false},
	ValueNull:         {"null", 0, false},
	ValueBoolean:      {"boolean", 1, false},
}

// String returns the kind's name as the DEX format spells it in lower case
// ("string", "int", "method-handle").
func (k ValueKind) String() string {
	if int(k) < len(valueKinds) && valueKinds[k].name != "" {
		return valueKinds[k].name
	}
	return fmt.Sprintf("ValueKind(%#x)", uint8(k))
}

// A Value is one decoded encoded_value.
type Value struct {
	Kind ValueKind
	// Int holds a byte, short, char, int or long (sign-extended, a char
	// zero-extended), a boolean as 0 or 1, the IEEE-754 bits of a float or
	// double (see Float), and for method-type … enum the index into the
	// table the value points into.
	Int int64
	// Str is a string value, decoded to UTF-8, or a type value's descriptor.
	Str string
}

// Float returns a float or double value as a float64; other kinds give 0.
func (v Value) Float() float64 {
	switch v.Kind {
	case ValueFloat:
		return float64(math.Float32frombits(uint32(v.Int)))
	case ValueDouble:
		return math.Float64frombits(uint64(v.Int))
	}
	return 0
}

// maxValueDepth bounds the nesting of arrays and annotations inside one
// encoded value, so hostile input cannot recurse deeply.
const maxValueDepth = 32

// rawValue is an encoded_value before its index, if any, is resolved.
type rawValue struct {
	kind ValueKind
	bits uint64 // sign-, zero- or right-extended payload as Value.Int has it
}

// decodeValue decodes the encoded_value at data[p:end] and returns it with
// the offset after it. Arrays and annotations are skipped (their kind is
// returned, bits is 0); depth is their nesting so far.
func decodeValue(data []byte, p, end, depth int) (rawValue, int, error) {
	if p >= end {
		return rawValue{}, p, &FormatError{Off: int64(p), Msg: "encoded value runs past its section"}
	}
	hdr := data[p]
	kind, arg := ValueKind(hdr&0x1f), hdr>>5
	info := valueKinds[kind]
	if info.name == "" {
		return rawValue{}, p, &FormatError{Off: int64(p), Msg: "bad encoded value type", Val: fmt.Sprintf("%#x", hdr)}
	}
	if arg > info.maxArg {
		return rawValue{}, p, &FormatError{Off: int64(p), Msg: "bad encoded value size for " + info.name, Val: arg}
	}
	p++
	switch {
	case info.sized:
		n := int(arg) + 1
		if n > end-p {
			return rawValue{}, p, &FormatError{Off: int64(p - 1), Msg: "encoded " + info.name + " runs past its section", Val: n}
		}
		var u uint64
		for i := n - 1; i >= 0; i-- {
			u = u<<8 | uint64(data[p+i])
		}
		p += n
		bits := uint(8 * n)
		switch kind {
		case ValueByte, ValueShort, ValueInt, ValueLong:
			u = uint64(int64(u<<(64-bits)) >> (64 - bits)) // sign-extend
		case ValueFloat:
			u <<= 32 - bits // right zero-extended to 32 bits
		case ValueDouble:
			u <<= 64 - bits
		}
		return rawValue{kind: kind, bits: u}, p, nil
	case kind == ValueBoolean:
		return rawValue{kind: kind, bits: uint64(arg)}, p, nil
	case kind == ValueNull:
		return rawValue{kind: kind}, p, nil
	}
	// Array or annotation: skip the contents.
	if depth >= maxValueDepth {
		return rawValue{}, p, &FormatError{Off: int64(p - 1), Msg: "encoded values nested too deeply", Val: depth}
	}
	if kind == ValueAnnotation {
		var ok bool
		if _, p, ok = uleb128(data, p, end); !ok { // type_idx
			return rawValue{}, p, &FormatError{Off: int64(p), Msg: "truncated encoded annotation"}
		}
	}
	n, p, ok := uleb128(data, p, end)
	if !ok || uint64(n) > uint64(end-p) { // every element takes at least one byte
		return rawValue{}, p, &FormatError{Off: int64(p), Msg: "encoded " + info.name + " size runs past its section", Val: n}
	}
	for range n {
		if kind == ValueAnnotation {
			if _, p, ok = uleb128(data, p, end); !ok { // name_idx
				return rawValue{}, p, &FormatError{Off: int64(p), Msg: "truncated encoded annotation element"}
			}
		}
		var err error
		if _, p, err = decodeValue(data, p, end, depth+1); err != nil {
			return rawValue{}, p, err
		}
	}
	return rawValue{kind: kind}, p, nil
}

// encodedArray reads the size of the encoded_array at data[p:end] and
// returns it with the offset of its first element.
func encodedArray(data []byte, p, end int) (n int, first int, err error) {
	size, q, ok := uleb128(data, p, end)
	if !ok || uint64(size) > uint64(end-q) {
		return 0, p, &FormatError{Off: int64(p), Msg: "encoded array size runs past its section", Val: size}
	}
	return int(size), q, nil
}
