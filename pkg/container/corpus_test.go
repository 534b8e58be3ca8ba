package container

import (
	"archive/zip"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// corpusArchives lists every APK, AAB, JAR and bundle in the shared corpus
// and, when present, in testdata/external.
func corpusArchives(t *testing.T) []string {
	var out []string
	roots := []string{filepath.Join(corpusDir(t), "apk")}
	if d := testenv.LookupExternal(t); d != "" {
		roots = append(roots, d)
	}
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".apk", ".aab", ".jar", ".apks", ".xapk", ".apkm", ".aar":
				out = append(out, p)
			}
			return nil
		})
		require.NoError(t, err)
	}
	return out
}

// TestCorpusAgreesWithArchiveZip opens every real archive and compares the
// entry list and sizes with Go's archive/zip (the oracle) wherever archive/zip
// reads the file too, and the CRC-32 of the contents for a sample.
func TestCorpusAgreesWithArchiveZip(t *testing.T) {
	files := corpusArchives(t)
	require.NotEmpty(t, files)
	compared, crcChecked := 0, 0
	for _, p := range files {
		rel, _ := filepath.Rel(testenv.RepoRoot(t), p)
		t.Run(rel, func(t *testing.T) {
			a := openFile(t, p)
			zr, err := zip.OpenReader(p)
			if err != nil {
				t.Logf("archive/zip cannot read it (%v); ours: %d entries, warnings %q", err, len(a.Entries()), a.Warnings())
				return
			}
			defer zr.Close()
			compared++
			require.Len(t, a.Entries(), len(zr.File))
			for i, zf := range zr.File {
				e := a.Entries()[i]
				assert.Equal(t, zf.Name, e.Name)
				assert.Equal(t, zf.UncompressedSize64, e.UncompressedSize, zf.Name)
				assert.Equal(t, zf.CompressedSize64, e.CompressedSize, zf.Name)
				assert.Equal(t, zf.Method, e.Method, zf.Name)
			}
			// Sample: every entry of small archives, the DEX and manifest plus
			// the first 30 entries of large ones.
			small := a.Size() < 4<<20
			var buf []byte
			for i, zf := range zr.File {
				e := a.Entries()[i]
				if !small && i >= 30 && !strings.HasSuffix(e.Name, ".dex") && e.Name != "AndroidManifest.xml" {
					continue
				}
				if e.UncompressedSize > 64<<20 {
					continue
				}
				want, zerr := zipCRC(zf)
				buf, err = a.ReadAll(e, buf)
				if zerr != nil {
					continue // archive/zip cannot read it; nothing to compare
				}
				require.NoError(t, err, e.Name)
				assert.Equal(t, want, crc32.ChecksumIEEE(buf), e.Name)
				crcChecked++
			}
		})
	}
	t.Logf("%d archives, %d compared with archive/zip, %d entry contents CRC-checked", len(files), compared, crcChecked)
}

// zipCRC returns the CRC-32 of the bytes archive/zip reads for zf.
func zipCRC(zf *zip.File) (uint32, error) {
	rc, err := zf.Open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, rc); err != nil {
		return 0, err
	}
	return h.Sum32(), nil
}

// TestCorpusMemMatchesReaderAt opens every real archive twice, from an
// *os.File and from a Mem over the same bytes (the memory-mapped path reads
// headers in place and inflates without buffers), and requires the same
// entries, warnings and contents from both.
func TestCorpusMemMatchesReaderAt(t *testing.T) {
	files := corpusArchives(t)
	require.NotEmpty(t, files)
	for _, p := range files {
		rel, _ := filepath.Rel(testenv.RepoRoot(t), p)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			f, err := os.Open(p)
			require.NoError(t, err)
			defer f.Close()
			viaFile, errFile := OpenArchive(f, int64(len(data)), limits.Limits{})
			viaMem, errMem := OpenArchive(Mem(data), int64(len(data)), limits.Limits{})
			require.Equal(t, errFile == nil, errMem == nil, "file: %v, mem: %v", errFile, errMem)
			if errFile != nil {
				return
			}
			require.NotNil(t, viaMem.mem, "the archive did not take the in-memory path")
			if d := sameArchive(viaFile, viaMem, len(data) < 4<<20); d != "" {
				t.Fatal(d)
			}
		})
	}
}
