//go:build linux

package malformed_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBatchInterrupted: SIGINT ends a batch with one stderr line saying it
// was interrupted and exit 130 (SIGTERM: 143, 128 + the signal as Unix tools
// do), and every line written so far is whole; --skip-done then scans the
// rest, so that the two runs together give one line per artifact.
func TestBatchInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped under -short")
	}
	needSetup(t)
	roots := corpusRoots(t)
	if len(roots) == 0 {
		t.Skip("no corpus to batch over")
	}
	for _, c := range []struct {
		sig  syscall.Signal
		name string
		exit int
	}{{syscall.SIGINT, "SIGINT", 130}, {syscall.SIGTERM, "SIGTERM", 143}} {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "results.jsonl")
			cmd := exec.Command(bin, append([]string{"batch", "--jobs", "2", "--quiet", "--output", out}, roots...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			deadline := time.Now().Add(time.Minute)
			for {
				if b, _ := os.ReadFile(out); bytes.Count(b, []byte("\n")) >= 20 || time.Now().After(deadline) {
					break
				}
				time.Sleep(10 * time.Millisecond)
			}
			require.NoError(t, cmd.Process.Signal(c.sig))
			err := cmd.Wait()
			var ee *exec.ExitError
			require.ErrorAs(t, err, &ee, "the batch did not end in time to be interrupted")
			assert.Equal(t, c.exit, ee.ExitCode())
			line, ok := oneLine(stderr.Bytes())
			assert.True(t, ok, "one stderr line: %q", stderr.String())
			assert.Contains(t, line, "interrupted by "+c.name)
			for _, m := range panicMarkers {
				assert.NotContains(t, stderr.String(), m)
			}
			first, _ := wholeLines(t, out)
			require.NotEmpty(t, first)

			r := run(t, 5*time.Minute, append([]string{"batch", "--jobs", "2", "--quiet", "--output", out, "--skip-done", out}, roots...)...)
			all, worst := wholeLines(t, out)
			seen := map[string]bool{}
			for _, p := range all {
				assert.False(t, seen[p], "two lines for %s", p)
				seen[p] = true
			}
			assert.Greater(t, len(all), len(first), "the resumed batch scanned the rest")
			_, rest := wholeLines(t, out, len(first))
			assert.Equal(t, rest, r.exit, "the resumed batch's exit is the worst of its own lines: %v", r)
			t.Logf("interrupted after %d lines; resumed to %d (worst exit of all lines %d)", len(first), len(all), worst)
		})
	}
}

// wholeLines requires every line of the JSONL file at path to be a whole
// JSON object, and returns the artifact path of each and the exit code the
// lines after the first skip call for: 2 for an error line, else 1 for an
// unwaived high finding, else 0.
func wholeLines(t *testing.T, path string, skip ...int) ([]string, int) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, len(data) == 0 || data[len(data)-1] == '\n', "the file ends with a whole line")
	var paths []string
	exit := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for n := 0; sc.Scan(); n++ {
		var line batchLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &line), "a torn line: %.200s", sc.Text())
		paths = append(paths, line.path())
		if len(skip) > 0 && n < skip[0] {
			continue
		}
		if line.Error != "" {
			exit = 2
		}
		for _, f := range line.Findings {
			if f.Severity == "high" && !f.Waived && exit == 0 {
				exit = 1
			}
		}
	}
	require.NoError(t, sc.Err())
	return paths, exit
}
