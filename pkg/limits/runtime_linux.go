package limits

import (
	"math"
	"strconv"
	"strings"
	"syscall"
)

// memoryCeiling is the lower of RLIMIT_AS and the cgroup v2 memory.max of
// the process's cgroup, or math.MaxInt64 when neither is set.
func memoryCeiling() int64 {
	ceiling := int64(math.MaxInt64)
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err == nil && rl.Cur < uint64(math.MaxInt64) {
		ceiling = int64(rl.Cur)
	}
	if n := cgroupMemoryMax(); n > 0 && n < ceiling {
		ceiling = n
	}
	return ceiling
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
