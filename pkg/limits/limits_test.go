package limits

import (
	"bytes"
	"errors"
	"strings"
	"testing"

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
