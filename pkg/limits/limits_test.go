package limits

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadAtMost(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		limit   int64
		wantErr bool
	}{
		{"under", "abc", 4, false},
		{"exact", "abcd", 4, false},
		{"over", "abcde", 4, true},
		{"empty", "", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ReadAtMost(strings.NewReader(tt.in), tt.limit, "entry x")
			if tt.wantErr {
				require.Error(t, err)
				assert.True(t, errors.Is(err, ErrLimit))
				assert.Contains(t, err.Error(), "entry x")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.in, string(b))
		})
	}
}

func TestReadAtMostBoundsAllocation(t *testing.T) {
	// A reader that would deliver 1 GiB must not be buffered whole.
	r := &zeroReader{n: 1 << 30}
	_, err := ReadAtMost(r, 1<<10, "bomb")
	require.Error(t, err)
	assert.Less(t, r.read, int64(1<<20))
}

type zeroReader struct{ n, read int64 }

func (z *zeroReader) Read(p []byte) (int, error) {
	if z.read >= z.n {
		return 0, nil
	}
	n := copy(p, bytes.Repeat([]byte{0}, len(p)))
	z.read += int64(n)
	return n, nil
}

func TestCheckTable(t *testing.T) {
	tests := []struct {
		name        string
		off         int64
		count, size uint64
		total       int64
		want        bool
	}{
		{"fits", 0x70, 10, 4, 0x70 + 40, true},
		{"one past", 0x70, 11, 4, 0x70 + 40, false},
		{"huge count", 0x70, 0x7fffffff, 4, 4096, false},
		{"overflow", 0, 1 << 62, 16, 4096, false},
		{"offset past end", 5000, 0, 4, 4096, false},
		{"negative offset", -1, 0, 4, 4096, false},
		{"empty at end", 4096, 0, 4, 4096, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, CheckTable(tt.off, tt.count, tt.size, tt.total))
		})
	}
}

func TestWithDefaults(t *testing.T) {
	l := Limits{Depth: 2}.WithDefaults()
	assert.Equal(t, 2, l.Depth)
	assert.Equal(t, Default().EntrySize, l.EntrySize)
}

// TestMemory: Acquire waits for running jobs and refuses at once what can
// never fit; Pin refuses what is not free now; concurrent jobs never hold
// more than the limit together.
func TestMemory(t *testing.T) {
	m := NewMemory(100)
	require.NoError(t, m.Pin(30, "nested"))
	for _, tc := range []struct {
		n    int64
		pin  bool
		want string
	}{
		{n: 71, want: "a: bytes held in memory at once by the scan (limit: InFlight): 101 exceeds the limit of 100"},
		{n: 71, pin: true, want: "a: bytes held in memory at once by the scan (limit: InFlight): 101 exceeds the limit of 100"},
		{n: 70},
	} {
		var err error
		if tc.pin {
			err = m.Pin(tc.n, "a")
		} else {
			err = m.Acquire(tc.n, "a")
		}
		if tc.want == "" {
			require.NoError(t, err)
			m.Release(tc.n)
			continue
		}
		var le *LimitError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, tc.want, err.Error())
	}

	// 8 jobs of 40 bytes over a free 70: at most one holds at a time.
	var mu sync.Mutex
	var now, peak int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			require.NoError(t, m.Acquire(40, "job"))
			mu.Lock()
			now += 40
			peak = max(peak, now)
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			now -= 40
			mu.Unlock()
			m.Release(40)
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(40), peak)
}
