package dex

import (
	"archive/zip"
	"bufio"
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dexdumpResult is what `dexdump -f` says about one DEX file.
type dexdumpResult struct {
	classDefs   int      // sum of class_defs_size over the headers it printed
	descriptors []string // every "Class descriptor" line, raw MUTF-8
}

// runDexdump runs `dexdump -f name` and parses its output. ok is false when
// dexdump itself rejects the file.
func runDexdump(t *testing.T, dexdump, name string) (res dexdumpResult, ok bool) {
	t.Helper()
	cmd := exec.Command(dexdump, "-f", name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "class_defs_size"):
			_, v, _ := strings.Cut(line, ":")
			n, err := strconv.Atoi(strings.TrimSpace(v))
			require.NoError(t, err, "dexdump line %q", line)
			res.classDefs += n
		case strings.HasPrefix(line, "  Class descriptor  : '"):
			d := strings.TrimPrefix(line, "  Class descriptor  : '")
			res.descriptors = append(res.descriptors, strings.TrimSuffix(d, "'"))
		}
	}
	require.NoError(t, sc.Err())
	if err := cmd.Wait(); err != nil {
		t.Logf("dexdump rejects %s (%v): %s", name, err, firstLine(stderr.String()))
		return res, false
	}
	return res, true
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// oracleStats counts what TestDexdumpOracle compared.
type oracleStats struct {
	dexFiles, dexClasses          int // standalone .dex files agreed, with their classes
	zips, zipDex, zipDexClasses   int // zips scanned, classes*.dex entries agreed, their classes
	dexdumpFailed, notZip, tooBig int
}

// compareWithDexdump parses data with this package and checks the class
// count and the class descriptors against dexdump's view of the file name
// (which holds the same bytes). It returns the number of classes, or -1 if
// dexdump rejected the file.
func compareWithDexdump(t *testing.T, dexdump, name string, data []byte) int {
	t.Helper()
	want, ok := runDexdump(t, dexdump, name)
	if !ok {
		return -1
	}
	f, err := Parse(data)
	require.NoError(t, err, "%s: dexdump reads it, so must we", name)
	assert.Equal(t, want.classDefs, f.NumClasses(), "%s: class count", name)

	got, err := f.ClassDescriptors()
	require.NoError(t, err, name)
	// dexdump prints the raw MUTF-8 bytes; we return UTF-8. Compare in MUTF-8.
	raw := make([]string, len(got))
	for i, d := range got {
		raw[i] = string(EncodeMUTF8(nil, d))
	}
	slices.Sort(raw)
	slices.Sort(want.descriptors)
	assert.Equal(t, want.descriptors, raw, "%s: class descriptors", name)
	assert.Len(t, want.descriptors, want.classDefs, "%s: dexdump printed every class", name)
	return len(got)
}

// TestDexdumpOracle checks the class count and the class descriptors of
// every real DEX file we have against dexdump (an independent reader from
// Android's ART): the standalone .dex files under testdata/external and in
// this package's testdata, and every classes*.dex inside every zip (APK,
// AAB, JAR) under ../shared/corpus/apk and testdata/external.
func TestDexdumpOracle(t *testing.T) {
	dexdump, err := exec.LookPath("dexdump")
	if err != nil {
		t.Skip("dexdump is not installed (apt-get install dexdump): the oracle test needs it")
	}
	var st oracleStats
	defer func() {
		t.Logf("standalone DEX files agreeing with dexdump: %d (%d classes)", st.dexFiles, st.dexClasses)
		t.Logf("zips scanned: %d; classes*.dex entries agreeing with dexdump: %d (%d classes)", st.zips, st.zipDex, st.zipDexClasses)
		t.Logf("skipped: %d rejected by dexdump, %d files not zips, %d entries over 256 MiB", st.dexdumpFailed, st.notZip, st.tooBig)
	}()

	// Standalone DEX files.
	var dexFiles []string
	ext := walkRoot(t, externalCorpus(t))
	for _, dir := range []string{ext, "testdata"} {
		if dir == "" {
			continue
		}
		require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".dex") {
				dexFiles = append(dexFiles, p)
			}
			return err
		}))
	}
	tmp := filepath.Join(t.TempDir(), "entry.dex")
	for _, p := range dexFiles {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		name := p
		if bytes.HasPrefix(data, []byte("dex\n036\x00")) {
			// ART's dexdump refuses 036, a version no Android release used,
			// whose layout is 035's. The magic is outside the checksum and
			// the signature, so dexdump reads a copy relabelled 035.
			relabelled := slices.Clone(data)
			copy(relabelled[4:7], "035")
			require.NoError(t, os.WriteFile(tmp, relabelled, 0o600))
			name = tmp
		}
		switch n := compareWithDexdump(t, dexdump, name, data); {
		case n < 0:
			st.dexdumpFailed++
		default:
			st.dexFiles++
			st.dexClasses += n
		}
	}
	if ext == "" {
		t.Log("testdata/external is absent (make corpus): only this package's fixtures were compared")
	} else {
		assert.GreaterOrEqual(t, len(dexFiles), 31+5, "the 31 external DEX files and our 5 fixtures")
	}

	// classes*.dex inside zips.
	var roots []string
	if c := sharedCorpus(t); c != "" {
		roots = append(roots, filepath.Join(c, "apk"))
	} else {
		t.Log("../shared/corpus is absent: its APKs were not compared")
	}
	if ext != "" && !testing.Short() {
		roots = append(roots, ext)
	}
	for _, root := range roots {
		require.NoError(t, filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			zr, err := zip.OpenReader(p)
			if err != nil {
				st.notZip++
				return nil
			}
			defer zr.Close()
			st.zips++
			for _, e := range zr.File {
				base := path.Base(e.Name)
				if !strings.HasPrefix(base, "classes") || !strings.HasSuffix(base, ".dex") {
					continue
				}
				if e.UncompressedSize64 > 256<<20 {
					st.tooBig++
					continue
				}
				data := readEntry(t, e)
				require.NoError(t, os.WriteFile(tmp, data, 0o600))
				name := p + "!/" + e.Name
				t.Run(strings.TrimPrefix(name, root), func(t *testing.T) {
					switch n := compareWithDexdump(t, dexdump, tmp, data); {
					case n < 0:
						st.dexdumpFailed++
					default:
						st.zipDex++
						st.zipDexClasses += n
					}
				})
			}
			return nil
		}))
	}
}

func readEntry(t *testing.T, e *zip.File) []byte {
	t.Helper()
	rc, err := e.Open()
	require.NoError(t, err, e.Name)
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, 256<<20))
	require.NoError(t, err, e.Name)
	return data
}
