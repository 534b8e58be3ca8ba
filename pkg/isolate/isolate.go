// Package isolate runs a function that may die fatally, by a stack overflow,
// an out-of-memory or a hang, which Go's recover never sees, in a child
// process of the running executable, so that its death becomes an error of
// the parent instead of the end of it.
//
// The child is the same executable, started with a hidden first argument
// (childArg), the job's name and its limits. It caps its own address space
// (RLIMIT_AS) and stack, reads its input from standard input, writes its
// result to file descriptor 3, and has its standard output thrown away and
// its standard error kept (bounded) for the parent to classify a crash, so
// nothing a third-party library prints reaches the parent's output. The
// parent kills it at a wall-clock limit.
//
// A program opts in by calling Serve first thing in main (and a test binary
// in TestMain): in a child, Serve runs the job and exits. In a process that
// never called Serve, Run calls the job in-process, with recover only: a
// program embedding these packages without the hook keeps working, without
// containment; so does Windows, which cannot pass the result descriptor.
// It is a leaf package: it imports nothing of apkaudit.
package isolate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// childArg is the hidden first argument that makes Serve run a job.
const childArg = "__isolate-child"

// A Job is a named function that runs in a child: it turns its input into
// its output. The same Job value must be passed to Serve and to Run.
type Job struct {
	Name string
	Run  func(in []byte) ([]byte, error)
}

// Limits bound one child.
type Limits struct {
	// Memory is how much address space the child may map beyond what the Go
	// runtime reserved at its start (RLIMIT_AS on Linux), in bytes; an
	// inherited lower limit wins. The child also sets its Go heap target to
	// half of that and caps its goroutine stacks.
	Memory int64
	// CPU is the child's processor-time limit (RLIMIT_CPU on Linux, whole
	// seconds): a parser that loops is stopped by what it burns, so a loaded
	// machine does not cut short one that works.
	CPU time.Duration
	// Time is the wall-clock limit, the backstop; the child is killed when
	// it is reached.
	Time time.Duration
}

// ErrDied is matched by every *DiedError.
var ErrDied = errors.New("isolate: child died")

// A DiedError reports a child that ended without a result: Reason says how
// (a stack overflow, out of memory, the time limit, a crash).
type DiedError struct {
	Job    string
	Reason string
}

func (e *DiedError) Error() string { return e.Job + ": " + e.Reason }

// Is reports whether target is ErrDied.
func (e *DiedError) Is(target error) bool { return target == ErrDied }

// served records that Serve ran in this process, so that this executable
// answers childArg and Run may start children of it.
var served atomic.Bool

// Serve makes this executable able to run jobs as children. Call it first in
// main (and in TestMain of a test binary that reaches Run). When the process
// was started by Run for one of jobs, Serve runs it and exits; otherwise it
// returns at once.
func Serve(jobs ...Job) {
	served.Store(true)
	if len(os.Args) < 2 || os.Args[1] != childArg {
		return
	}
	os.Exit(serveChild(os.Args[2:], jobs))
}

// Child exit codes the parent tells apart from a crash.
const (
	exitDone   = 0
	exitFailed = 3 // the job returned an error (written to fd 3)
	exitUsage  = 4 // the child could not start the job
	exitCPU    = 5 // the child used up its processor time (SIGXCPU)
)

// Result frames written to fd 3: one status byte, then the output or the
// error message.
const (
	frameOK  = 'o'
	frameErr = 'e'
)

func serveChild(args []string, jobs []Job) int {
	out := os.NewFile(3, "result")
	if len(args) != 5 || out == nil {
		fmt.Fprintln(os.Stderr, "isolate: bad child arguments", args)
		return exitUsage
	}
	memory, err1 := strconv.ParseInt(args[1], 10, 64)
	stack, err2 := strconv.Atoi(args[2])
	limit, err3 := time.ParseDuration(args[3])
	cpu, err4 := time.ParseDuration(args[4])
	var job *Job
	for i := range jobs {
		if jobs[i].Name == args[0] {
			job = &jobs[i]
		}
	}
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || job == nil {
		fmt.Fprintln(os.Stderr, "isolate: unknown job or bad limits", args)
		return exitUsage
	}
	if limit > 0 {
		// The parent kills the child at the limit; should the parent itself
		// be gone, the child still ends soon after.
		time.AfterFunc(limit+time.Second, func() {
			fmt.Fprintln(os.Stderr, "isolate: time limit")
			os.Exit(exitUsage)
		})
	}
	if cpu > 0 {
		if err := limitCPU(cpu); err != nil {
			fmt.Fprintln(os.Stderr, "isolate: cannot limit processor time:", err)
			return exitUsage
		}
	}
	if memory > 0 {
		room, err := limitMemory(memory)
		if err != nil {
			fmt.Fprintln(os.Stderr, "isolate: cannot limit memory:", err)
			return exitUsage
		}
		// Collect hard well before the address space runs out: freed heap
		// stays mapped, so address space follows the heap's peak.
		debug.SetMemoryLimit(max(room/2, 16<<20))
	}
	debug.SetMaxStack(stack)
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "isolate: reading input:", err)
		return exitUsage
	}
	res, err := job.Run(in)
	frame, code := append([]byte{frameOK}, res...), exitDone
	if err != nil {
		frame, code = append([]byte{frameErr}, err.Error()...), exitFailed
	}
	if _, err := out.Write(frame); err != nil {
		fmt.Fprintln(os.Stderr, "isolate: writing result:", err)
		return exitUsage
	}
	return code
}

// childStack is the goroutine stack limit of a child: deep enough for any
// sane recursion, small enough that runaway recursion dies in milliseconds
// rather than by exhausting the address space.
const childStack = 64 << 20

// stderrKeep is how much of a child's standard error the parent keeps to
// explain its death.
const stderrKeep = 16 << 10

// Run runs job on in within lim and returns its output. A job that returns
// an error gives that error's message as an error; a child that dies or runs
// out of time gives a *DiedError. When this process never called Serve, or
// on Windows, the job runs in-process (see the package doc).
func Run(ctx context.Context, job Job, in []byte, lim Limits) ([]byte, error) {
	if !served.Load() || runtime.GOOS == "windows" {
		// Windows cannot pass the result pipe (exec.Cmd.ExtraFiles).
		return runHere(job, in)
	}
	exe, err := os.Executable()
	if err != nil {
		return runHere(job, in)
	}
	parent := ctx
	if lim.Time > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.Time)
		defer cancel()
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("isolate: %w", err)
	}
	defer r.Close()
	cmd := exec.CommandContext(ctx, exe, childArg, job.Name, strconv.FormatInt(lim.Memory, 10), strconv.Itoa(childStack),
		lim.Time.String(), lim.CPU.String())
	cmd.SysProcAttr = childAttr()
	// One glibc malloc arena instead of one of 64 MiB of address space per
	// thread, in a cgo build: the child's address space is what is limited.
	cmd.Env = append(os.Environ(), "MALLOC_ARENA_MAX=1")
	cmd.Stdin = bytes.NewReader(in)
	cmd.Stdout = nil // /dev/null: libraries that print never reach our stdout
	stderr := &tailBuffer{max: stderrKeep}
	cmd.Stderr = stderr
	cmd.ExtraFiles = []*os.File{w}
	cmd.WaitDelay = time.Second
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("isolate: starting %s: %w", job.Name, err)
	}
	w.Close()
	// The result is read while the child runs, so a large one cannot fill
	// the pipe and block it.
	result := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(r)
		result <- b
	}()
	waitErr := cmd.Wait()
	frame := <-result
	switch {
	case parent.Err() != nil:
		return nil, parent.Err()
	case ctx.Err() != nil:
		return nil, &DiedError{Job: job.Name, Reason: fmt.Sprintf("did not finish within the time limit of %v", lim.Time)}
	}
	code := -1
	if ps := cmd.ProcessState; ps != nil {
		code = ps.ExitCode()
		// Killed by a signal near the limit: the kernel counts exactly, rusage
		// in clock ticks, so allow it a tenth less.
		if lim.CPU > 0 && (code == exitCPU || code < 0 && ps.UserTime()+ps.SystemTime() >= lim.CPU.Truncate(time.Second)*9/10) {
			return nil, &DiedError{Job: job.Name, Reason: fmt.Sprintf("did not finish within the time limit of %v of processor time", lim.CPU)}
		}
	}
	switch {
	case code == exitDone && len(frame) > 0 && frame[0] == frameOK:
		return frame[1:], nil
	case code == exitFailed && len(frame) > 0 && frame[0] == frameErr:
		return nil, errors.New(string(frame[1:]))
	}
	return nil, &DiedError{Job: job.Name, Reason: deathReason(stderr.String(), waitErr, lim)}
}

// deathReason explains how a child that wrote no result ended, from the
// last lines the Go runtime printed.
func deathReason(stderr string, waitErr error, lim Limits) string {
	switch {
	case strings.Contains(stderr, "stack overflow"), strings.Contains(stderr, "stack exceeds"):
		return "ran out of stack (input nested too deeply)"
	case strings.Contains(stderr, "out of memory"), strings.Contains(stderr, "cannot allocate memory"),
		strings.Contains(stderr, "pthread_create failed"), strings.Contains(stderr, "failed to create new OS thread"):
		return fmt.Sprintf("ran out of memory (limit %d MiB)", lim.Memory>>20)
	}
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "panic: ") || strings.HasPrefix(line, "fatal error: ") || strings.HasPrefix(line, "isolate: ") {
			if r := []rune(strings.ToValidUTF8(strings.TrimSpace(line), "?")); len(r) > 160 {
				line = string(r[:160]) + "…"
			}
			return "crashed (" + strings.TrimSpace(line) + ")"
		}
	}
	if waitErr != nil {
		return "crashed (" + waitErr.Error() + ")"
	}
	return "ended without a result"
}

// runHere runs job in this process, turning a panic into an error.
func runHere(job Job, in []byte) (out []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, &DiedError{Job: job.Name, Reason: fmt.Sprintf("crashed (panic: %v)", p)}
		}
	}()
	return job.Run(in)
}

// tailBuffer keeps the first and the last max/2 bytes written to it.
type tailBuffer struct {
	max        int
	head, tail []byte
	dropped    bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := t.max/2 - len(t.head); room > 0 {
		k := min(room, len(p))
		t.head = append(t.head, p[:k]...)
		p = p[k:]
	}
	t.tail = append(t.tail, p...)
	if over := len(t.tail) - t.max/2; over > 0 {
		t.tail = append(t.tail[:0], t.tail[over:]...)
		t.dropped = true
	}
	return n, nil
}

func (t *tailBuffer) String() string {
	sep := ""
	if t.dropped {
		sep = "\n…\n"
	}
	return string(t.head) + sep + string(t.tail)
}
