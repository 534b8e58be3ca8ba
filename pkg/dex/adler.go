package dex

import (
	"hash/adler32"
	"sync"
)

// parallelAdlerMin is the image size from which the checksum is computed in two halves at once.
const parallelAdlerMin = 4 << 20

// checksum returns the Adler-32 of b. A large DEX is the last work of a scan,
// when the other cores are usually idle, so its two halves are summed on two
// goroutines and combined.
func checksum(b []byte) uint32 {
	if len(b) < parallelAdlerMin {
		return adler32.Checksum(b)
	}
	mid := len(b) / 2
	var first uint32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		first = adler32.Checksum(b[:mid])
	}()
	second := adler32.Checksum(b[mid:])
	wg.Wait()
	return adlerCombine(first, second, int64(len(b)-mid))
}

// adlerCombine returns the Adler-32 of A+B from the Adler-32s of A and B and
// the length of B (zlib's adler32_combine).
func adlerCombine(a1, a2 uint32, len2 int64) uint32 {
	const base = 65521
	rem := uint32(len2 % base)
	sum1 := a1 & 0xffff
	sum2 := (rem * sum1) % base
	sum1 += (a2 & 0xffff) + base - 1
	sum2 += (a1 >> 16) + (a2 >> 16) + base - rem
	if sum1 >= base {
		sum1 -= base
	}
	if sum1 >= base {
		sum1 -= base
	}
	if sum2 >= base<<1 {
		sum2 -= base << 1
	}
	if sum2 >= base {
		sum2 -= base
	}
	return sum1 | sum2<<16
}
