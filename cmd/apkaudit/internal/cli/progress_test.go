package cli

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestProgressOnlyOnTerminals: CI logs (pipes, files, buffers) never get a progress bar,
// nor does --quiet.
func TestProgressOnlyOnTerminals(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&globals{stderr: &buf}, 100)
	assert.Nil(t, p.bar, "a buffer is not a terminal")
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	assert.NoError(t, err)
	defer f.Close()
	assert.Nil(t, newProgress(&globals{stderr: f}, 100).bar, "a file is not a terminal")
	assert.Nil(t, newProgress(&globals{stderr: os.Stderr, quiet: true}, 100).bar, "--quiet")
	p.add()
	p.finish() // no-ops without a bar
	assert.Empty(t, buf.String())
}
