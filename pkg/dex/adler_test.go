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
