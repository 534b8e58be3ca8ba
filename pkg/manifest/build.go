package manifest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// androidNS is the namespace URI of android: attributes, whatever prefix the
// document binds to it.
const androidNS = "http://schemas.android.com/apk/res/android"

// Resource IDs of the android: attributes the builder reads (framework
// public.xml; checked against aapt dump xmltree and framework-res.apk).
const (
	attrLabel                 = 0x01010001
	attrName                  = 0x01010003
	attrProtectionLevel       = 0x01010009
	attrEnabled               = 0x0101000e
	attrDebuggable            = 0x0101000f
	attrExported              = 0x01010010
	attrProcess               = 0x01010011
	attrAuthorities           = 0x01010018
	attrValue                 = 0x01010024
	attrResource              = 0x01010025
	attrTargetActivity        = 0x01010202
	attrMinSDK                = 0x0101020c
	attrVersionCode           = 0x0101021b
	attrVersionName           = 0x0101021c
	attrTargetSDK             = 0x01010270
	attrMaxSDK                = 0x01010271
	attrAllowBackup           = 0x01010280
	attrUsesCleartextTraffic  = 0x010104ec
	attrNetworkSecurityConfig = 0x01010527
	attrCompileSDK            = 0x01010572
	attrUsesPermissionFlags   = 0x01010644
)

// attrNames maps the resource IDs above to their android: names.
var attrNames = map[uint32]string{
	attrLabel:                 "label",
	attrName:                  "name",
	attrProtectionLevel:       "protectionLevel",
	attrEnabled:               "enabled",
	attrDebuggable:            "debuggable",
	attrExported:              "exported",
	attrProcess:               "process",
	attrAuthorities:           "authorities",
	attrValue:                 "value",
	attrResource:              "resource",
	attrTargetActivity:        "targetActivity",
	attrMinSDK:                "minSdkVersion",
	attrVersionCode:           "versionCode",
	attrVersionName:           "versionName",
	attrTargetSDK:             "targetSdkVersion",
	attrMaxSDK:                "maxSdkVersion",
	attrAllowBackup:           "allowBackup",
	attrUsesCleartextTraffic:  "usesCleartextTraffic",
	attrNetworkSecurityConfig: "networkSecurityConfig",
	attrCompileSDK:            "compileSdkVersion",
	attrUsesPermissionFlags:   "usesPermissionFlags",
}

// attrIDs is attrNames inverted, for decoders that only see names.
var attrIDs = func() map[string]uint32 {
	m := make(map[string]uint32, len(attrNames))
	for id, n := range attrNames {
		m[n] = id
	}
	return m
}()

// Res_value data types (ResourceTypes.h).
const (
	typeNull             = 0x00
	typeReference        = 0x01
	typeAttribute        = 0x02
	typeString           = 0x03
	typeFloat            = 0x04
	typeDynamicReference = 0x07
	typeIntDec           = 0x10
	typeIntHex           = 0x11
	typeIntBool          = 0x12
)

// attr is one attribute as any of the three decoders sees it.
type attr struct {
	ns, name string
	// id is the android attribute resource ID, 0 when unknown.
	id uint32
	// str is the string value when hasStr (a string in AXML, the text in
	// XML, the raw value in proto when nothing compiled is given).
	str    string
	hasStr bool
	// typ and data are the compiled value when typed.
	typ   uint8
	data  uint32
	typed bool
}

// frame is one open element.
type frame struct {
	tag string
	// comp is the absolute name of the component this element is, or sits
	// in; "" under <application> itself.
	comp string
}

// builder turns a stream of elements into a Manifest. It is shared by the
// three decoders so that they agree on every rule.
type builder struct {
	m      *Manifest
	res    *Resources
	stack  []frame
	warned map[string]bool
	// root is false until <manifest> has been seen.
	root bool
}

func newBuilder(res *Resources) *builder {
	return &builder{m: &Manifest{}, res: res, warned: map[string]bool{}}
}

func (b *builder) warn(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	if b.warned[s] || len(b.m.Warnings) >= 100 {
		return
	}
	b.warned[s] = true
	b.m.Warnings = append(b.m.Warnings, s)
}

func find(attrs []attr, id uint32) *attr {
	for i := range attrs {
		if attrs[i].id == id {
			return &attrs[i]
		}
	}
	return nil
}

// resolve follows a reference through the resource table, returning the
// referenced value, or a as it is.
func (b *builder) resolve(a *attr) attr {
	v := *a
	for range 8 {
		if !v.typed || (v.typ != typeReference && v.typ != typeDynamicReference) || v.data == 0 || b.res == nil {
			return v
		}
		typ, data, s, ok := b.res.value(v.data)
		if !ok {
			return v
		}
		v = attr{typ: typ, data: data, typed: true, id: a.id}
		if typ == typeString {
			v.str, v.hasStr = s, true
		}
	}
	return v
}

// text returns the value as text, resolving references when possible.
func (b *builder) text(a *attr) string {
	if a == nil {
		return ""
	}
	if a.hasStr {
		return a.str
	}
	v := b.resolve(a)
	if v.hasStr {
		return v.str
	}
	if v.typed && (v.typ == typeReference || v.typ == typeDynamicReference) {
		b.warn("unresolved resource reference @0x%08x in android:%s", v.data, attrNames[a.id])
	}
	return typedString(v.typ, v.data)
}

// typedString formats a compiled value the way aapt dump xmltree would.
func typedString(typ uint8, data uint32) string {
	switch typ {
	case typeNull:
		return ""
	case typeReference, typeDynamicReference:
		return fmt.Sprintf("@0x%08x", data)
	case typeAttribute:
		return fmt.Sprintf("?0x%08x", data)
	case typeFloat:
		return strconv.FormatFloat(float64(math.Float32frombits(data)), 'g', -1, 32)
	case typeIntDec:
		return strconv.Itoa(int(int32(data)))
	case typeIntHex:
		return fmt.Sprintf("0x%x", data)
	case typeIntBool:
		return strconv.FormatBool(data != 0)
	}
	return fmt.Sprintf("(type 0x%x)0x%x", typ, data)
}

// integer returns the value as an integer and whether it was one.
func (b *builder) integer(a *attr) (int64, bool) {
	if a == nil {
		return 0, false
	}
	v := b.resolve(a)
	if v.typed && (v.typ == typeIntDec || v.typ == typeIntHex) {
		return int64(int32(v.data)), true
	}
	if v.hasStr {
		s := strings.TrimSpace(v.str)
		if n, err := strconv.ParseInt(s, 0, 64); err == nil {
			return n, true
		}
	}
	return 0, false
}

// boolean returns the value as a tri-state: nil when absent or not a boolean.
func (b *builder) boolean(a *attr) *bool {
	if a == nil {
		return nil
	}
	v := b.resolve(a)
	var r bool
	switch {
	case v.typed && v.typ == typeIntBool, v.typed && (v.typ == typeIntDec || v.typ == typeIntHex):
		r = v.data != 0
	case v.hasStr && strings.TrimSpace(v.str) == "true":
		r = true
	case v.hasStr && strings.TrimSpace(v.str) == "false":
		r = false
	default:
		b.warn("android:%s is not a boolean: %q", attrNames[a.id], b.text(a))
		return nil
	}
	return &r
}

// className makes a component or application class name absolute.
func (b *builder) className(s string) string {
	pkg := b.m.Package
	if s == "" || pkg == "" {
		return s
	}
	if s[0] == '.' {
		return pkg + s
	}
	if !strings.Contains(s, ".") {
		return pkg + "." + s
	}
	return s
}

func (b *builder) sdk(a *attr) int {
	n, ok := b.integer(a)
	if !ok && a != nil {
		// A codename such as "S" for a preview SDK: keep 0, say so.
		b.warn("android:%s is not a number: %q", attrNames[a.id], b.text(a))
	}
	if n < 0 || n > math.MaxInt32 {
		return 0
	}
	return int(n)
}

func (b *builder) parent() string {
	if len(b.stack) == 0 {
		return ""
	}
	return b.stack[len(b.stack)-1].tag
}

// start handles a start tag. attrs is not retained.
func (b *builder) start(tag string, attrs []attr) {
	parent := b.parent()
	depth := len(b.stack)
	fr := frame{tag: tag}
	if depth > 0 {
		fr.comp = b.stack[depth-1].comp
	}
	switch {
	case depth == 0:
		if tag != "manifest" {
			b.warn("root element is <%s>, not <manifest>", tag)
		}
		b.root = true
		for i := range attrs {
			if attrs[i].ns == "" && attrs[i].name == "package" {
				b.m.Package = b.text(&attrs[i])
			}
			if attrs[i].ns == "" && attrs[i].name == "split" {
				b.m.Split = b.text(&attrs[i])
			}
		}
		if a := find(attrs, attrVersionCode); a != nil {
			if n, ok := b.integer(a); ok {
				b.m.VersionCode = n
			} else {
				b.warn("android:versionCode is not a number: %q", b.text(a))
			}
		}
		b.m.VersionName = b.text(find(attrs, attrVersionName))
		if a := find(attrs, attrCompileSDK); a != nil {
			b.m.CompileSDK = b.sdk(a)
		}
	case parent == "manifest" && depth == 1:
		b.manifestChild(tag, attrs)
	case parent == "application" && depth == 2:
		fr.comp = b.applicationChild(tag, attrs)
	case parent == "queries" && depth == 2:
		switch tag {
		case "package":
			if n := b.text(find(attrs, attrName)); n != "" {
				b.m.Queries = append(b.m.Queries, n)
			}
		case "provider":
			b.m.Queries = append(b.m.Queries, splitAuthorities(b.text(find(attrs, attrAuthorities)))...)
		}
	case tag == "meta-data" && depth == 3 && isComponent(parent) && b.stack[1].tag == "application":
		b.metaData(attrs, fr.comp)
	}
	b.stack = append(b.stack, fr)
}

// end handles an end tag. Unbalanced end tags are ignored.
func (b *builder) end() {
	if len(b.stack) > 0 {
		b.stack = b.stack[:len(b.stack)-1]
	}
}

func isComponent(tag string) bool {
	switch tag {
	case "activity", "activity-alias", "service", "receiver", "provider":
		return true
	}
	return false
}

func (b *builder) manifestChild(tag string, attrs []attr) {
	switch tag {
	case "uses-sdk":
		if a := find(attrs, attrMinSDK); a != nil {
			b.m.MinSDK = b.sdk(a)
		}
		if a := find(attrs, attrTargetSDK); a != nil {
			b.m.TargetSDK = b.sdk(a)
		}
	case "uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m":
		p := UsesPermission{Name: b.text(find(attrs, attrName)), SDK23: tag != "uses-permission"}
		if p.Name == "" {
			b.warn("<%s> without android:name", tag)
			return
		}
		if a := find(attrs, attrMaxSDK); a != nil {
			p.MaxSDK = b.sdk(a)
		}
		if a := find(attrs, attrUsesPermissionFlags); a != nil {
			p.Flags = permissionFlags(b.resolve(a), b.text(a))
		}
		b.m.Permissions = append(b.m.Permissions, p)
	case "permission":
		d := PermissionDef{Name: b.text(find(attrs, attrName))}
		if a := find(attrs, attrProtectionLevel); a != nil {
			d.ProtectionLevel = protectionLevel(b.resolve(a), b.text(a))
		}
		b.m.PermissionDefs = append(b.m.PermissionDefs, d)
	case "application":
		if a := find(attrs, attrLabel); a != nil {
			b.m.Label = b.text(a)
		}
		app := &b.m.Application
		app.Debuggable = b.boolean(find(attrs, attrDebuggable))
		app.AllowBackup = b.boolean(find(attrs, attrAllowBackup))
		app.UsesCleartextTraffic = b.boolean(find(attrs, attrUsesCleartextTraffic))
		app.NetworkSecurityConfig = b.text(find(attrs, attrNetworkSecurityConfig))
		app.Name = b.className(b.text(find(attrs, attrName)))
	}
}

// applicationChild handles a direct child of <application> and returns the
// component name it opens ("" for anything else).
func (b *builder) applicationChild(tag string, attrs []attr) string {
	switch tag {
	case "meta-data":
		b.metaData(attrs, "")
		return ""
	case "uses-library":
		if n := b.text(find(attrs, attrName)); n != "" {
			b.m.UsesLibraries = append(b.m.UsesLibraries, n)
		}
		return ""
	}
	if !isComponent(tag) {
		return ""
	}
	c := Component{
		Name:     b.className(b.text(find(attrs, attrName))),
		Exported: b.boolean(find(attrs, attrExported)),
		Enabled:  b.boolean(find(attrs, attrEnabled)),
		Process:  b.text(find(attrs, attrProcess)),
	}
	switch tag {
	case "activity", "activity-alias":
		if tag == "activity-alias" {
			c.Alias = true
			c.TargetActivity = b.className(b.text(find(attrs, attrTargetActivity)))
		}
		b.m.Activities = append(b.m.Activities, c)
	case "service":
		b.m.Services = append(b.m.Services, c)
	case "receiver":
		b.m.Receivers = append(b.m.Receivers, c)
	case "provider":
		c.Authorities = splitAuthorities(b.text(find(attrs, attrAuthorities)))
		b.m.Providers = append(b.m.Providers, c)
	}
	return c.Name
}

func (b *builder) metaData(attrs []attr, parent string) {
	md := MetaData{Name: b.text(find(attrs, attrName)), Parent: parent}
	if a := find(attrs, attrValue); a != nil {
		md.Value = b.text(a)
	} else if a := find(attrs, attrResource); a != nil {
		// android:resource is meant as the ID itself; keep it raw.
		if a.typed && !a.hasStr {
			md.Value = typedString(a.typ, a.data)
		} else {
			md.Value = a.str
		}
	}
	b.m.MetaData = append(b.m.MetaData, md)
}

func splitAuthorities(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// protectionLevel names a compiled android:protectionLevel ("dangerous",
// "signature|privileged"); text values are kept as written.
func protectionLevel(v attr, text string) string {
	if !v.typed || (v.typ != typeIntDec && v.typ != typeIntHex) {
		return text
	}
	base := []string{"normal", "dangerous", "signature", "signatureOrSystem", "internal"}
	var parts []string
	if n := v.data & 0xf; int(n) < len(base) {
		parts = append(parts, base[n])
	} else {
		parts = append(parts, fmt.Sprintf("0x%x", n))
	}
	flags := []struct {
		bit  uint32
		name string
	}{
		{0x10, "privileged"}, {0x20, "development"}, {0x40, "appop"}, {0x80, "pre23"},
		{0x100, "installer"}, {0x200, "verifier"}, {0x400, "preinstalled"}, {0x800, "setup"},
		{0x1000, "instant"}, {0x2000, "runtime"}, {0x4000, "oem"}, {0x8000, "vendorPrivileged"},
		{0x10000, "textClassifier"}, {0x20000, "wellbeing"}, {0x40000, "documenter"},
		{0x80000, "configurator"}, {0x100000, "incidentReportApprover"},
		{0x200000, "appPredictor"}, {0x400000, "module"}, {0x800000, "companion"},
		{0x1000000, "retailDemo"}, {0x2000000, "recents"}, {0x4000000, "role"},
		{0x8000000, "knownSigner"},
	}
	rest := v.data &^ 0xf
	for _, f := range flags {
		if rest&f.bit != 0 {
			parts = append(parts, f.name)
			rest &^= f.bit
		}
	}
	if rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", rest))
	}
	return strings.Join(parts, "|")
}

// permissionFlags names a compiled android:usesPermissionFlags.
func permissionFlags(v attr, text string) string {
	if !v.typed || (v.typ != typeIntDec && v.typ != typeIntHex) {
		return text
	}
	if v.data == 0x10000 {
		return "neverForLocation"
	}
	return fmt.Sprintf("0x%x", v.data)
}

// finish checks the result and returns it.
func (b *builder) finish() (*Manifest, error) {
	if !b.root {
		return nil, &FormatError{Msg: "no <manifest> element"}
	}
	return b.m, nil
}
