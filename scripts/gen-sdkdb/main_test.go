package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBumpVersion: a change sets the catalogue version to the day's date,
// and a second change on one day counts on.
func TestBumpVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "version.yaml")
	require.NoError(t, os.WriteFile(path, []byte("# comment\nversion: \"2026.01.01\"\n"), 0o644))
	day := time.Date(2026, 3, 4, 23, 0, 0, 0, time.UTC)
	for _, want := range []string{"2026.03.04", "2026.03.04.2", "2026.03.04.3"} {
		require.NoError(t, bumpVersion(path, day))
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "# comment\nversion: \""+want+"\"\n", string(b))
	}
}
