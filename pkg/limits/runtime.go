package limits

import (
	"math"
	"os"
	"runtime/debug"
)

// runtimeShare is the part of the process's memory ceiling the Go heap is
// held to: the rest is for what the runtime maps as the heap grows (a
// freed heap stays mapped, so address space follows the heap's peak),
// goroutine stacks and the artifact, which is memory-mapped.
const runtimeShare = 0.4

// FitRuntime tells the Go runtime the memory ceiling the process was
// started under, so that it collects garbage harder as the heap nears it
// instead of growing past it and dying ("fatal error: out of memory", which
// no recover sees). The ceiling is the address space left under its limit
// (RLIMIT_AS, as set by prlimit or ulimit -v, less what is already mapped
// when FitRuntime runs: call it first thing in main) or the cgroup's
// memory.max (a container), the lower of the two; the heap's soft limit
// becomes runtimeShare of it.
// A GOMEMLIMIT in the environment is the user's choice and is kept. It
// returns the soft limit it set, or 0 when there was no ceiling.
func FitRuntime() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	ceiling := memoryCeiling()
	if ceiling <= 0 || ceiling == math.MaxInt64 {
		return 0
	}
	soft := max(int64(float64(ceiling)*runtimeShare), 32<<20)
	if cur := debug.SetMemoryLimit(-1); soft < cur {
		debug.SetMemoryLimit(soft)
		return soft
	}
	return 0
}
