package manifest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
)

// ParseXML decodes a text AndroidManifest.xml: a source manifest or a merged
// one. The android: namespace is recognised by its URI whatever its prefix;
// attributes of other namespaces (tools:) are ignored; build placeholders such
// as ${applicationId} are kept as written; resource references
// ("@string/app_name") stay unresolved.
func ParseXML(data []byte) (*Manifest, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	b := newBuilder(nil)
	var attrs []attr
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &FormatError{Off: d.InputOffset(), Msg: "bad XML: " + err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			attrs = attrs[:0]
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue
				}
				x := attr{ns: a.Name.Space, name: a.Name.Local, str: a.Value, hasStr: true}
				if x.ns == androidNS {
					x.id = attrIDs[x.name]
				}
				attrs = append(attrs, x)
			}
			b.start(t.Name.Local, attrs)
		case xml.EndElement:
			b.end()
		}
	}
	return b.finish()
}
