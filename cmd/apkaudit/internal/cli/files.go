package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
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

// inputFile is a file the command reads, which no output may overwrite.
type inputFile struct {
	// what names it in an error: "--policy", "the artifact".
	what, path string
	// appendable: batch may append its lines to it. It is the --skip-done
	// file, which a resumed batch names as its --output too.
	appendable bool
}

// inputWordsZh are the Chinese of the inputFile.what that are not flags.
var inputWordsZh = map[string]string{"the input": "输入文件", "the artifact": "构建文件"}

// addInputs records paths as files the command reads (what names them in
// errors), so that openOutput refuses to write over them.
func (g *globals) addInputs(what string, appendable bool, paths ...string) {
	for _, p := range paths {
		if p != "" && p != "-" {
			g.inputs = append(g.inputs, inputFile{what: what, path: p, appendable: appendable})
		}
	}
}

// checkNotInput refuses an output (flag names it: --output, --write-baseline)
// that is the same file as an input (file.is): the same device and inode,
// or, for an input that does not exist either, the same path once symlinks
// are resolved. An append output may be an appendable input.
func (g *globals) checkNotInput(flag, path string, appendLines bool) error {
	out := fileAt(path)
	for _, in := range g.inputs {
		if appendLines && in.appendable || !out.is(in.path) {
			continue
		}
		en, zh := in.what, in.what
		if w, ok := inputWordsZh[in.what]; ok {
			zh = w
		}
		if in.path != path {
			en, zh = en+" "+in.path, zh+" "+in.path
		}
		return &usageError{
			fmt.Sprintf("%s %s is the same file as %s: refusing to overwrite an input (write the report elsewhere)", flag, path, en),
			fmt.Sprintf("%s %s 与 %s 是同一个文件：不会覆盖输入文件（请把报告写到别处）", flag, path, zh)}
	}
	return nil
}

// sameFile reports whether paths a and b name one file (fileAt).
func sameFile(a, b string) bool { return fileAt(a).is(b) }

// A file is a path as sameFile compares it: its stat, when it exists.
type file struct {
	path string
	st   fs.FileInfo // nil when it does not exist (or cannot be stat'ed)
}

func fileAt(path string) file {
	st, _ := os.Stat(path)
	return file{path, st}
}

// is reports whether the file at path is f: the same device and inode when
// both exist; when neither does, the same path once symlinks are resolved;
// when only one does, no. It is the one test of "same file" for outputs
// and inputs, and costs one stat per input, so that the thousands of
// artifacts of a batch are checked in a moment.
func (f file) is(path string) bool {
	st, _ := os.Stat(path)
	switch {
	case f.st != nil && st != nil:
		return os.SameFile(f.st, st)
	case f.st != nil || st != nil:
		return false
	}
	return realPath(f.path) == realPath(path)
}

// realPath is path made absolute with its symlinks resolved; for a path
// that does not exist yet, its directory resolved and its name joined.
func realPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r
	}
	if d, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(d, filepath.Base(abs))
	}
	return abs
}

// openOutput opens where a report goes (flag names it in errors: --output,
// --write-baseline): standard output for "" and "-"; otherwise, after
// refusing a file that is one of the command's inputs (checkNotInput), the
// file at path. A report is written to a temporary file in path's directory
// and renamed over path on Close (replaceFile), so a run that fails leaves
// path as it was; with appendLines (batch output) path is opened for
// appending whole lines (lineFile). It is the one place apkaudit opens a
// file to write; the caller must Close it and check the error, which for a
// file reports what the system could not write.
func (g *globals) openOutput(flag, path string, appendLines bool) (io.WriteCloser, error) {
	if path == "" || path == "-" {
		return nopCloser{g.stdout}, nil
	}
	if err := g.checkNotInput(flag, path, appendLines); err != nil {
		return nil, err
	}
	if appendLines {
		// Read and write: endTorn reads the last byte. A file that may only
		// be written is appended to without that look.
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
		readable := err == nil
		if errors.Is(err, fs.ErrPermission) {
			f, err = os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		}
		if err != nil {
			return nil, err
		}
		return &lineFile{f: f, readable: readable}, nil
	}
	return openReplace(path)
}

// openReplace opens a temporary file beside path that replaces path when
// closed. An existing path keeps its permission bits (a new one gets 0644
// less the umask, as with a plain create)
// and a symlink keeps pointing where it did: the file it names is replaced.
// What is not a regular file (/dev/stdout, a FIFO) is written in place; a
// directory the user may not create files in, where path itself is
// writable, is written in place too, as before reports were replaced.
func openReplace(path string) (io.WriteCloser, error) {
	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if r, err := filepath.EvalSymlinks(path); err == nil {
			target = r
		}
	}
	keep := fs.FileMode(0) // the mode of the file replaced; 0: a new one
	if st, err := os.Stat(target); err == nil {
		switch {
		case st.IsDir():
			return nil, fmt.Errorf("%s: is a directory", path)
		case !st.Mode().IsRegular():
			return os.OpenFile(target, os.O_WRONLY, 0)
		}
		keep = st.Mode().Perm()
	}
	tmp, err := createTemp(target)
	if errors.Is(err, fs.ErrPermission) {
		if f, ferr := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0); ferr == nil {
			return f, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if keep != 0 {
		if err := tmp.Chmod(keep); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return nil, fmt.Errorf("%s: %w", path, unwrapPath(err))
		}
	}
	return &replaceFile{File: tmp, path: path, target: target}, nil
}

// createTemp creates a new file ".NAME.RANDOM.tmp" beside target, with mode
// 0644 less the umask as any new report gets (os.CreateTemp's is 0600).
func createTemp(target string) (*os.File, error) {
	dir, base := filepath.Split(target)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("cannot create a temporary file beside it")
}

// unwrapPath is the reason of a *fs.PathError or *os.LinkError, whose own
// message names a temporary file the user never asked for.
func unwrapPath(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// replaceFile is a temporary file that Close renames over target (path as
// the user wrote it, for errors) and Abort removes. Either way no
// temporary file is left behind.
type replaceFile struct {
	*os.File
	path, target string
	done         bool
}

// Close closes the temporary file and renames it over the target.
func (r *replaceFile) Close() error {
	if r.done {
		return nil
	}
	r.done = true
	err := r.File.Close()
	if err == nil {
		err = os.Rename(r.File.Name(), r.target)
	}
	if err != nil {
		os.Remove(r.File.Name())
		return fmt.Errorf("%s: %w", r.path, unwrapPath(err))
	}
	return nil
}

// Abort removes the temporary file: the target stays as it was.
func (r *replaceFile) Abort() {
	if !r.done {
		r.done = true
		r.File.Close()
		os.Remove(r.File.Name())
	}
}

// lineFile is a JSON lines output opened with O_APPEND. Each Write is one
// whole line and one write(2), taken under an exclusive advisory lock
// (flock on Linux and macOS, see lockFile), so that two batches appending
// to one file (shards on one machine) never interleave or tear their lines.
type lineFile struct {
	f        *os.File
	readable bool // opened read-write, so endTorn can look at the last byte
}

// Write appends p, one whole line, with one write under the lock.
func (l *lineFile) Write(p []byte) (int, error) {
	unlock, err := lockFile(l.f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", l.f.Name(), err)
	}
	defer unlock()
	return l.f.Write(p)
}

// Close closes the file.
func (l *lineFile) Close() error { return l.f.Close() }

// endTorn makes the file end with a whole line before the first line is
// appended. When the file is still size bytes long (nobody appended since
// it was read as --skip-done) and bytes from tornAt on are a torn last line,
// they are cut off, so the next line is not glued onto them and a later
// resume does not find them in the middle; otherwise a file whose last byte
// is not a newline gets one. tornAt < 0: nothing is torn. It reports
// whether it cut.
func (l *lineFile) endTorn(tornAt, size int64) (cut bool, err error) {
	unlock, err := lockFile(l.f)
	if err != nil {
		return false, fmt.Errorf("%s: %w", l.f.Name(), err)
	}
	defer unlock()
	st, err := l.f.Stat()
	if err != nil {
		return false, err
	}
	if !st.Mode().IsRegular() || !l.readable {
		return false, nil // /dev/stdout, a pipe: nothing to mend
	}
	if tornAt >= 0 && st.Size() == size && tornAt < size {
		if err := l.f.Truncate(tornAt); err != nil {
			return false, fmt.Errorf("%s: cutting its torn last line: %w", l.f.Name(), unwrapPath(err))
		}
		return true, nil
	}
	if st.Size() == 0 {
		return false, nil
	}
	last := make([]byte, 1)
	if _, err := l.f.ReadAt(last, st.Size()-1); err != nil {
		return false, err
	}
	if last[0] != '\n' {
		_, err = l.f.Write([]byte{'\n'})
	}
	return false, err
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

// writeTo writes what fn produces to path through openOutput (flag names
// the path in errors), closing it and reporting the first error of the
// two. When fn fails a replaced file is left as it was.
func (g *globals) writeTo(flag, path string, fn func(io.Writer) error) error {
	w, err := g.openOutput(flag, path, false)
	if err != nil {
		return err
	}
	if err = fn(w); err != nil {
		if r, ok := w.(*replaceFile); ok {
			r.Abort()
			return err
		}
	}
	if cerr := w.Close(); err == nil && cerr != nil {
		err = cerr
		if _, ok := w.(*replaceFile); !ok {
			err = fmt.Errorf("%s: %w", path, cerr) // a replaceFile's error names path already
		}
	}
	return err
}

// render writes v to every output of the command.
func (g *globals) render(v *report.View) error {
	for _, o := range g.outputs {
		ov := *v
		ov.Options.Width, ov.Options.Color = g.terminal(o.path)
		err := g.writeTo("--output", o.path, func(w io.Writer) error {
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
