package isolate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The jobs of the tests: each dies in one of the ways a parser can.
var (
	echo   = Job{Name: "echo", Run: func(in []byte) ([]byte, error) { return append([]byte("got "), in...), nil }}
	failed = Job{Name: "failed", Run: func(in []byte) ([]byte, error) { return nil, errors.New("job: bad input " + string(in)) }}
	prints = Job{Name: "prints", Run: func(in []byte) ([]byte, error) {
		fmt.Println("DEBUG: a library printing to stdout")
		println("and to stderr")
		return in, nil
	}}
	deep = Job{Name: "deep", Run: func(in []byte) ([]byte, error) { return nil, fmt.Errorf("%d", recurse(1)) }}
	oom  = Job{Name: "oom", Run: func(in []byte) ([]byte, error) {
		var keep [][]byte
		for {
			keep = append(keep, make([]byte, 16<<20))
			for i := range keep[len(keep)-1] {
				keep[len(keep)-1][i] = 1
			}
		}
	}}
	hang = Job{Name: "hang", Run: func(in []byte) ([]byte, error) {
		for {
			time.Sleep(time.Hour)
		}
	}}
	spin = Job{Name: "spin", Run: func(in []byte) ([]byte, error) {
		n := 0
		for {
			n++
		}
	}}
	panics = Job{Name: "panics", Run: func(in []byte) ([]byte, error) {
		go func() { panic("in a goroutine nobody recovers") }()
		time.Sleep(time.Hour)
		return nil, nil
	}}
	big = Job{Name: "big", Run: func(in []byte) ([]byte, error) { return make([]byte, 8<<20), nil }}
	// spawner starts a hanging grandchild, marked by its memory argument.
	spawner = Job{Name: "spawner", Run: func(in []byte) ([]byte, error) {
		return Run(context.Background(), hang, nil, Limits{Memory: orphanMarker, Time: time.Minute})
	}}
)

// orphanMarker is the memory limit that names the grandchild of TestNoOrphans.
const orphanMarker = 271828182

//go:noinline
func recurse(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	return recurse(n+1) + int(pad[0])
}

func TestMain(m *testing.M) {
	Serve(echo, failed, prints, deep, oom, hang, spin, panics, big, spawner)
	os.Exit(m.Run())
}

var testLimits = Limits{Memory: 256 << 20, Time: 5 * time.Second}

func TestRun(t *testing.T) {
	tests := []struct {
		job     Job
		lim     Limits
		want    string // output, when the job succeeds
		wantErr string // substring of the error, when it does not
		died    bool   // the error is a *DiedError
	}{
		{job: echo, lim: testLimits, want: "got input"},
		{job: prints, lim: testLimits, want: "input"},
		{job: big, lim: testLimits, want: strings.Repeat("\x00", 8<<20)},
		{job: failed, lim: testLimits, wantErr: "job: bad input input"},
		{job: deep, lim: testLimits, wantErr: "deep: ran out of stack", died: true},
		{job: oom, lim: testLimits, wantErr: "oom: ran out of memory (limit 256 MiB)", died: true},
		{job: hang, lim: Limits{Memory: 256 << 20, Time: 300 * time.Millisecond}, wantErr: "hang: did not finish within the time limit of 300ms", died: true},
		{job: spin, lim: Limits{Memory: 256 << 20, CPU: time.Second, Time: time.Minute}, wantErr: "spin: did not finish within the time limit of 1s of processor time", died: true},
		{job: panics, lim: testLimits, wantErr: "panics: crashed (panic: in a goroutine nobody recovers", died: true},
	}
	for _, tt := range tests {
		t.Run(tt.job.Name, func(t *testing.T) {
			if (tt.job.Name == "oom" || tt.job.Name == "spin") && runtime.GOOS != "linux" {
				t.Skip("RLIMIT_AS and RLIMIT_CPU are set on Linux only")
			}
			out, err := Run(context.Background(), tt.job, []byte("input"), tt.lim)
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, string(out))
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Equal(t, tt.died, errors.Is(err, ErrDied), "errors.Is(err, ErrDied) for %v", err)
		})
	}
}

// TestRunWithoutServe checks the in-process fallback of a program that never
// called Serve: the job runs here, and a panic is an error, not a crash.
func TestRunWithoutServe(t *testing.T) {
	served.Store(false)
	defer served.Store(true)
	out, err := Run(context.Background(), echo, []byte("x"), testLimits)
	require.NoError(t, err)
	assert.Equal(t, "got x", string(out))
	_, err = Run(context.Background(), Job{Name: "p", Run: func([]byte) ([]byte, error) { panic("boom") }}, nil, testLimits)
	require.ErrorIs(t, err, ErrDied)
	assert.Contains(t, err.Error(), "p: crashed (panic: boom)")
}

// TestRunCancelled checks that cancelling the context ends the child and
// says so, rather than blaming the job.
func TestRunCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := Run(ctx, hang, nil, testLimits)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrDied)
}

func TestTailBuffer(t *testing.T) {
	b := &tailBuffer{max: 8}
	fmt.Fprint(b, "0123456789abcdef")
	assert.Equal(t, "0123\n…\ncdef", b.String())
	small := &tailBuffer{max: 8}
	fmt.Fprint(small, "ab")
	assert.Equal(t, "ab", small.String())
}

// TestNoOrphans kills a child while its own child hangs: the grandchild
// must not outlive it (Pdeathsig on Linux; elsewhere its own timer).
func TestNoOrphans(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	_, err := Run(context.Background(), spawner, nil, Limits{Memory: 256 << 20, Time: 500 * time.Millisecond})
	require.ErrorIs(t, err, ErrDied)
	marker := []byte(strconv.Itoa(orphanMarker))
	deadline := time.Now().Add(3 * time.Second)
	for {
		alive := 0
		procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		for _, p := range procs {
			if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, marker) {
				alive++
			}
		}
		if alive == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d grandchildren outlived their parent", alive)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
