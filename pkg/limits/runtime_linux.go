package limits

import (
	"math"
	"strconv"
	"strings"
	"syscall"
)

// memoryCeiling is the lower of the address space left under RLIMIT_AS
// and the cgroup v2 memory.max of the process's cgroup, or math.MaxInt64
// when neither is set. What is left under RLIMIT_AS is the limit less what
// the process has mapped already (VmSize): at start the Go runtime reserves
// some 700 MB of address space under a 1 GiB limit (its heap metadata, on
// linux/amd64), never touched but counted, so a share of the limit itself
// would let the heap grow past the ceiling.
func memoryCeiling() int64 {
	ceiling := int64(math.MaxInt64)
	if left := AddressSpaceLeft(); left < ceiling {
		ceiling = left
	}
	if n := cgroupMemoryMax(); n > 0 && n < ceiling {
		ceiling = n
	}
	return ceiling
}

// AddressSpaceLeft is what RLIMIT_AS leaves the process to map now (the
// limit less VmSize), or math.MaxInt64 when there is no such limit.
func AddressSpaceLeft() int64 {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err != nil || rl.Cur >= uint64(math.MaxInt64) {
		return math.MaxInt64
	}
	return max(int64(rl.Cur)-mappedBytes(), 0)
}

// cgroupMemoryMax reads memory.max of the cgroup v2 the process is in
// ("0::/PATH" in /proc/self/cgroup), or 0 when there is none or it is "max".
func cgroupMemoryMax() int64 {
	b, err := ReadFileAtMost("/proc/self/cgroup", 64<<10, "cgroup list")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		path, ok := strings.CutPrefix(line, "0::")
		if !ok {
			continue
		}
		m, err := ReadFileAtMost("/sys/fs/cgroup"+strings.TrimSpace(path)+"/memory.max", 64, "cgroup memory.max")
		if err != nil {
			return 0
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(m)), 10, 64)
		if err != nil {
			return 0 // "max"
		}
		return n
	}
	return 0
}

// mappedBytes is the address space the process has mapped (VmSize in
// /proc/self/status), 0 when it cannot be read.
func mappedBytes() int64 {
	b, err := ReadFileAtMost("/proc/self/status", 64<<10, "process status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}
