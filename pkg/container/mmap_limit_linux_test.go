package container

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMapUnderAddressSpaceLimit runs this test binary again under prlimit
// --as=3GiB: there a 1 MiB artifact is still mapped and a sparse 1 GiB one
// is read with pread, so that the mapping cannot take the address space the
// heap needs; without the limit both are mapped.
func TestMapUnderAddressSpaceLimit(t *testing.T) {
	dir := os.Getenv("CONTAINER_MAP_CHILD")
	if dir == "" {
		dir = t.TempDir()
		for name, size := range map[string]int64{"small": 1 << 20, "large": 1 << 30} {
			f, err := os.Create(filepath.Join(dir, name))
			require.NoError(t, err)
			require.NoError(t, f.Truncate(size))
			require.NoError(t, f.Close())
		}
	}
	mapped := func(name string) bool {
		f, err := os.Open(filepath.Join(dir, name))
		require.NoError(t, err)
		defer f.Close()
		st, err := f.Stat()
		require.NoError(t, err)
		r, release, _ := mapFile(f, st.Size())
		defer release()
		_, isMem := r.(Mem)
		return isMem
	}
	if os.Getenv("CONTAINER_MAP_CHILD") != "" {
		fmt.Printf("small=%v large=%v\n", mapped("small"), mapped("large"))
		return
	}
	assert.True(t, mapped("small"))
	assert.True(t, mapped("large"), "no limit: mapped")
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	cmd := exec.Command(prlimit, "--as=3221225472", "--", os.Args[0], "-test.run=^TestMapUnderAddressSpaceLimit$")
	cmd.Env = append(os.Environ(), "CONTAINER_MAP_CHILD="+dir)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.True(t, strings.Contains(string(out), "small=true large=false"), "%s", out)
}
