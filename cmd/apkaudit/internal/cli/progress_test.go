package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestProgressOnlyOnTerminals: CI logs (pipes, files, buffers) never get a progress line,
// nor does --quiet.
func TestProgressOnlyOnTerminals(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&globals{stderr: &buf}, 100)
	assert.Nil(t, p.w, "a buffer is not a terminal")
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	assert.NoError(t, err)
	defer f.Close()
	assert.Nil(t, newProgress(&globals{stderr: f}, 100).w, "a file is not a terminal")
	assert.Nil(t, newProgress(&globals{stderr: os.Stderr, quiet: true}, 100).w, "--quiet")
	p.add()
	p.finish() // no-ops without a terminal
	assert.Empty(t, buf.String())
}

// TestProgressLine: the line shows done/total, percent and rate, is redrawn at
// most every 100 ms (always for the last artifact) and is cleared at the end.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := newProgressLine(&buf, 4, func() time.Time { return clock })
	clock = clock.Add(time.Second)
	p.add() // first: drawn
	assert.Equal(t, "\r\x1b[Kapkaudit  1/4  25%  1.0/s", buf.String())
	clock = clock.Add(10 * time.Millisecond)
	p.add() // too soon: not drawn
	assert.NotContains(t, buf.String(), "2/4")
	clock = clock.Add(200 * time.Millisecond)
	p.add()
	assert.Contains(t, buf.String(), "3/4  75%")
	p.add() // the last one is always drawn
	assert.True(t, strings.HasSuffix(buf.String(), "apkaudit  4/4  100%  3.3/s"), buf.String())
	p.finish()
	assert.True(t, strings.HasSuffix(buf.String(), "\r\x1b[K"))
}
