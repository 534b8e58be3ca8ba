package limits

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// Caps on the files apkaudit reads whole besides artifacts and policies,
// which have Limits of their own.
const (
	// ConfigSize is the largest config file (.apkaudit.yaml, --config).
	ConfigSize = 1 << 20
	// BaselineSize is the largest --baseline file.
	BaselineSize = 64 << 20
	// SkipDoneSize is the largest --skip-done JSONL file.
	SkipDoneSize = 256 << 20
	// CatalogueSize is the largest --sdkdb catalogue file: thirteen times
	// the embedded catalogue (310 KB for 334 entries), and small enough that
	// decoding the worst YAML of that size stays far inside 1 GiB.
	CatalogueSize = 4 << 20
)

// Caps on a catalogue's content, counted before its entries are decoded, so
// that a file under CatalogueSize cannot make matching slow: the embedded
// catalogue has 334 entries, at most 22 aliases in one and 1,815 in all.
const (
	// CatalogueEntries is the most entries one catalogue load may hold.
	CatalogueEntries = 5000
	// CatalogueEntryAliases is the most aliases and vendor aliases of one entry.
	CatalogueEntryAliases = 256
	// CatalogueAliases is the most aliases and vendor aliases of all entries of one load.
	CatalogueAliases = 25000
	// CatalogueEntryItems is the most scalars (names, list items, signal values)
	// one entry may hold.
	CatalogueEntryItems = 4000
)

// ErrNotRegular is matched by every *NotRegularError.
var ErrNotRegular = errors.New("not a regular file")

// NotRegularError is a path that names something other than a regular file:
// a directory, FIFO, socket or device, which apkaudit never reads as a file.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	if e.Mode.IsDir() {
		return e.Path + ": is a directory"
	}
	return fmt.Sprintf("%s: not a regular file (%s)", e.Path, TypeName(e.Mode))
}

// Is reports whether target is ErrNotRegular, or syscall.EISDIR for a directory.
func (e *NotRegularError) Is(target error) bool {
	return target == ErrNotRegular || target == syscall.EISDIR && e.Mode.IsDir()
}

// TypeName names the file type of mode in words: "FIFO", "socket",
// "character device", "block device", "directory", "symlink", "regular file".
func TypeName(mode fs.FileMode) string {
	switch t := mode.Type(); {
	case t == 0:
		return "regular file"
	case t&fs.ModeDir != 0:
		return "directory"
	case t&fs.ModeSymlink != 0:
		return "symlink"
	case t&fs.ModeNamedPipe != 0:
		return "FIFO"
	case t&fs.ModeSocket != 0:
		return "socket"
	case t&fs.ModeCharDevice != 0:
		return "character device"
	case t&fs.ModeDevice != 0:
		return "block device"
	default:
		return "irregular file"
	}
}

// OpenRegular opens path for reading only if it is a regular file. It opens
// without blocking (O_NONBLOCK: a FIFO with no writer would block open(2)
// forever, past any signal), checks with fstat what it opened, and refuses
// anything else with a *NotRegularError; the file it returns reads in
// blocking mode. It is how apkaudit opens every input it reads.
func OpenRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, openFlags, 0)
	if err != nil {
		// open(2) of a socket fails (ENXIO): say what it is.
		if st, serr := os.Stat(path); serr == nil && !st.Mode().IsRegular() {
			return nil, &NotRegularError{Path: path, Mode: st.Mode()}
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &NotRegularError{Path: path, Mode: st.Mode()}
	}
	if err := setBlocking(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// ReadFileAtMost reads the regular file at path (OpenRegular) whole unless
// it holds more than limit bytes: then it returns a *LimitError whose What
// names the file and what ("PATH: config file size"), before reading
// anything when the file's size already says so.
func ReadFileAtMost(path string, limit int64, what string) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	what = path + ": " + what
	if st, err := f.Stat(); err == nil && st.Size() > limit {
		return nil, &LimitError{What: what, Limit: limit, Value: st.Size()}
	}
	return ReadAtMost(f, limit, what)
}
