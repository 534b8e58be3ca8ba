package limits

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFitRuntime runs this test binary again under prlimit --as and checks
// the soft heap limit FitRuntime sets there: runtimeShare of the address
// space left under the limit, none when GOMEMLIMIT is set.
func TestFitRuntime(t *testing.T) {
	if os.Getenv("LIMITS_FIT_CHILD") != "" {
		soft := FitRuntime()
		fmt.Printf("soft=%d mapped=%d\n", soft, mappedBytes())
		fmt.Printf("inflight1=%d inflight4=%d\n", Limits{}.FitAddressSpace(1).InFlight, Limits{}.FitAddressSpace(4).InFlight)
		return
	}
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	const as = 3 << 30
	tests := []struct {
		name string
		env  []string
		want int64
	}{
		{"under RLIMIT_AS", nil, share(as)},
		{"GOMEMLIMIT is the user's", []string{"GOMEMLIMIT=2GiB"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(prlimit, "--as="+strconv.Itoa(as), "--", os.Args[0], "-test.run=^TestFitRuntime$")
			cmd.Env = append(append(os.Environ(), "LIMITS_FIT_CHILD=1"), tt.env...)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			_, after, ok := strings.Cut(string(out), "soft=")
			require.True(t, ok, "%s", out)
			var n, mapped int64
			_, err = fmt.Sscanf(after, "%d mapped=%d", &n, &mapped)
			require.NoError(t, err, "%s", out)
			if tt.want == 0 {
				assert.Equal(t, tt.want, n)
				return
			}
			// The ceiling is what is left under RLIMIT_AS, read when FitRuntime ran.
			assert.Positive(t, mapped)
			assert.InDelta(t, share(as-mapped), n, float64(share(16<<20)))
			assert.Less(t, n, tt.want)
		})
	}
}

// share is runtimeShare of n, truncated as FitRuntime truncates it.
func share(n int64) int64 { return int64(float64(n) * runtimeShare) }

// TestFitAddressSpace: under prlimit --as=1GiB, where the runtime has
// mapped most of the limit before the test starts, the in-flight budget of
// one scan drops below its default, four scans at once get a quarter of it
// each (at least 16 MiB), and without a limit it is the default.
func TestFitAddressSpace(t *testing.T) {
	assert.Equal(t, Default().InFlight, Limits{}.FitAddressSpace(4).InFlight, "no address-space limit here")
	prlimit, err := exec.LookPath("prlimit")
	if err != nil {
		t.Skip("prlimit (util-linux) is not installed")
	}
	cmd := exec.Command(prlimit, "--as="+strconv.Itoa(1<<30), "--", os.Args[0], "-test.run=^TestFitRuntime$")
	cmd.Env = append(os.Environ(), "LIMITS_FIT_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil && !strings.Contains(string(out), "inflight1=") {
		first, _, _ := strings.Cut(string(out), "\n")
		t.Skipf("this test binary cannot start under prlimit --as=1GiB here (a race or coverage build maps more): %s", first)
	}
	require.NoError(t, err, "%s", out)
	var one, four int64
	_, after, ok := strings.Cut(string(out), "inflight1=")
	require.True(t, ok, "%s", out)
	_, err = fmt.Sscanf("inflight1="+after, "inflight1=%d inflight4=%d", &one, &four)
	require.NoError(t, err, "%s", out)
	t.Logf("under 1 GiB: one scan %d MiB, four scans %d MiB each", one>>20, four>>20)
	assert.Less(t, one, Default().InFlight, "one scan under 1 GiB")
	assert.Equal(t, max(one/4, 16<<20), four, "four scans share it, each at least 16 MiB")
}
