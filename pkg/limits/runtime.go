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

// FitAddressSpace returns l, its defaults filled in, with InFlight lowered
// when an address-space limit (prlimit --as, ulimit -v) leaves less room
// than the scans running at once would hold: together they get half of what
// is left, each at least 16 MiB. Without such a limit l is unchanged. Under
// a 1 GiB limit the Go runtime has mapped some 750 MB before main, so two
// scans at 128 MiB each, inflating nested APKs of 95 MB, would die with
// "fatal error: out of memory"; with the lowered budget the entries that
// cannot fit are unanalysed and say so (limit: InFlight).
func (l Limits) FitAddressSpace(scans int) Limits {
	l = l.WithDefaults()
	left := AddressSpaceLeft()
	if left == math.MaxInt64 {
		return l
	}
	if share := max(left/2/int64(max(scans, 1)), 16<<20); share < l.InFlight {
		l.InFlight = share
	}
	return l
}
