package dex

import (
	"fmt"
	"slices"
	"strings"
)

// A TargetKind says which instructions a Target matches.
type TargetKind uint8

const (
	// MethodTarget matches every invoke-* of the method (including /range,
	// invoke-polymorphic and invoke-custom or const-method-handle whose
	// method handle names it).
	MethodTarget TargetKind = iota + 1
	// FieldTarget matches every iget-* and sget-* of the field (and a
	// method handle that reads it).
	FieldTarget
	// StringTarget matches every const-string and const-string/jumbo that
	// loads the string.
	StringTarget
)

var targetKindNames = [...]string{MethodTarget: "method", FieldTarget: "field", StringTarget: "string"}

// String returns "method", "field" or "string".
func (k TargetKind) String() string {
	if int(k) < len(targetKindNames) && targetKindNames[k] != "" {
		return targetKindNames[k]
	}
	return fmt.Sprintf("TargetKind(%d)", k)
}

// A Target is one API a code scan looks for, named by plain descriptors as
// the code names it. A call names the class of the receiver's static type
// (javac's qualifying type), so a method declared by a superclass and called
// through a subclass needs a Target for each class the code may name.
type Target struct {
	Kind TargetKind
	// Class is the descriptor of the class the instruction names, for method
	// and field targets: "Landroid/telephony/TelephonyManager;".
	Class string
	// Name is the method or field name: "getDeviceId", "SERIAL", "<init>".
	Name string
	// Type narrows a method target to one prototype ("(I)Ljava/lang/String;")
	// and a field target to one type ("Ljava/lang/String;"). Empty matches
	// every overload or type.
	Type string
	// Value is the string constant of a string target.
	Value string
	// Prefix makes a string target match every string that begins with
	// Value ("content://sms" matches "content://sms/inbox").
	Prefix bool
}

// String renders the target as dexdump names it: "Lcls;.name:type" for
// members, the quoted value (with "*" after a prefix) for strings.
func (t Target) String() string {
	switch t.Kind {
	case StringTarget:
		if t.Prefix {
			return fmt.Sprintf("%q*", t.Value)
		}
		return fmt.Sprintf("%q", t.Value)
	default:
		s := t.Class + "." + t.Name
		if t.Type != "" {
			s += ":" + t.Type
		}
		return s
	}
}

// A Query is a compiled list of targets. It is immutable and safe for
// concurrent use: build it once (NewQuery) and scan every DEX with it.
type Query struct {
	targets []Target
	// members groups the method and field targets by class descriptor,
	// sorted by descriptor.
	members []queryClass
	// strs holds the string targets' MUTF-8 values.
	strs []queryString
	// names are the strings that, passed to a reflection API, name a
	// target's class (dotted, "android.telephony.TelephonyManager") or
	// member ("getDeviceId"); sorted, unique.
	names []queryName
	// classNameOf gives, per target, the index in names of its class's
	// dotted name (-1 for string targets).
	classNameOf []int32
	// reflect are the reflection entry points (see reflectAPIs), compiled
	// as a Query of their own so the same resolver finds them.
	reflect []queryClass
}

type queryClass struct {
	key     []byte // MUTF-8 descriptor
	members []queryMember
	name    int32 // index in Query.names of the dotted class name
}

type queryMember struct {
	kind   TargetKind
	name   []byte // MUTF-8
	typ    []byte // MUTF-8 prototype or type descriptor; empty = any
	target int    // index into Query.targets (or into reflectAPIs)
}

type queryString struct {
	key    []byte
	prefix bool
	target int
}

// queryName is a reflection name and the targets it may reach.
type queryName struct {
	key []byte
	// methods and fields list the method and field targets with this
	// member name.
	methods, fields []int32
}

// reflectAPIs are the Java reflection entry points whose string argument
// names a class or a member: Class.forName and ClassLoader.loadClass take a
// binary class name, Class.getMethod and friends a member name. arg is the
// argument (receiver included) that holds the name.
var reflectAPIs = []struct {
	class, name string
	kind        eventKind
	arg         int
}{
	{"Ljava/lang/Class;", "forName", evReflectClass, 0},
	{"Ljava/lang/ClassLoader;", "loadClass", evReflectClass, 1},
	{"Ldalvik/system/BaseDexClassLoader;", "loadClass", evReflectClass, 1},
	{"Ldalvik/system/PathClassLoader;", "loadClass", evReflectClass, 1},
	{"Ldalvik/system/DexClassLoader;", "loadClass", evReflectClass, 1},
	{"Ljava/lang/Class;", "getMethod", evReflectMethod, 1},
	{"Ljava/lang/Class;", "getDeclaredMethod", evReflectMethod, 1},
	{"Ljava/lang/Class;", "getField", evReflectField, 1},
	{"Ljava/lang/Class;", "getDeclaredField", evReflectField, 1},
}

// NewQuery compiles targets. It fails on a target whose kind is unknown,
// whose class is not a class descriptor, or whose name or value is empty.
func NewQuery(targets []Target) (*Query, error) {
	q := &Query{targets: slices.Clone(targets)}
	byClass := map[string]int{}
	names := map[string]*queryName{}
	name := func(s string) *queryName {
		n := names[s]
		if n == nil {
			n = &queryName{key: EncodeMUTF8(nil, s)}
			names[s] = n
		}
		return n
	}
	for i, t := range targets {
		switch t.Kind {
		case MethodTarget, FieldTarget:
			if _, ok := DescriptorPackage(t.Class); !ok {
				return nil, fmt.Errorf("dex: target %d (%s): %q is not a class descriptor", i, t, t.Class)
			}
			if t.Name == "" {
				return nil, fmt.Errorf("dex: target %d (%s): empty member name", i, t)
			}
			addMember(&q.members, byClass, t.Class,
				queryMember{kind: t.Kind, name: EncodeMUTF8(nil, t.Name), typ: EncodeMUTF8(nil, t.Type), target: i})
			name(dottedClass(t.Class))
			mn := name(t.Name)
			if t.Kind == MethodTarget {
				mn.methods = append(mn.methods, int32(i))
			} else {
				mn.fields = append(mn.fields, int32(i))
			}
		case StringTarget:
			if t.Value == "" {
				return nil, fmt.Errorf("dex: target %d: empty string value", i)
			}
			q.strs = append(q.strs, queryString{key: EncodeMUTF8(nil, t.Value), prefix: t.Prefix, target: i})
		default:
			return nil, fmt.Errorf("dex: target %d: unknown kind %d", i, t.Kind)
		}
	}
	for _, n := range names {
		q.names = append(q.names, *n)
	}
	slices.SortFunc(q.names, func(a, b queryName) int { return compareMUTF8(a.key, b.key) })
	index := map[string]int32{}
	for i, n := range q.names {
		index[DecodeMUTF8(n.key)] = int32(i)
	}
	q.classNameOf = make([]int32, len(targets))
	for i, t := range targets {
		q.classNameOf[i] = -1
		if t.Kind != StringTarget {
			q.classNameOf[i] = index[dottedClass(t.Class)]
		}
	}
	for i := range q.members {
		q.members[i].name = index[dottedClass(DecodeMUTF8(q.members[i].key))]
	}

	byClass = map[string]int{}
	for i, r := range reflectAPIs {
		addMember(&q.reflect, byClass, r.class, queryMember{kind: MethodTarget, name: EncodeMUTF8(nil, r.name), target: i})
	}
	return q, nil
}

// addMember files m under its class in classes; byClass indexes classes by
// descriptor.
func addMember(classes *[]queryClass, byClass map[string]int, class string, m queryMember) {
	c, ok := byClass[class]
	if !ok {
		c = len(*classes)
		byClass[class] = c
		*classes = append(*classes, queryClass{key: EncodeMUTF8(nil, class)})
	}
	(*classes)[c].members = append((*classes)[c].members, m)
}

// dottedClass turns a class descriptor into the binary name reflection
// takes: "Landroid/provider/Settings$Secure;" → "android.provider.Settings$Secure".
func dottedClass(desc string) string { return strings.ReplaceAll(desc[1:len(desc)-1], "/", ".") }

// Targets returns a copy of the targets the query was built from; a Hit's
// Target indexes this slice.
func (q *Query) Targets() []Target { return slices.Clone(q.targets) }
