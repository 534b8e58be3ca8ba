package classfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/dex"
)

// ErrFormat is matched (errors.Is) by every *FormatError.
var ErrFormat = errors.New("classfile: not a valid Java class file")

// A FormatError reports malformed input at byte offset Off.
type FormatError struct {
	Off int64
	Msg string
}

// Error renders the error as "classfile: MSG at offset 0xOFF".
func (e *FormatError) Error() string {
	return fmt.Sprintf("classfile: %s at offset %#x", e.Msg, e.Off)
}

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

// Constant-pool tags (JVM specification §4.4).
const (
	tagUtf8               = 1
	tagInteger            = 3
	tagFloat              = 4
	tagLong               = 5
	tagDouble             = 6
	tagClass              = 7
	tagString             = 8
	tagFieldref           = 9
	tagMethodref          = 10
	tagInterfaceMethodref = 11
	tagNameAndType        = 12
	tagMethodHandle       = 15
	tagMethodType         = 16
	tagDynamic            = 17
	tagInvokeDynamic      = 18
	tagModule             = 19
	tagPackage            = 20

	magic = 0xCAFEBABE
)

// Field is one field of the class.
type Field struct {
	// Name is the field's name ("VERSION_NAME").
	Name string
	// Descriptor is its JVM type descriptor ("Ljava/lang/String;", "I").
	Descriptor string
	// Access holds the ACC_* flags.
	Access uint16
	// Constant is the field's ConstantValue: a string, int32, int64, float32 or
	// float64; nil when the field has none.
	Constant any
}

// Access flags of a field.
const (
	AccStatic = 0x0008
	AccFinal  = 0x0010
)

// File is a parsed class file.
type File struct {
	// Name is the dotted class name ("cn.jiguang.android.BuildConfig").
	Name string
	// Major and Minor are the class-file version (52.0 is Java 8).
	Major, Minor uint16
	// Fields are the class's fields in file order.
	Fields []Field
}

// StringConstant returns the constant value of the static final String field name.
func (f *File) StringConstant(name string) (string, bool) {
	for _, fd := range f.Fields {
		if fd.Name == name && fd.Access&(AccStatic|AccFinal) == AccStatic|AccFinal {
			s, ok := fd.Constant.(string)
			return s, ok
		}
	}
	return "", false
}

// entry is one constant-pool slot: its tag and where its body starts.
type entry struct {
	tag uint8
	off int
}

// reader walks the class file, failing at the first read past its end.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = &FormatError{Off: int64(r.off), Msg: msg}
	}
}

func (r *reader) need(n int) bool {
	if r.err != nil {
		return false
	}
	if n < 0 || n > len(r.b)-r.off {
		r.fail("truncated")
		return false
	}
	return true
}

func (r *reader) u1() uint8 {
	if !r.need(1) {
		return 0
	}
	v := r.b[r.off]
	r.off++
	return v
}

func (r *reader) u2() uint16 {
	if !r.need(2) {
		return 0
	}
	v := binary.BigEndian.Uint16(r.b[r.off:])
	r.off += 2
	return v
}

func (r *reader) u4() uint32 {
	if !r.need(4) {
		return 0
	}
	v := binary.BigEndian.Uint32(r.b[r.off:])
	r.off += 4
	return v
}

func (r *reader) skip(n int) {
	if r.need(n) {
		r.off += n
	}
}

// Parse reads the class file b. The File keeps no reference to b.
func Parse(b []byte) (*File, error) {
	r := &reader{b: b}
	if r.u4() != magic {
		return nil, &FormatError{Off: 0, Msg: "no CAFEBABE magic"}
	}
	f := &File{}
	f.Minor, f.Major = r.u2(), r.u2()
	n := int(r.u2())
	// Every entry takes at least three bytes: a count the remaining bytes
	// cannot hold is refused before the pool is allocated.
	if r.err == nil && (n == 0 || (n-1)*3 > len(b)-r.off) {
		return nil, &FormatError{Off: int64(r.off), Msg: fmt.Sprintf("constant pool of %d entries in %d bytes", n, len(b))}
	}
	pool := make([]entry, n)
	for i := 1; i < n && r.err == nil; i++ {
		tag := r.u1()
		pool[i] = entry{tag: tag, off: r.off}
		switch tag {
		case tagUtf8:
			r.skip(int(r.u2()))
		case tagInteger, tagFloat, tagFieldref, tagMethodref, tagInterfaceMethodref, tagNameAndType, tagDynamic, tagInvokeDynamic:
			r.skip(4)
		case tagLong, tagDouble:
			r.skip(8)
			i++ // takes two slots
		case tagClass, tagString, tagMethodType, tagModule, tagPackage:
			r.skip(2)
		case tagMethodHandle:
			r.skip(3)
		default:
			r.fail(fmt.Sprintf("constant-pool entry %d has unknown tag %d", i, tag))
		}
	}
	r.u2() // access_flags
	this := r.u2()
	r.u2() // super_class
	ifaces := int(r.u2())
	r.skip(2 * ifaces)
	nfields := int(r.u2())
	if r.err != nil {
		return nil, r.err
	}
	if nfields*8 > len(b)-r.off { // a field_info is at least 8 bytes
		return nil, &FormatError{Off: int64(r.off), Msg: fmt.Sprintf("%d fields in %d bytes", nfields, len(b)-r.off)}
	}
	p := constantPool(pool)
	name, err := p.className(b, this)
	if err != nil {
		return nil, err
	}
	f.Name = name
	f.Fields = make([]Field, 0, nfields)
	for i := 0; i < nfields && r.err == nil; i++ {
		fd := Field{Access: r.u2()}
		ni, di := r.u2(), r.u2()
		attrs := int(r.u2())
		if r.err != nil {
			break
		}
		if fd.Name, err = p.utf8(b, ni); err != nil {
			return nil, err
		}
		if fd.Descriptor, err = p.utf8(b, di); err != nil {
			return nil, err
		}
		for j := 0; j < attrs && r.err == nil; j++ {
			an, length := r.u2(), int64(r.u4())
			if r.err != nil || length > int64(len(b)-r.off) {
				r.fail("attribute runs past the end of the class file")
				break
			}
			start := r.off
			if aname, err := p.utf8(b, an); err == nil && aname == "ConstantValue" && length == 2 {
				if fd.Constant, err = p.constant(b, binary.BigEndian.Uint16(b[start:])); err != nil {
					return nil, err
				}
			}
			r.off = start + int(length)
		}
		f.Fields = append(f.Fields, fd)
	}
	// The methods and the class attributes are only walked, so that a
	// truncated or padded class file is refused as the JVM refuses it.
	methods := int(r.u2())
	for i := 0; i < methods && r.err == nil; i++ {
		r.skip(6)
		r.skipAttributes()
	}
	r.skipAttributes()
	if r.err == nil && r.off != len(b) {
		r.fail(fmt.Sprintf("%d bytes after the end of the class file", len(b)-r.off))
	}
	if r.err != nil {
		return nil, r.err
	}
	return f, nil
}

// skipAttributes skips an attributes_count and the attributes that follow it.
func (r *reader) skipAttributes() {
	n := int(r.u2())
	for i := 0; i < n && r.err == nil; i++ {
		r.skip(2)
		r.skip(int(r.u4()))
	}
}

type constantPool []entry

// at returns the entry at index i if it has tag.
func (p constantPool) at(i uint16, tag uint8) (entry, error) {
	if int(i) == 0 || int(i) >= len(p) || p[i].tag != tag {
		return entry{}, &FormatError{Off: 8, Msg: fmt.Sprintf("constant-pool index %d is not a tag-%d entry", i, tag)}
	}
	return p[i], nil
}

func (p constantPool) utf8(b []byte, i uint16) (string, error) {
	e, err := p.at(i, tagUtf8)
	if err != nil {
		return "", err
	}
	n := int(binary.BigEndian.Uint16(b[e.off:]))
	return dex.DecodeMUTF8(b[e.off+2 : e.off+2+n]), nil
}

func (p constantPool) className(b []byte, i uint16) (string, error) {
	e, err := p.at(i, tagClass)
	if err != nil {
		return "", err
	}
	s, err := p.utf8(b, binary.BigEndian.Uint16(b[e.off:]))
	return strings.ReplaceAll(s, "/", "."), err
}

// constant returns the value of a ConstantValue entry.
func (p constantPool) constant(b []byte, i uint16) (any, error) {
	if int(i) == 0 || int(i) >= len(p) {
		return nil, &FormatError{Off: 8, Msg: fmt.Sprintf("ConstantValue index %d outside the constant pool", i)}
	}
	e := p[i]
	switch e.tag {
	case tagString:
		return p.utf8(b, binary.BigEndian.Uint16(b[e.off:]))
	case tagInteger:
		return int32(binary.BigEndian.Uint32(b[e.off:])), nil
	case tagFloat:
		return math.Float32frombits(binary.BigEndian.Uint32(b[e.off:])), nil
	case tagLong:
		return int64(binary.BigEndian.Uint64(b[e.off:])), nil
	case tagDouble:
		return math.Float64frombits(binary.BigEndian.Uint64(b[e.off:])), nil
	}
	return nil, &FormatError{Off: int64(e.off), Msg: fmt.Sprintf("ConstantValue index %d has tag %d", i, e.tag)}
}
