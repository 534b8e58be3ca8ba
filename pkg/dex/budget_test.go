package dex

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// TestParseMaxContainer: the DEX files of a 041 container are bounded while
// the headers are walked; past the bound the first ones are kept and the
// error is a *limits.LimitError naming the limit.
func TestParseMaxContainer(t *testing.T) {
	d := fixture(t, "classes039.dex")
	five := make([][]byte, 5)
	for i := range five {
		five[i] = d
	}
	img := buildContainer(t, five...)
	for _, tc := range []struct {
		max, wantHeaders int
		wantLimit        bool
	}{
		{max: 0, wantHeaders: 5}, // the default, 256
		{max: 5, wantHeaders: 5},
		{max: 4, wantHeaders: 4, wantLimit: true},
		{max: 1, wantHeaders: 1, wantLimit: true},
	} {
		f, err := ParseMax(img, tc.max)
		require.NotNil(t, f, "max %d", tc.max)
		assert.Len(t, f.Headers, tc.wantHeaders, "max %d", tc.max)
		if !tc.wantLimit {
			assert.NoError(t, err)
			continue
		}
		var le *limits.LimitError
		require.True(t, errors.As(err, &le), "max %d: %v", tc.max, err)
		assert.Equal(t, int64(tc.max), le.Limit)
		assert.Contains(t, err.Error(), "DEX files in the 041 container")
		// What was read is usable.
		names, err := f.ClassDescriptors()
		require.NoError(t, err)
		assert.Len(t, names, tc.wantHeaders*len(descriptorsOf(t, d)))
	}
}
