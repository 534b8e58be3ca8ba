package isolate

import (
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// limitMemory lets this process map at most n more bytes of address space
// than it has mapped now (RLIMIT_AS), never raising an inherited lower limit,
// and returns the headroom it got. The Go runtime reserves several hundred
// MiB of address space at start-up, so a limit on the total would mostly
// measure the runtime; the child is limited on what it adds.
func limitMemory(n int64) (int64, error) {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	pages, err := strconv.ParseInt(string(bytes.Fields(statm)[0]), 10, 64)
	if err != nil {
		return 0, err
	}
	base := uint64(pages) * uint64(os.Getpagesize())
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &cur); err != nil {
		return 0, err
	}
	want := min(base+uint64(n), cur.Cur, cur.Max)
	if want <= base {
		return 0, nil
	}
	return int64(want - base), syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: want, Max: want})
}

// childAttr makes the kernel kill the child when the parent dies (a killed
// fuzz worker, a killed apkaudit), so no child outlives it.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// limitCPU lets this process use at most d of processor time (RLIMIT_CPU,
// rounded up to whole seconds, at least one). At the soft limit the kernel
// sends SIGXCPU, which the child turns into exitCPU; one second later the
// hard limit kills it outright. An inherited lower limit wins.
func limitCPU(d time.Duration) error {
	var cur syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_CPU, &cur); err != nil {
		return err
	}
	secs := uint64(max((d+time.Second-1)/time.Second, 1))
	soft := min(secs, cur.Cur, cur.Max)
	hard := min(soft+1, cur.Max)
	xcpu := make(chan os.Signal, 1)
	signal.Notify(xcpu, syscall.SIGXCPU)
	go func() {
		<-xcpu
		fmt.Fprintln(os.Stderr, "isolate: processor time limit")
		os.Exit(exitCPU)
	}()
	return syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: soft, Max: hard})
}
