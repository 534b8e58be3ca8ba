package container

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// corpusDir returns shared/corpus beside the repository, or skips.
func corpusDir(t testing.TB) string { return testenv.Shared(t, "corpus") }

// externalDir returns testdata/external, or skips.
func externalDir(t testing.TB) string { return testenv.External(t) }

// fdroid returns the path of a file in the fdroidserver corpus folder.
func fdroid(t testing.TB, name string) string {
	return filepath.Join(corpusDir(t), "apk", "fdroidserver", name)
}

// openFile opens path as an archive with default limits.
func openFile(t testing.TB, path string) *Archive {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	a, err := OpenArchive(f, st.Size(), limits.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return a
}

// sameArchive compares two opens of the same bytes: entries, data offsets,
// warnings and, when contents is set, every entry's bytes (and the archives
// nested in them). x reads each entry into an empty buffer (ReadAll's
// streaming path); y into one of its declared size, which a mapped y
// decodes with pkg/inflate: pass the mapped archive as y. It returns ""
// when they agree, else the first difference.
func sameArchive(x, y *Archive, contents bool) string {
	if len(x.Entries()) != len(y.Entries()) {
		return fmt.Sprintf("%d entries vs %d", len(x.Entries()), len(y.Entries()))
	}
	var bx, by []byte
	for i, ex := range x.Entries() {
		ey := y.Entries()[i]
		if ex.Name != ey.Name || ex.Offset != ey.Offset || ex.DataOffset() != ey.DataOffset() ||
			ex.CompressedSize != ey.CompressedSize || ex.UncompressedSize != ey.UncompressedSize {
			return fmt.Sprintf("entry %d: %+v vs %+v", i, *ex, *ey)
		}
		if !contents {
			continue
		}
		var errx, erry error
		// x grows its buffer (ReadAll's reader path); y is handed one that
		// holds the declared size, so a mapped y decodes with pkg/inflate.
		if n := int(ey.UncompressedSize); cap(by) < n && n <= 8<<20 {
			by = make([]byte, 0, n)
		}
		bx, errx = x.ReadAll(ex, bx[:0:0])
		by, erry = y.ReadAll(ey, by)
		if (errx == nil) != (erry == nil) || !bytes.Equal(bx, by) {
			return fmt.Sprintf("entry %q: contents differ (errors %v, %v)", ex.Name, errx, erry)
		}
		// Open's reader decides as ReadAll does.
		if rc, err := x.Open(ex); err == nil {
			bo, erro := io.ReadAll(rc)
			rc.Close()
			if (erro == nil) != (errx == nil) || !bytes.Equal(bo, bx) {
				return fmt.Sprintf("entry %q: Open and ReadAll differ (errors %v, %v)", ex.Name, erro, errx)
			}
		}
		nx, errx := x.Nested(ex)
		ny, erry := y.Nested(ey)
		if (errx == nil) != (erry == nil) {
			return fmt.Sprintf("entry %q: nested open differs (errors %v, %v)", ex.Name, errx, erry)
		}
		if errx == nil {
			if d := sameArchive(nx, ny, true); d != "" {
				return ex.Name + "!/" + d
			}
		}
	}
	// The same warnings; their order follows the order of the calls (the layout
	// check runs on the first Warnings), which the two sides need not share.
	wx, wy := x.Warnings(), y.Warnings()
	slices.Sort(wx)
	slices.Sort(wy)
	if !slices.Equal(wx, wy) {
		return fmt.Sprintf("warnings differ:\n%q\n%q", wx, wy)
	}
	return ""
}
