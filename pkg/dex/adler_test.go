package dex

import (
	"hash/adler32"
	"math/rand"
	"testing"

	"github.com/stretchr/testify/assert"
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
	b.Run("swar", func(b *testing.B) {
		for b.Loop() {
			adlerSum(1, data)
		}
	})
	b.Run("stdlib", func(b *testing.B) {
		for b.Loop() {
			adler32.Checksum(data)
		}
	})
}
