package dex

import (
	"encoding/binary"
	"sync"
)

// parallelAdlerMin is the image size from which the checksum is computed in two halves at once.
const parallelAdlerMin = 4 << 20

// checksum returns the Adler-32 of b. A large DEX is the last work of a scan,
// when the other cores are usually idle, so its two halves are summed on two
// goroutines and combined.
func checksum(b []byte) uint32 {
	if len(b) < parallelAdlerMin {
		return adlerSum(1, b)
	}
	mid := len(b) / 2
	var first uint32
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		first = adlerSum(1, b[:mid])
	}()
	second := adlerSum(1, b[mid:])
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

const (
	adlerMod = 65521
	// adlerBlock is how many bytes are summed between two reductions modulo
	// 65521: s1 stays below 2^24 and s2 below 2^40, far from overflowing.
	adlerBlock = 32 << 10
)

// adlerSum continues the Adler-32 checksum adler over p (start with 1), as
// hash/adler32 does: with AVX2 (adlerChunks, amd64) 32 bytes a step in
// vector registers, else adlerSumSWAR.
func adlerSum(adler uint32, p []byte) uint32 {
	if !haveAdlerChunks || len(p) < 64 {
		return adlerSumSWAR(adler, p)
	}
	s1, s2 := uint64(adler&0xffff), uint64(adler>>16)
	for len(p) >= 32 {
		n := min(len(p), adlerBlock) &^ 31
		sum, prior, weighted := adlerChunks(p[:n])
		// Each 32-byte chunk adds 32 times the s1 before it to s2, plus
		// its bytes weighted 32, 31, ..., 1: the s1 before chunk c is the
		// block's starting s1 plus the sums of chunks 0..c-1 (prior).
		s2 = (s2 + uint64(n)*s1 + 32*prior + weighted) % adlerMod
		s1 = (s1 + sum) % adlerMod
		p = p[n:]
	}
	return adlerSumSWAR(uint32(s2<<16|s1), p)
}

// adlerSumSWAR continues the Adler-32 checksum adler over p (start with 1). It
// computes what hash/adler32 does, faster: the standard library adds byte by
// byte, each step waiting for the previous one, while this adds 32 bytes per
// step with SWAR arithmetic on four 64-bit words.
//
// For the eight bytes b0..b7 of a word (b0 first), s1 gains S = sum(bi) and
// s2 gains 8*s1 + 8*S - sum(i*bi). Masking the even and odd bytes gives four
// 16-bit lanes each; one multiplication by 0x0001000100010001 adds the lanes
// into the top 16 bits, and one by a weight constant adds the lanes times
// their byte positions there. Four words share the multiplications: the
// lanes of the words are added first (no lane can reach 2^16, so nothing
// carries), and the position of each word within the 32 bytes adds
// 8*(3S0 + 2S1 + S2) to s2.
func adlerSumSWAR(adler uint32, p []byte) uint32 {
	const (
		lanes = 0x00ff00ff00ff00ff
		fold  = 0x0001000100010001
		evenW = 0x0000000200040006 // 0*b0 + 2*b2 + 4*b4 + 6*b6 in the top lane
		oddW  = 0x0001000300050007 // 1*b1 + 3*b3 + 5*b5 + 7*b7 in the top lane
	)
	s1, s2 := uint64(adler&0xffff), uint64(adler>>16)
	for len(p) > 0 {
		n := min(len(p), adlerBlock)
		q := p[:n]
		p = p[n:]
		for len(q) >= 32 {
			w0 := binary.LittleEndian.Uint64(q)
			w1 := binary.LittleEndian.Uint64(q[8:])
			w2 := binary.LittleEndian.Uint64(q[16:])
			w3 := binary.LittleEndian.Uint64(q[24:])
			e0, o0 := w0&lanes, (w0>>8)&lanes
			e1, o1 := w1&lanes, (w1>>8)&lanes
			e2, o2 := w2&lanes, (w2>>8)&lanes
			e3, o3 := w3&lanes, (w3>>8)&lanes
			even, odd := e0+e1+e2+e3, o0+o1+o2+o3
			sum := ((even + odd) * fold) >> 48
			before := ((3*(e0+o0) + 2*(e1+o1) + e2 + o2) * fold) >> 48 // 3S0 + 2S1 + S2
			weighted := (even*evenW)>>48 + (odd*oddW)>>48
			s2 += 32*s1 + 8*before + 8*sum - weighted
			s1 += sum
			q = q[32:]
		}
		for len(q) >= 8 {
			w := binary.LittleEndian.Uint64(q)
			even, odd := w&lanes, (w>>8)&lanes
			sum := ((even + odd) * fold) >> 48
			weighted := (even*evenW)>>48 + (odd*oddW)>>48
			s2 += 8*s1 + 8*sum - weighted
			s1 += sum
			q = q[8:]
		}
		for _, c := range q {
			s1 += uint64(c)
			s2 += s1
		}
		s1 %= adlerMod
		s2 %= adlerMod
	}
	return uint32(s2<<16 | s1)
}
