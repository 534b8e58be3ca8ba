//go:build !amd64 || purego

package dex

// haveAdlerChunks is false: adlerSum uses adlerSumSWAR alone.
const haveAdlerChunks = false

// adlerChunks is never called without AVX2 (see adler_amd64.go).
func adlerChunks([]byte) (sum, prior, weighted uint64) { panic("dex: adlerChunks without AVX2") }
