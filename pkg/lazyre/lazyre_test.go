package lazyre

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNewCompilesOnceOnFirstUse(t *testing.T) {
	re := New(`^a+b$`)
	first := re()
	assert.Same(t, first, re(), "compiled again")
	assert.True(t, first.MatchString("aaab"))
	assert.False(t, first.MatchString("ba"))
}

func TestNewPanicsOnABadPatternWhenUsed(t *testing.T) {
	re := New(`(`) // no panic yet: nothing is compiled
	assert.Panics(t, func() { re() })
}
