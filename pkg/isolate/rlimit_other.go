//go:build !linux

package isolate

import (
	"syscall"
	"time"
)

// limitMemory sets no address-space limit outside Linux (macOS accepts
// RLIMIT_AS without enforcing it; Windows has none): there the child is
// bounded by its Go heap target and the wall-clock limit only. It returns n,
// the headroom the heap target is computed from.
func limitMemory(n int64) (int64, error) { return n, nil }

// childAttr sets nothing: the child's own timer ends it if the parent dies.
func childAttr() *syscall.SysProcAttr { return nil }

// limitCPU sets nothing outside Linux: there the wall-clock limit stops a
// child that loops.
func limitCPU(time.Duration) error { return nil }
