package dex

import "strings"

// DescriptorPackage returns the slash-separated package of a class
// descriptor: "com/a" for "Lcom/a/B;", "" for a class in the default package
// ("LB;"). ok is false for anything that is not a class descriptor (arrays
// such as "[Lcom/a/B;", primitives such as "I", malformed strings). pkg is a
// substring of desc and allocates nothing.
func DescriptorPackage(desc string) (pkg string, ok bool) {
	if len(desc) < 3 || desc[0] != 'L' || desc[len(desc)-1] != ';' {
		return "", false
	}
	body := desc[1 : len(desc)-1]
	if i := strings.LastIndexByte(body, '/'); i >= 0 {
		return body[:i], true
	}
	return "", true
}

// DescriptorPackageBytes is DescriptorPackage for a descriptor handed out
// by EachClassBytes; pkg is a subslice of desc.
func DescriptorPackageBytes(desc []byte) (pkg []byte, ok bool) {
	if len(desc) < 3 || desc[0] != 'L' || desc[len(desc)-1] != ';' {
		return nil, false
	}
	body := desc[1 : len(desc)-1]
	for i := len(body) - 1; i >= 0; i-- {
		if body[i] == '/' {
			return body[:i], true
		}
	}
	return body[:0], true
}

// DescriptorToClass splits a class descriptor into its slash-separated
// package and its dotted Java class name: "Lcom/a/B$C;" gives ("com/a",
// "com.a.B$C", true). ok is false for arrays, primitives and malformed
// descriptors.
func DescriptorToClass(desc string) (pkg, class string, ok bool) {
	pkg, ok = DescriptorPackage(desc)
	if !ok {
		return "", "", false
	}
	return pkg, strings.ReplaceAll(desc[1:len(desc)-1], "/", "."), true
}
