package main

import (
	"os"
	"path/filepath"
)

// Cases of issue 12's output classes ("JSONL that survives interruption",
// "outputs never destroy inputs"): batch outputs an interrupted run left
// behind, and inputs of every kind a report could be written over. FIFOs,
// sockets and symlink loops cannot be files in a directory that is copied
// around: tests/malformed makes them at test time.
const (
	// wholeLine is an error line as batch writes it, for an artifact no
	// test batches, so that skipping it changes nothing.
	wholeLine = `{"schema_version":1,"path":"testdata/malformed/elsewhere.apk","error":"an earlier run could not read it"}` + "\n"
	// tornLine is a line cut mid-object, as SIGKILL during its write(2) leaves one.
	tornLine = `{"schema_version":1,"tool":{"name":"apkaudit","version":"devel"},"artifact":{"path":"testdata/fixtures/apk/miitee.a`
)

// outputs writes jsonl/ (torn batch outputs) and inputs/ (a config, a
// baseline and a catalogue that openOutput must not write over).
func (g *gen) outputs() error {
	for _, d := range []string{"jsonl", "inputs"} {
		if err := os.MkdirAll(filepath.Join(g.out, d), 0o755); err != nil {
			return err
		}
	}
	for _, c := range []struct{ rel, what, data string }{
		{"jsonl/torn-last.jsonl", "batch output whose last line an interrupted run cut (no newline)", wholeLine + tornLine},
		{"jsonl/torn-last-newline.jsonl", "batch output whose last line is cut but ends with a newline", wholeLine + tornLine + "\n"},
		{"jsonl/torn-middle.jsonl", "batch output with a cut line in the middle (no apkaudit run leaves one)", tornLine + "\n" + wholeLine},
		{"inputs/apkaudit.yaml", "a config file (an input no report may overwrite)", "fail-on: none\n"},
		{"inputs/baseline.json", "a baseline (an input no report may overwrite)", `{"schema_version": 1, "findings": []}` + "\n"},
		{"inputs/catalogue.yaml", "an --sdkdb catalogue (an input no report may overwrite)",
			"- id: example-inhouse\n  name: In-house kit\n  vendor: 小鹿科技有限公司\n  category: platform\n  signals:\n    dex_packages: [cn.example.inhouse]\n"},
	} {
		if err := g.write(c.rel, c.what, []byte(c.data)); err != nil {
			return err
		}
	}
	return nil
}
