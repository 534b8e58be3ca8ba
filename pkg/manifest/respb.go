package manifest

import (
	"google.golang.org/protobuf/encoding/protowire"
)

// Field numbers of the resource table in aapt2's Resources.proto and
// Configuration.proto (frameworks/base/tools/aapt2); TestProtoResourcesLabel
// checks the result against aapt2 dump badging.
const (
	tablePackage = 2

	packageIDField = 1 // PackageId{id = 1}
	packageType    = 3

	typeIDField = 1 // TypeId{id = 1}
	typeEntry   = 3

	entryIDField     = 1 // EntryId{id = 1}
	entryConfigValue = 6

	configValueConfig = 1
	configValueValue  = 2

	valueItem = 4

	configMCC    = 1
	configMNC    = 2
	configLocale = 3
)

// pbValue is the value of one resource in the configuration a lookup with no
// device settings picks (see configRank).
type pbValue struct {
	attr
	rank int
}

// LoadProtoResources opens the resource table an Android App Bundle stores
// in protobuf form (<module>/resources.pb), for the same lookups as a table
// from LoadResources: the app label of a bundle's manifest is a reference
// into it. Only simple values are kept (strings, references, integers,
// booleans), each in the configuration with the fewest qualifiers, locales
// and mobile networks last. Malformed input yields an error matching
// ErrFormat, never a panic.
func LoadProtoResources(data []byte) (*Resources, error) {
	p := &protoParser{base: data}
	r := &Resources{pb: map[uint32]pbValue{}}
	err := p.fields(data, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if num == tablePackage && typ == protowire.BytesType {
			return r.pbPackage(p, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// pbID reads the id field of a PackageId, TypeId or EntryId message; proto3
// leaves a zero id out, so an empty message is id 0.
func pbID(p *protoParser, msg []byte) (id uint64, err error) {
	err = p.fields(msg, func(num protowire.Number, typ protowire.Type, _ []byte, x uint64) error {
		if num == 1 && typ == protowire.VarintType {
			id = x
		}
		return nil
	})
	return id, err
}

// children returns the id (from the message in field idField) and the
// repeated messages in field childField of msg; ok is false when no id was
// assigned (aapt2 leaves it out then).
func children(p *protoParser, msg []byte, idField, childField protowire.Number) (id uint64, ok bool, kids [][]byte, err error) {
	err = p.fields(msg, func(num protowire.Number, typ protowire.Type, v []byte, _ uint64) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case idField:
			var err error
			id, err = pbID(p, v)
			ok = true
			return err
		case childField:
			kids = append(kids, v)
		}
		return nil
	})
	return id, ok, kids, err
}

func (r *Resources) pbPackage(p *protoParser, msg []byte) error {
	pkgID, ok, types, err := children(p, msg, packageIDField, packageType)
	if err != nil || !ok || pkgID > 0xff {
		return err
	}
	for _, t := range types {
		typeID, ok, entries, err := children(p, t, typeIDField, typeEntry)
		if err != nil {
			return err
		}
		if !ok || typeID == 0 || typeID > 0xff {
			continue
		}
		for _, e := range entries {
			entryID, ok, values, err := children(p, e, entryIDField, entryConfigValue)
			if err != nil {
				return err
			}
			if !ok || entryID > 0xffff {
				continue
			}
			id := uint32(pkgID)<<24 | uint32(typeID)<<16 | uint32(entryID)
			for _, cv := range values {
				if err := r.pbConfigValue(p, id, cv); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// pbConfigValue keeps the simple value of one ConfigValue of resource id
// when its configuration ranks before the one kept so far.
func (r *Resources) pbConfigValue(p *protoParser, id uint32, msg []byte) error {
	var v pbValue
	found := false
	err := p.fields(msg, func(num protowire.Number, typ protowire.Type, b []byte, _ uint64) error {
		if typ != protowire.BytesType {
			return nil
		}
		switch num {
		case configValueConfig:
			rank, err := pbConfigRank(p, b)
			v.rank = rank
			return err
		case configValueValue:
			return p.fields(b, func(num protowire.Number, typ protowire.Type, item []byte, _ uint64) error {
				if num != valueItem || typ != protowire.BytesType {
					return nil
				}
				if err := p.item(item, &v.attr); err != nil {
					return err
				}
				found = v.typed || v.hasStr
				return nil
			})
		}
		return nil
	})
	if err != nil || !found {
		return err
	}
	if v.hasStr {
		v.typ = typeString
	}
	if old, seen := r.pb[id]; !seen || v.rank < old.rank {
		r.pb[id] = v
	}
	return nil
}

// pbConfigRank ranks a Configuration as configRank ranks a ResTable_config:
// the default configuration (no field set) first, then by the number of
// qualifiers, those naming a locale or a mobile network last.
func pbConfigRank(p *protoParser, msg []byte) (int, error) {
	rank := 0
	err := p.fields(msg, func(num protowire.Number, _ protowire.Type, _ []byte, _ uint64) error {
		rank++
		switch num {
		case configMCC, configMNC, configLocale:
			rank += 1000
		}
		return nil
	})
	return rank, err
}

// pbLookup is value for a table from LoadProtoResources.
func (r *Resources) pbLookup(id uint32) (typ uint8, data uint32, s string, ok bool) {
	v, ok := r.pb[id]
	if !ok {
		return 0, 0, "", false
	}
	return v.typ, v.data, v.str, true
}
