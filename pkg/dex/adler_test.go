package dex

import (
	"bytes"
	"hash/adler32"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChecksumMatchesAdler32(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	big := make([]byte, parallelAdlerMin*2+12345)
	r.Read(big)
	ones := make([]byte, parallelAdlerMin+3)
	for i := range ones {
		ones[i] = 0xff // sums that wrap the modulus often
	}
	for _, b := range [][]byte{nil, []byte("dex\n035\x00"), big[:1000], big[:parallelAdlerMin], big, ones} {
		assert.Equal(t, adler32.Checksum(b), checksum(b), "len %d", len(b))
	}
	for _, cut := range []int{0, 1, 65520, 65521, 65522, len(big) / 3, len(big) - 1, len(big)} {
		a, b := big[:cut], big[cut:]
		assert.Equal(t, adler32.Checksum(big), adlerCombine(adler32.Checksum(a), adler32.Checksum(b), int64(len(b))), "cut %d", cut)
	}
}

// TestAdler32MatchesStdlib checks the SWAR Adler-32 against hash/adler32 on
// every length up to 300 (all tail shapes), on block boundaries, on bytes that
// maximise the sums, and when continuing a running checksum.
func TestAdler32MatchesStdlib(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	data := make([]byte, 3*adlerBlock+77)
	r.Read(data)
	ff := make([]byte, len(data))
	for i := range ff {
		ff[i] = 0xff
	}
	for n := 0; n <= 300; n++ {
		assert.Equal(t, adler32.Checksum(data[:n]), adlerSum(1, data[:n]), "len %d", n)
	}
	for _, n := range []int{adlerBlock - 1, adlerBlock, adlerBlock + 1, 2*adlerBlock + 7, len(data)} {
		assert.Equal(t, adler32.Checksum(data[:n]), adlerSum(1, data[:n]), "len %d", n)
		assert.Equal(t, adler32.Checksum(ff[:n]), adlerSum(1, ff[:n]), "0xff len %d", n)
	}
	for _, cut := range []int{1, 9, 4099, adlerBlock + 3} {
		assert.Equal(t, adler32.Checksum(data), adlerSum(adlerSum(1, data[:cut]), data[cut:]), "cut %d", cut)
	}
}

// TestAdler32Implementations checks each implementation of adlerSum (the
// SWAR one everywhere, the AVX2 one where the CPU has it) against
// hash/adler32 on random bytes of random lengths and offsets (unaligned
// starts), on bytes that maximise the sums, and continuing a running
// checksum.
func TestAdler32Implementations(t *testing.T) {
	impls := []struct {
		name string
		sum  func(uint32, []byte) uint32
	}{
		{"swar", adlerSumSWAR},
		{"adlerSum", adlerSum},
	}
	if !haveAdlerChunks {
		t.Log("no AVX2: adlerSum is the SWAR implementation")
	}
	r := rand.New(rand.NewSource(13))
	data := make([]byte, 5*adlerBlock+999)
	r.Read(data)
	ff := bytes.Repeat([]byte{0xff}, len(data))
	for _, impl := range impls {
		t.Run(impl.name, func(t *testing.T) {
			for range 400 {
				off := r.Intn(64)
				n := r.Intn(len(data) - off)
				if r.Intn(2) == 0 {
					n = r.Intn(300)
				}
				p := data[off : off+n]
				require.Equal(t, adler32.Checksum(p), impl.sum(1, p), "off %d len %d", off, n)
				cut := r.Intn(n + 1)
				require.Equal(t, adler32.Checksum(p), impl.sum(impl.sum(1, p[:cut]), p[cut:]), "off %d len %d cut %d", off, n, cut)
			}
			for _, n := range []int{31, 32, 63, 64, 65, adlerBlock - 32, adlerBlock, adlerBlock + 31, len(ff)} {
				require.Equal(t, adler32.Checksum(ff[:n]), impl.sum(1, ff[:n]), "0xff len %d", n)
				// A running checksum whose halves are just below the modulus.
				start := uint32(adlerMod-1)<<16 | (adlerMod - 1)
				want := adlerCombine(start, adler32.Checksum(ff[:n]), int64(n))
				require.Equal(t, want, impl.sum(start, ff[:n]), "0xff from max, len %d", n)
			}
		})
	}
}

func FuzzAdler32(f *testing.F) {
	f.Add([]byte("dex\n035\x00"), uint32(1))
	f.Add(make([]byte, 100), uint32(0xfff0fff0))
	f.Fuzz(func(t *testing.T, b []byte, start uint32) {
		// A valid running checksum has both halves below the modulus.
		start = (start>>16%adlerMod)<<16 | start&0xffff%adlerMod
		want := adler32.Checksum(b)
		if got := adlerSum(1, b); got != want {
			t.Fatalf("adlerSum(%d bytes) = %#x, want %#x", len(b), got, want)
		}
		// Continuing from start equals combining start's checksum with b's.
		if start != 0 {
			if got, want := adlerSum(start, b), adlerCombine(start, want, int64(len(b))); got != want {
				t.Fatalf("adler32 from %#x = %#x, want %#x", start, got, want)
			}
		}
	})
}

func BenchmarkAdler32(b *testing.B) {
	data := make([]byte, 10<<20)
	rand.New(rand.NewSource(1)).Read(data)
	b.SetBytes(int64(len(data)))
	b.Run("adlerSum", func(b *testing.B) {
		for b.Loop() {
			adlerSum(1, data)
		}
	})
	b.Run("swar", func(b *testing.B) {
		for b.Loop() {
			adlerSumSWAR(1, data)
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		for b.Loop() {
			adler32.Checksum(data)
		}
	})
}
