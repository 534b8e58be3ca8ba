package native

import (
	"strconv"
	"strings"
)

// JNIMethod is one exported Java_* function, decoded by the JNI name-mangling
// rules (JNI specification, "Resolving Native Method Names").
type JNIMethod struct {
	// Symbol is the exported name ("Java_cn_jpush_android_service_PushProtocol_init").
	Symbol string
	// Class is the dotted Java class name ("cn.jpush.android.service.PushProtocol");
	// a nested class keeps its '$' ("a.b.Outer$Inner").
	Class string
	// Method is the Java method name ("init").
	Method string
	// Args is the argument part of the method descriptor of an overloaded
	// method ("Ljava/lang/String;I"), empty when the symbol has none.
	Args string
}

// DecodeJNI decodes a Java_ symbol. Mangling maps '/' (and '.') to '_', '_' to
// "_1", ';' to "_2", '[' to "_3" and any other non-ASCII-alphanumeric
// character to "_0xxxx" (four lower-case hex digits); "__" separates the
// argument signature of an overloaded method. It reports false for a name that
// does not follow the rules (a C function that merely starts with "Java_").
func DecodeJNI(sym string) (JNIMethod, bool) {
	rest, ok := strings.CutPrefix(sym, "Java_")
	if !ok || rest == "" {
		return JNIMethod{}, false
	}
	name, args, overloaded := splitSignature(rest)
	parts, ok := unmangle(name, false)
	if !ok || len(parts) < 2 {
		return JNIMethod{}, false
	}
	m := JNIMethod{Symbol: sym, Class: strings.Join(parts[:len(parts)-1], "."), Method: parts[len(parts)-1]}
	for _, p := range parts {
		if p == "" {
			return JNIMethod{}, false
		}
	}
	if overloaded {
		a, ok := unmangle(args, true)
		if !ok {
			return JNIMethod{}, false
		}
		m.Args = strings.Join(a, "/")
	}
	return m, true
}

// splitSignature splits a mangled "class_method[__args]" at the first "__"
// that is not part of an escape ("_1_" is an escaped '_' then a separator).
func splitSignature(s string) (name, args string, overloaded bool) {
	for i := 0; i < len(s); i++ {
		if s[i] != '_' || i+1 >= len(s) {
			continue
		}
		switch c := s[i+1]; {
		case c == '_':
			return s[:i], s[i+2:], true
		case c == '1' || c == '2' || c == '3':
			i++ // skip the escape's digit
		case c == '0':
			i += 5 // skip "0xxxx"
		}
	}
	return s, "", false
}

// unmangle splits a mangled name at its separators and decodes the escapes of
// each part. In an argument signature (sig) the escapes "_2" (';') and "_3"
// ('[') are legal; in a class or method name they are not.
func unmangle(s string, sig bool) ([]string, bool) {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			if i+1 >= len(s) {
				return nil, false
			}
			switch s[i+1] {
			case '1':
				b.WriteByte('_')
				i++
			case '2', '3':
				if !sig {
					return nil, false
				}
				b.WriteByte(map[byte]byte{'2': ';', '3': '['}[s[i+1]])
				i++
			case '0':
				if i+6 > len(s) {
					return nil, false
				}
				hex := s[i+2 : i+6]
				if strings.ToLower(hex) != hex {
					return nil, false
				}
				r, err := strconv.ParseUint(hex, 16, 16)
				if err != nil {
					return nil, false
				}
				b.WriteRune(rune(r))
				i += 5
			default:
				if d := s[i+1]; d >= '4' && d <= '9' {
					return nil, false // no escape, and no Java identifier starts with a digit
				}
				parts = append(parts, b.String())
				b.Reset()
			}
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '$' && !sig:
			// Some toolchains leave '$' unescaped in nested class names.
			b.WriteByte(c)
		default:
			return nil, false
		}
	}
	return append(parts, b.String()), true
}
