package manifest

import (
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of aapt2's Resources.proto (frameworks/base/tools/aapt2),
// checked against protoc --decode_raw of real bundletool bundles.
const (
	xmlNodeElement = 1

	xmlElementNamespaceURI = 2
	xmlElementName         = 3
	xmlElementAttribute    = 4
	xmlElementChild        = 5

	xmlAttrNamespaceURI = 1
	xmlAttrName         = 2
	xmlAttrValue        = 3
	xmlAttrResourceID   = 5
	xmlAttrCompiledItem = 6

	itemRef       = 1
	itemStr       = 2
	itemRawStr    = 3
	itemStyledStr = 4
	itemPrim      = 7

	refID = 2

	primFloat  = 3
	primIntDec = 6
	primIntHex = 7
	primBool   = 8
)

// maxProtoDepth bounds element nesting so hostile input cannot exhaust the stack.
const maxProtoDepth = 512

// ParseProto decodes the aapt2 protobuf XmlNode that Android App Bundles
// store as <module>/manifest/AndroidManifest.xml. res, when not nil, resolves
// compiled references; without it they are kept raw ("@0x7f0b0001") with a
// warning. Malformed input yields an error matching ErrFormat, never a panic.
func ParseProto(data []byte, res *Resources) (*Manifest, error) {
	b := newBuilder(res)
	p := protoParser{b: b, base: data}
	if err := p.node(data, 0); err != nil {
		return nil, err
	}
	return b.finish()
}

type protoParser struct {
	b    *builder
	base []byte
}

// off returns the offset of sub inside the top-level buffer, for errors.
func (p *protoParser) off(sub []byte) int {
	return len(p.base) - len(sub)
}

// fields calls f for every field of msg, stopping at the first error.
func (p *protoParser) fields(msg []byte, f func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return formatErr(p.off(msg), "bad protobuf tag", protowire.ParseError(n))
		}
		rest := msg[n:]
		var v []byte
		var x uint64
		switch typ {
		case protowire.BytesType:
			v, n = protowire.ConsumeBytes(rest)
		case protowire.VarintType:
			x, n = protowire.ConsumeVarint(rest)
		case protowire.Fixed32Type:
			var y uint32
			y, n = protowire.ConsumeFixed32(rest)
			x = uint64(y)
		default:
			n = protowire.ConsumeFieldValue(num, typ, rest)
		}
		if n < 0 {
			return formatErr(p.off(rest), "bad protobuf field", protowire.ParseError(n))
		}
		if err := f(num, typ, v, x); err != nil {
			return err
		}
		msg = rest[n:]
	}
	return nil
}

func (p *protoParser) node(msg []byte, depth int) error {
	if depth > maxProtoDepth {
		return formatErr(p.off(msg), "elements nested too deep", depth)
	}
	return p.fields(msg, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num == xmlNodeElement && typ == protowire.BytesType {
			return p.element(v, depth)
		}
		return nil
	})
}

func (p *protoParser) element(msg []byte, depth int) error {
	var name string
	var attrs []attr
	err := p.fields(msg, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case xmlElementName:
			name = string(v)
		case xmlElementAttribute:
			a, err := p.attribute(v)
			if err != nil {
				return err
			}
			attrs = append(attrs, a)
		}
		return nil
	})
	if err != nil {
		return err
	}
	p.b.start(name, attrs)
	err = p.fields(msg, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num == xmlElementChild && typ == protowire.BytesType {
			return p.node(v, depth+1)
		}
		return nil
	})
	p.b.end()
	return err
}

func (p *protoParser) attribute(msg []byte) (attr, error) {
	var a attr
	var item []byte
	err := p.fields(msg, func(num protowire.Number, typ protowire.Type, v []byte, x uint64) error {
		switch {
		case num == xmlAttrNamespaceURI && typ == protowire.BytesType:
			a.ns = string(v)
		case num == xmlAttrName && typ == protowire.BytesType:
			a.name = string(v)
		case num == xmlAttrValue && typ == protowire.BytesType:
			a.str, a.hasStr = string(v), true
		case num == xmlAttrResourceID && typ == protowire.VarintType:
			a.id = uint32(x)
		case num == xmlAttrCompiledItem && typ == protowire.BytesType:
			item = v
		}
		return nil
	})
	if err != nil {
		return a, err
	}
	if a.id == 0 && a.ns == androidNS {
		a.id = attrIDs[a.name]
	}
	if want, known := attrNames[a.id]; known && a.name != want {
		p.b.warn("obfuscated attribute names: android:%s (0x%08x) is named %q", want, a.id, a.name)
	}
	if item != nil {
		if err := p.item(item, &a); err != nil {
			return a, err
		}
	}
	return a, nil
}

// item applies a compiled Item to a: references and primitives become typed
// values (and win over the source text), strings replace the text.
func (p *protoParser) item(msg []byte, a *attr) error {
	return p.fields(msg, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case itemRef:
			return p.fields(v, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) error {
				if num == refID && typ == protowire.VarintType {
					a.typ, a.data, a.typed, a.hasStr = typeReference, uint32(x), true, false
				}
				return nil
			})
		case itemStr, itemRawStr, itemStyledStr:
			return p.fields(v, func(num protowire.Number, typ protowire.Type, s []byte, _ uint64) error {
				if num == 1 && typ == protowire.BytesType {
					a.str, a.hasStr = string(s), true
				}
				return nil
			})
		case itemPrim:
			return p.fields(v, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) error {
				switch {
				case num == primIntDec && typ == protowire.VarintType:
					a.typ, a.data = typeIntDec, uint32(x)
				case num == primIntHex && typ == protowire.VarintType:
					a.typ, a.data = typeIntHex, uint32(x)
				case num == primBool && typ == protowire.VarintType:
					a.typ, a.data = typeIntBool, 0
					if x != 0 {
						a.data = 1
					}
				case num == primFloat && typ == protowire.Fixed32Type:
					a.typ, a.data = typeFloat, uint32(x)
				default:
					return nil
				}
				a.typed, a.hasStr = true, false
				return nil
			})
		}
		return nil
	})
}
