package manifest

import (
	"bytes"
	"encoding/binary"

	"google.golang.org/protobuf/encoding/protowire"
)

// Kind is the encoding of a manifest file.
type Kind int

// The encodings Detect tells apart.
const (
	KindUnknown Kind = iota
	KindAXML         // binary XML as packaged in an APK
	KindXML          // text XML
	KindProto        // aapt2 protobuf XmlNode, as in an AAB
)

var kindStrings = [...]string{"unknown", "axml", "xml", "proto"}

// String returns the kind's short name ("axml", "xml", "proto", "unknown").
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindStrings) {
		return "unknown"
	}
	return kindStrings[k]
}

// Detect tells the encoding of a manifest from its content: the AXML magic
// 0x00080003, a '<' after an optional byte-order mark and white space, a
// protobuf message whose first field is an XmlNode element, or, last, a
// binary XML header whose chunk type was tampered with.
func Detect(data []byte) Kind {
	if len(data) >= 8 && binary.LittleEndian.Uint32(data) == 0x00080003 {
		return KindAXML
	}
	t := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	t = bytes.TrimLeft(t, " \t\r\n")
	if len(t) > 0 && t[0] == '<' {
		return KindXML
	}
	num, typ, n := protowire.ConsumeTag(data)
	if n > 0 && num == xmlNodeElement && typ == protowire.BytesType {
		if m := protowire.ConsumeFieldValue(num, typ, data[n:]); m > 0 {
			return KindProto
		}
	}
	// A binary XML file whose chunk type was altered (Android does not
	// check it): a plausible 8-byte file header whose size fits the data.
	if len(data) >= 8 && binary.LittleEndian.Uint16(data[2:]) == 8 {
		if n := binary.LittleEndian.Uint32(data[4:]); n >= 8 && uint64(n) <= uint64(len(data)) {
			return KindAXML
		}
	}
	return KindUnknown
}

// Parse decodes data with the decoder Detect picks. res is used by the
// binary decoders only.
func Parse(data []byte, res *Resources) (*Manifest, error) {
	switch Detect(data) {
	case KindAXML:
		return ParseAXML(data, res)
	case KindXML:
		return ParseXML(data)
	case KindProto:
		return ParseProto(data, res)
	}
	return nil, &FormatError{Msg: "unrecognised manifest encoding"}
}
