//go:build linux

package cli

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of cols columns: the terminal side, and
// the other side to read what was written to it.
func openPTY(t *testing.T, cols uint16) (tty, ptm *os.File) {
	t.Helper()
	ptm, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("skipping: no pseudo-terminals here (%v)", err)
	}
	fd := int(ptm.Fd())
	require.NoError(t, unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0))
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	require.NoError(t, err)
	tty, err = os.OpenFile("/dev/pts/"+itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err)
	require.NoError(t, unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Col: cols, Row: 50}))
	t.Cleanup(func() { ptm.Close() })
	return tty, ptm
}

// runOnTTY runs the CLI with standard output on a terminal of cols columns
// and returns the exit code and what the terminal received.
func runOnTTY(t *testing.T, cols uint16, args ...string) (int, string) {
	t.Helper()
	tty, ptm := openPTY(t, cols)
	done := make(chan []byte)
	go func() {
		var buf bytes.Buffer
		_, _ = io.Copy(&buf, ptm) // ends with EIO once the terminal side is closed
		done <- buf.Bytes()
	}()
	var stderr bytes.Buffer
	code := Run(args, tty, &stderr)
	tty.Close()
	out := <-done
	return code, strings.ReplaceAll(string(out), "\r\n", "\n")
}

// TestTerminal: on a terminal the table fits its width and severities are
// coloured, unless NO_COLOR or --no-color; written to a pipe or a file there
// is no colour.
func TestTerminal(t *testing.T) {
	args := []string{"check", demo(t, "demo.apk"), "--policy", demo(t, "privacy-policy.html")}
	t.Setenv("NO_COLOR", "")
	t.Setenv("TERM", "xterm")
	code, out := runOnTTY(t, 80, args...)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "\x1b[1;31mhigh\x1b[0m", "high is red")
	assert.Contains(t, out, "\x1b[2minfo\x1b[0m")
	plain := stripSGR(out)
	cond := runewidth.NewCondition()
	cond.EastAsianWidth = false // an independent measure of terminal columns
	for _, line := range strings.Split(plain, "\n") {
		assert.LessOrEqual(t, cond.StringWidth(line), 80, "%q", line)
	}
	assert.True(t, strings.Index(plain, "Findings") < strings.Index(plain, "Permissions"), "findings first")

	_, out = runOnTTY(t, 80, append(args, "--no-color")...)
	assert.NotContains(t, out, "\x1b[")
	t.Setenv("NO_COLOR", "1")
	_, out = runOnTTY(t, 80, args...)
	assert.NotContains(t, out, "\x1b[")

	t.Setenv("NO_COLOR", "")
	_, piped, _ := run(t, args...)
	assert.NotContains(t, piped, "\x1b[", "no colour into a pipe")
}

func stripSGR(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestLocale: LC_ALL decides before LC_MESSAGES, which decides before LANG;
// --lang decides before all of them.
func TestLocale(t *testing.T) {
	args := []string{"inspect", demo(t, "demo.apk")}
	for _, tt := range []struct {
		lcAll, lcMessages, lang string
		zh                      bool
	}{
		{"zh_CN.UTF-8", "", "en_US.UTF-8", true},
		{"C.UTF-8", "", "zh_CN.UTF-8", false},
		{"", "zh_CN.UTF-8", "en_US.UTF-8", true},
		{"", "", "zh_CN.UTF-8", true},
		{"", "", "", false},
	} {
		t.Setenv("LC_ALL", tt.lcAll)
		t.Setenv("LC_MESSAGES", tt.lcMessages)
		t.Setenv("LANG", tt.lang)
		_, out, _ := run(t, args...)
		assert.Equal(t, tt.zh, strings.Contains(out, "汇总"), "LC_ALL=%q LC_MESSAGES=%q LANG=%q", tt.lcAll, tt.lcMessages, tt.lang)
	}
	t.Setenv("LC_ALL", "zh_CN.UTF-8")
	_, out, _ := run(t, append(args, "--lang", "en")...)
	assert.Contains(t, out, "Summary")
}
