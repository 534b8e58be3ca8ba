package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/apkaudit/apkaudit/pkg/report"
)

// outputs decides where a command's report goes, from the repeatable
// --output and --format (formatSet: --format was given), for a command whose
// output is report.Command c and whose default format is def:
//
//   - --output FORMAT=FILE writes that format to FILE (FORMAT=- to standard
//     output); FORMAT must be a format name, else the whole value is a file;
//   - a plain --output FILE writes --format when it is given, else the format
//     FILE's extension names (.sarif, .html, .md, .xml, .json, .jsonl, .txt)
//     when that format can show c, else def;
//   - standard output gets --format (or def) when no --output is given, or
//     when --format is given and every --output names its format.
//
// Every format must be able to show c; two outputs cannot share a file, nor
// standard output.
func outputs(values []string, format string, formatSet bool, c report.Command, def string) ([]output, error) {
	var outs []output
	plain := false
	add := func(name, path string) error {
		r, err := report.For(name, c)
		if err != nil {
			return err
		}
		outs = append(outs, output{renderer: r, path: path})
		return nil
	}
	stdoutFormat := def
	if formatSet {
		stdoutFormat = format
	}
	for _, v := range values {
		if name, path, ok := strings.Cut(v, "="); ok && path != "" {
			if _, err := report.Lookup(name); err == nil {
				if err := add(name, path); err != nil {
					return nil, fmt.Errorf("--output %s: %w", v, err)
				}
				continue
			}
		}
		plain = true
		name := stdoutFormat
		if r, ok := report.ForPath(v); ok && !formatSet && r.Shows(c) {
			name = r.Name()
		}
		if err := add(name, v); err != nil {
			return nil, fmt.Errorf("--output %s: %w", v, err)
		}
	}
	if len(values) == 0 || formatSet && !plain {
		if err := add(stdoutFormat, "-"); err != nil {
			return nil, err
		}
	}
	seen := map[string]string{}
	for _, o := range outs {
		key := o.path
		if key == "" || key == "-" {
			key = "-"
		} else {
			key = filepath.Clean(key)
		}
		if prev, ok := seen[key]; ok {
			where := "standard output"
			if key != "-" {
				where = o.path
			}
			return nil, fmt.Errorf("--output: %s and %s would both write %s", prev, o.renderer.Name(), where)
		}
		seen[key] = o.renderer.Name()
	}
	return outs, nil
}
