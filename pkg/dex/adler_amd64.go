//go:build !purego

package dex

import "golang.org/x/sys/cpu"

// haveAdlerChunks is whether adlerChunks (AVX2) can run.
var haveAdlerChunks = cpu.X86.HasAVX2

// adlerChunks sums the 32-byte chunks of p (len(p) a multiple of 32, at
// most adlerBlock): sum is the sum of its bytes, prior the sum over the
// chunks of the bytes of the chunks before each, and weighted the sum over
// the chunks of their bytes weighted 32, 31, ..., 1. Implemented in
// adler_amd64.s.
//
//go:noescape
func adlerChunks(p []byte) (sum, prior, weighted uint64)
