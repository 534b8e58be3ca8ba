package container

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"testing"

	kflate "github.com/klauspost/compress/flate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// bombStream returns a raw DEFLATE stream of n MiB of zeros, built by
// repeating one flushed block of 1 MiB, so that 4 GiB take a few MB.
func bombStream(t testing.TB, mib int) []byte {
	var chunk bytes.Buffer
	w, err := flate.NewWriter(&chunk, flate.BestCompression)
	require.NoError(t, err)
	_, err = w.Write(make([]byte, 1<<20))
	require.NoError(t, err)
	require.NoError(t, w.Flush()) // byte-aligned, stream not final
	out := bytes.Repeat(chunk.Bytes(), mib)
	return append(out, 0x01, 0x00, 0x00, 0xff, 0xff) // final empty stored block
}

// bombZip stores stream as classes.dex, declaring size uncompressed bytes.
func bombZip(t testing.TB, stream []byte, size uint64, crc uint32) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	fw, err := w.CreateRaw(&zip.FileHeader{
		Name: "classes.dex", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(stream)), UncompressedSize64: size,
	})
	require.NoError(t, err)
	_, err = fw.Write(stream)
	require.NoError(t, err)
	_, err = w.Create("AndroidManifest.xml")
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return buf.Bytes()
}

func TestZipBomb(t *testing.T) {
	const gib4 = 4096 // MiB
	stream := bombStream(t, gib4)
	t.Logf("4 GiB of zeros deflate to %d bytes", len(stream))
	require.Less(t, len(stream), 8<<20)

	// The bomb is real: the stream inflates to 4 GiB (checked in full
	// unless -short, otherwise its first 64 MiB).
	want := int64(gib4) << 20
	if testing.Short() {
		want = 64 << 20
	}
	n, err := io.Copy(io.Discard, io.LimitReader(kflate.NewReader(bytes.NewReader(stream)), want))
	require.NoError(t, err)
	require.Equal(t, want, n)

	lim := limits.Default()
	tests := []struct {
		name     string
		declared uint64
	}{
		{"honest 4 GiB", uint64(gib4) << 20},
		{"declares 1 MiB", 1 << 20},
		{"declares 16 MiB", 16 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := bombZip(t, stream, tt.declared, 0)
			a, err := OpenArchive(bytes.NewReader(z), int64(len(z)), lim)
			require.NoError(t, err)
			e := a.Lookup("classes.dex")
			require.NotNil(t, e)
			require.Equal(t, tt.declared, e.UncompressedSize) // zip64 sizes read

			var got []byte
			alloc := testenv.Allocated(func() { got, err = a.ReadAll(e, nil) })
			var le *limits.LimitError
			require.ErrorAs(t, err, &le)
			assert.LessOrEqual(t, uint64(len(got)), tt.declared)
			assert.Less(t, alloc, uint64(64<<20), "ReadAll allocated %d bytes", alloc)
			t.Logf("ReadAll: %v after %d bytes, %d bytes allocated", err, len(got), alloc)

			alloc = testenv.Allocated(func() {
				var rc io.ReadCloser
				rc, err = a.Open(e)
				if err == nil {
					_, err = io.Copy(io.Discard, rc)
					rc.Close()
				}
			})
			require.ErrorAs(t, err, &le)
			assert.Less(t, alloc, uint64(64<<20), "Open allocated %d bytes", alloc)
		})
	}
}

// An entry that inflates to exactly its declared size passes, bomb-shaped or not.
func TestZipBombHonestSmall(t *testing.T) {
	stream := bombStream(t, 2)
	z := bombZip(t, stream, 2<<20, crc32.ChecksumIEEE(make([]byte, 2<<20)))
	a, err := OpenArchive(bytes.NewReader(z), int64(len(z)), limits.Limits{Ratio: 10000})
	require.NoError(t, err)
	got, err := a.ReadAll(a.Lookup("classes.dex"), nil)
	require.NoError(t, err)
	assert.Len(t, got, 2<<20)
	assert.Empty(t, a.Warnings())
}
