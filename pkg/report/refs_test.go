package report

import (
	"runtime"
	"testing"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFindingRefsShared: a policy whose 2,000 SDK rows all match one SDK
// gives a finding per row, and each finding refers to every row's line.
// The findings share one slice of those lines: each holding its own copy
// made the view of such a check 4 million references (270 MB).
func TestFindingRefsShared(t *testing.T) {
	const n = 2000
	d := &policy.Disclosure{}
	r := demoCheck()
	r.Disclosure = d
	r.Findings = nil
	for i := range n {
		d.SDKs = append(d.SDKs, policy.SDKRow{ID: "umeng-analytics", Name: "友盟SDK", Line: policy.LineRef{File: "p.md", Line: i + 1}})
		r.Findings = append(r.Findings, audit.Finding{Rule: audit.RuleIncompleteSDKDisclosure, Subject: "umeng-analytics", Severity: audit.Medium})
	}
	o := demoOptions(CommandCheck, "en")
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	v, err := NewView(o.cmd, []*audit.Result{r}, o.Options)
	runtime.ReadMemStats(&after)
	require.NoError(t, err)
	fs := v.Results[0].Findings
	require.Len(t, fs, n)
	for _, f := range fs {
		require.Len(t, f.Refs, n)
		assert.Equal(t, n, f.Refs[n-1].Line)
	}
	assert.Same(t, &fs[0].Refs[0], &fs[n-1].Refs[0], "one shared slice")
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<20), "allocated by NewView")
}
