//go:build unix

package limits

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOpenRegular(t *testing.T) {
	dir := t.TempDir()
	reg := filepath.Join(dir, "reg")
	require.NoError(t, os.WriteFile(reg, []byte("abc"), 0o644))
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	require.NoError(t, err)
	defer l.Close()
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(reg, link))
	tests := []struct {
		name, path, want string
		isDir            bool
	}{
		{"regular", reg, "", false},
		{"symlink to regular", link, "", false},
		{"fifo", fifo, fifo + ": not a regular file (FIFO)", false},
		{"socket", sock, sock + ": not a regular file (socket)", false},
		{"device", "/dev/zero", "/dev/zero: not a regular file (character device)", false},
		{"directory", dir, dir + ": is a directory", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			var f *os.File
			var err error
			go func() { f, err = OpenRegular(tt.path); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("OpenRegular blocked")
			}
			if tt.want == "" {
				require.NoError(t, err)
				b := make([]byte, 8)
				n, _ := f.Read(b)
				assert.Equal(t, "abc", string(b[:n]))
				f.Close()
				return
			}
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.True(t, errors.Is(err, ErrNotRegular))
			assert.Equal(t, tt.isDir, errors.Is(err, syscall.EISDIR))
		})
	}
}

func TestReadFileAtMost(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.yaml")
	require.NoError(t, os.WriteFile(p, []byte("12345"), 0o644))
	b, err := ReadFileAtMost(p, 5, "config file size")
	require.NoError(t, err)
	assert.Equal(t, "12345", string(b))
	_, err = ReadFileAtMost(p, 4, "config file size")
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrLimit))
	assert.Equal(t, p+": config file size: 5 exceeds the limit of 4", err.Error())
	_, err = ReadFileAtMost("/dev/zero", 4, "config file size")
	assert.True(t, errors.Is(err, ErrNotRegular))
	_, err = ReadFileAtMost(filepath.Join(dir, "missing"), 4, "config file size")
	assert.True(t, errors.Is(err, os.ErrNotExist))
}
