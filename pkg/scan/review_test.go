package scan_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

// TestResultsAreFinished: every operation returns results with the review
// applied from Options: waivers (against Now), the baseline, strict waivers.
func TestResultsAreFinished(t *testing.T) {
	ctx := context.Background()
	policyFile := testenv.RepoRoot(t, "testdata", "demo", "privacy-policy.html")
	cfg, err := audit.ParseConfig([]byte(`waivers:
  - {rule: unanalysed-code, subject: qihoo-jiagu, reason: packed on purpose, expires: 2030-01-01}
  - {rule: undisclosed-sdk, subject: getui-push, reason: reviewed, expires: 2030-01-01}
`))
	require.NoError(t, err)
	opt := options(t)
	opt.Config = cfg
	opt.Now = time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC)

	r, err := scan.Inspect(ctx, testenv.Fixture(t, "packed.apk"), opt)
	require.NoError(t, err)
	require.Len(t, r.Findings, 1)
	assert.True(t, r.Findings[0].Waived)
	assert.False(t, r.Fails(audit.High))
	assert.Empty(t, r.Notes, "the policy rules did not run: their waivers are not unused")

	opt.Now = time.Date(2030, 1, 2, 0, 0, 0, 0, time.UTC) // both waivers expired
	r, err = scan.Inspect(ctx, testenv.Fixture(t, "packed.apk"), opt)
	require.NoError(t, err)
	assert.False(t, r.Findings[0].Waived)
	assert.Equal(t, []string{"waiver for unanalysed-code qihoo-jiagu expired on 2030-01-01: it no longer suppresses the finding"}, r.Notes)

	opt.Now = time.Date(2029, 12, 31, 0, 0, 0, 0, time.UTC)
	check, err := scan.Check(ctx, testenv.Fixture(t, "miitee.apk"), []string{policyFile}, opt)
	require.NoError(t, err)
	assert.Equal(t, []string{"waiver for unanalysed-code qihoo-jiagu matches no finding"}, check.Notes)
	assert.True(t, check.Fails(audit.High))
	assert.Equal(t, audit.Summarise(check.Findings), check.Summary())

	// The baseline of that check waives everything it recorded; strict
	// waivers then fail on the unused waiver alone.
	opt.Baseline = audit.NewBaseline(check.Findings)
	again, err := scan.Check(ctx, testenv.Fixture(t, "miitee.apk"), []string{policyFile}, opt)
	require.NoError(t, err)
	assert.False(t, again.Fails(audit.Info))
	for _, f := range again.Findings {
		assert.True(t, f.Waived, "%s %s", f.Rule, f.Subject)
	}
	opt.StrictWaivers = true
	strict, err := scan.Check(ctx, testenv.Fixture(t, "miitee.apk"), []string{policyFile}, opt)
	require.NoError(t, err)
	assert.True(t, strict.Fails(audit.None), "an unused waiver fails whatever the threshold")
}

// TestDiffFindingsAreAboutAdditions: diff's findings are exactly the check
// findings of the new build whose subject the release added.
func TestDiffFindingsAreAboutAdditions(t *testing.T) {
	ctx := context.Background()
	policyFile := testenv.RepoRoot(t, "testdata", "demo", "privacy-policy.html")
	oldAPK, newAPK := testenv.Fixture(t, "miitee.apk"), testenv.Fixture(t, "miitee-v2.apk")
	d, err := scan.Diff(ctx, oldAPK, newAPK, []string{policyFile}, options(t))
	require.NoError(t, err)
	check, err := scan.Check(ctx, newAPK, []string{policyFile}, options(t))
	require.NoError(t, err)
	var want []string
	for _, f := range check.Findings {
		if f.Subject == "android.permission.READ_PHONE_NUMBERS" || f.Subject == "xiaomi-push" {
			want = append(want, f.Rule+" "+f.Subject)
		}
	}
	var got []string
	for _, f := range d.Result.Findings {
		got = append(got, f.Rule+" "+f.Subject)
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, got)

	plain, err := scan.Diff(ctx, oldAPK, newAPK, nil, options(t))
	require.NoError(t, err)
	assert.Nil(t, plain.Result.Disclosure)
	assert.Empty(t, plain.Result.Findings, "without a policy a diff has no findings")
}
