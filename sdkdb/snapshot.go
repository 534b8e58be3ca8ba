package sdkdb

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

//go:generate go run gen_snapshot.go

// snapshot is catalogue.json: the YAML files of sdks/ already decoded and
// validated, written by gen_snapshot.go (go generate ./sdkdb). JSON decodes
// about seven times faster than YAML, and start-up time counts when a CI job
// audits one build. TestSnapshotIsCurrent fails when the YAML changed and
// the snapshot was not regenerated.
//
//go:embed catalogue.json
var snapshot []byte

type snapshotDoc struct {
	Version string          `json:"version"`
	Entries []snapshotEntry `json:"entries"`
}

type snapshotEntry struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Entry
}

// WriteSnapshot writes c in the form Embedded reads.
func WriteSnapshot(w io.Writer, c *Catalogue) error {
	doc := snapshotDoc{Version: c.Version}
	for _, e := range c.Entries {
		doc.Entries = append(doc.Entries, snapshotEntry{File: e.file, Line: e.line, Entry: *e})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func readSnapshot(data []byte) (*Catalogue, error) {
	var doc snapshotDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("sdkdb: catalogue.json: %w (run go generate ./sdkdb)", err)
	}
	c := &Catalogue{Version: doc.Version, Entries: make([]*Entry, 0, len(doc.Entries))}
	for i := range doc.Entries {
		e := &doc.Entries[i].Entry
		e.file, e.line = doc.Entries[i].File, doc.Entries[i].Line
		c.Entries = append(c.Entries, e)
	}
	c.index()
	return c, nil
}

// Embedded returns the built-in catalogue, decoded from its snapshot on first
// use. Every caller gets the same *Catalogue (read-only) and the same error.
var Embedded = sync.OnceValues(func() (*Catalogue, error) { return readSnapshot(snapshot) })

// EmbeddedSource loads the built-in catalogue from its YAML files, with the
// line of every key for precise Validate messages (sdkdb validate --embedded).
func EmbeddedSource() (*Catalogue, error) { return Load(files) }
