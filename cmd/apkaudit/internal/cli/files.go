package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"

	"golang.org/x/term"

	"github.com/apkaudit/apkaudit/pkg/report"
)

// output is one place the command's report goes: a renderer and a path
// ("" or "-" for standard output).
type output struct {
	renderer report.Renderer
	path     string
}

// nopCloser is standard output as a report destination: closing it does nothing.
type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

// openOutput opens where a report goes: standard output for "" and "-",
// otherwise the file at path, created or truncated, or with appendLines
// opened for appending (batch output). It is the one place apkaudit opens a
// file to write; the caller must Close it and check the error, which for a
// file reports what the system could not write.
func (g *globals) openOutput(path string, appendLines bool) (io.WriteCloser, error) {
	if path == "" || path == "-" {
		return nopCloser{g.stdout}, nil
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendLines {
		flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	return os.OpenFile(path, flags, 0o644)
}

// terminal returns the width a table written to path fits and whether it
// is coloured: on a terminal (standard output that is one) its width, and
// colour unless --no-color, NO_COLOR (no-color.org: any value) or
// TERM=dumb; elsewhere $COLUMNS when it is set, else the default, and no
// colour.
func (g *globals) terminal(path string) (width int, color bool) {
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 0 {
		width = c
	}
	f, ok := g.stdout.(*os.File)
	if path != "" && path != "-" || !ok || !term.IsTerminal(int(f.Fd())) {
		return width, false
	}
	if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
		width = w
	}
	return width, !g.noColor && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
}

// writeTo writes what fn produces to path through openOutput, closing it and
// reporting the first error of the two.
func (g *globals) writeTo(path string, fn func(io.Writer) error) error {
	w, err := g.openOutput(path, false)
	if err != nil {
		return err
	}
	err = fn(w)
	if cerr := w.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("%s: %w", path, cerr)
	}
	return err
}

// render writes v to every output of the command.
func (g *globals) render(v *report.View) error {
	for _, o := range g.outputs {
		ov := *v
		ov.Options.Width, ov.Options.Color = g.terminal(o.path)
		err := g.writeTo(o.path, func(w io.Writer) error {
			// Rendered whole first: a report that fails half-way writes nothing.
			var buf bytes.Buffer
			if err := o.renderer.Render(&buf, &ov); err != nil {
				return fmt.Errorf("writing %s report: %w", o.renderer.Name(), err)
			}
			_, err := w.Write(buf.Bytes())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}
