package scan_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/internal/testenv"
	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

func seed(t *testing.T, name string) string {
	return testenv.Shared(t, "seeds", name)
}

func findingKeys(fs []audit.Finding, min audit.Severity) []string {
	out := []string{}
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, fmt.Sprintf("%s %s %s", f.Severity, f.Rule, f.Subject))
		}
	}
	sort.Strings(out)
	return out
}

// TestCheckSeed002Fixture: the miitee fixture declares seed 002's 29 permissions and embeds
// the SDKs of its 16-row list, plus ACTIVITY_RECOGNITION, READ_CALL_LOG, READ_CONTACTS and
// JPush, Pangle and Getui, which the policy does not disclose. check reports exactly those
// at high severity, and no undisclosed-* finding for anything the policy discloses.
// The policy converted to HTML, DOCX and PDF by LibreOffice (make policy-docs) gives the same findings.
func TestCheckSeed002Fixture(t *testing.T) {
	apk := testenv.Fixture(t, "miitee.apk")
	txt := seed(t, "002_8cf391e277f1a318.txt")
	opt := options(t)
	r, err := scan.Check(context.Background(), apk, []string{txt}, opt)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"high undisclosed-permission android.permission.ACTIVITY_RECOGNITION",
		"high undisclosed-permission android.permission.READ_CALL_LOG",
		"high undisclosed-permission android.permission.READ_CONTACTS",
		"high undisclosed-sdk getui-push",
		"high undisclosed-sdk jpush",
		"high undisclosed-sdk pangle-ads",
	}, findingKeys(r.Findings, audit.High))
	disclosedSDKs := map[string]bool{}
	for _, row := range r.Disclosure.SDKs {
		disclosedSDKs[row.ID] = true
	}
	disclosedPerms := map[string]bool{}
	for _, p := range r.Disclosure.Permissions {
		disclosedPerms[p.Name] = true
	}
	for _, f := range r.Findings {
		switch f.Rule {
		case audit.RuleUndisclosedSDK:
			assert.False(t, disclosedSDKs[f.Subject] && f.Severity >= audit.Medium, "disclosed SDK reported: %+v", f)
		case audit.RuleUndisclosedPermission:
			assert.False(t, disclosedPerms[f.Subject], "disclosed permission reported: %+v", f)
		case audit.RuleMissingSDKList, audit.RuleMissingPermissionList:
			t.Errorf("the policy has both lists: %+v", f)
		}
	}
	// Row-quality findings are real gaps of seed 002 (checked by hand against its text):
	// 微信 and 腾讯x5 name no company, 闪验 and 华为统一扫码 give no link, the TEduBoard and
	// 腾讯开发平台 rows list no data.
	var incomplete []string
	for _, f := range r.Findings {
		if f.Rule == audit.RuleIncompleteSDKDisclosure {
			incomplete = append(incomplete, f.Subject)
		}
	}
	sort.Strings(incomplete)
	assert.Equal(t, []string{"hms-scankit", "shanyan", "tencent-teduboard", "tencent-x5", "wechat-opensdk", "wechat-opensdk"}, incomplete)

	want := findingKeys(r.Findings, audit.Info)
	gen := testenv.RepoRoot(t, "testdata", "policies", "generated")
	for _, name := range []string{"seed002.html", "seed002.docx", "seed002.pdf"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(gen, name)
			if _, err := os.Stat(p); err != nil {
				t.Skipf("%s not built (make policy-docs needs LibreOffice): %v", p, err)
			}
			r2, err := scan.Check(context.Background(), apk, []string{p}, opt)
			require.NoError(t, err)
			assert.Len(t, r2.Disclosure.SDKs, 16)
			assert.Equal(t, want, findingKeys(r2.Findings, audit.Info))
		})
	}
}

// TestCheckSeedsWithoutSDKList: seeds 000, 001, 003 and 004 have no SDK list; a build with
// SDKs checked against any of them gets missing-sdk-list, and their prose permission
// wording counts as disclosure.
func TestCheckSeedsWithoutSDKList(t *testing.T) {
	apk := testenv.Fixture(t, "miitee.apk")
	tests := []struct {
		seed      string
		disclosed []string // permissions the prose discloses (checked by hand)
	}{
		{"000_99fa19e409f33bed.txt", nil},
		{"001_c7cb960513008d9d.txt", nil},
		{"003_3000a5bc25fa09ae.txt", []string{"android.permission.READ_CONTACTS", "android.permission.READ_CALL_LOG",
			"android.permission.RECORD_AUDIO", "android.permission.ACCESS_FINE_LOCATION", "android.permission.CAMERA"}},
		{"004_55ffab5a0a8bdfc8.txt", nil},
	}
	for _, tt := range tests {
		t.Run(tt.seed, func(t *testing.T) {
			r, err := scan.Check(context.Background(), apk, []string{seed(t, tt.seed)}, options(t))
			require.NoError(t, err)
			assert.False(t, r.Disclosure.HasSDKList)
			assert.Contains(t, findingKeys(r.Findings, audit.High), "high missing-sdk-list com.example.miitee")
			for _, p := range tt.disclosed {
				assert.NotContains(t, findingKeys(r.Findings, audit.High), "high undisclosed-permission "+p)
			}
		})
	}
}

// TestCheckUnreadablePolicy: garbage and empty policies are input errors naming the file.
func TestCheckUnreadablePolicy(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.html")
	require.NoError(t, os.WriteFile(garbage, []byte("\x00\x01\x02\xff\xfe\x00binary\x00\x00"), 0o644))
	empty := filepath.Join(dir, "empty.txt")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	apk := testenv.RepoRoot(t, "testdata", "demo", "demo.apk")
	for _, p := range []string{garbage, empty, filepath.Join(dir, "missing.pdf"), dir} {
		_, err := scan.Check(context.Background(), apk, []string{p}, options(t))
		require.Error(t, err, p)
		var ie *scan.InputError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, p, ie.Path)
		assert.Contains(t, err.Error(), p)
	}
}

// TestDiffFixtures: miitee-v2 adds exactly READ_PHONE_NUMBERS and the Xiaomi push SDK,
// and both are undisclosed in seed 002.
func TestDiffFixtures(t *testing.T) {
	dir := filepath.Dir(testenv.Fixture(t, "miitee.apk"))
	res, err := scan.Diff(context.Background(), filepath.Join(dir, "miitee.apk"), filepath.Join(dir, "miitee-v2.apk"),
		[]string{seed(t, "002_8cf391e277f1a318.txt")}, options(t))
	require.NoError(t, err)
	var added []string
	for _, p := range res.Diff.AddedPermissions {
		added = append(added, p.Name)
	}
	for _, s := range res.Diff.AddedSDKs {
		added = append(added, s.ID())
	}
	assert.Equal(t, []string{"android.permission.READ_PHONE_NUMBERS", "xiaomi-push"}, added)
	assert.Empty(t, res.Diff.RemovedPermissions)
	assert.Empty(t, res.Diff.RemovedSDKs)
	assert.Equal(t, []string{
		"high undisclosed-permission android.permission.READ_PHONE_NUMBERS",
		"high undisclosed-sdk xiaomi-push",
	}, findingKeys(res.Result.Findings, audit.Medium))
}

// TestCheckErrorPrecedence: the policy is read while the artifact is scanned,
// and its error still comes first, as when the two ran in turn; a good policy
// with a bad artifact reports the artifact.
func TestCheckErrorPrecedence(t *testing.T) {
	dir := t.TempDir()
	badAPK := filepath.Join(dir, "bad.apk")
	require.NoError(t, os.WriteFile(badAPK, []byte("not a zip at all"), 0o644))
	missing := filepath.Join(dir, "missing-policy.txt")
	good := seed(t, "002_8cf391e277f1a318.txt")

	_, err := scan.Check(context.Background(), badAPK, []string{missing}, options(t))
	var ie *scan.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, missing, ie.Path, "the policy's error comes first")

	_, err = scan.Check(context.Background(), badAPK, []string{good}, options(t))
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, badAPK, ie.Path)

	r, err := scan.Check(context.Background(), testenv.Fixture(t, "miitee.apk"), []string{good}, options(t))
	require.NoError(t, err)
	require.NotNil(t, r.Disclosure)
	assert.NotEmpty(t, r.Disclosure.Permissions, "the policy read in parallel is used")
}

// TestDiffErrorOrder: diff reads the policy and the old build while it scans
// the new one, and reports errors in the order policy, old, new.
func TestDiffErrorOrder(t *testing.T) {
	dir := t.TempDir()
	bad := func(name string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("not an artifact"), 0o644))
		return p
	}
	oldBad, newBad := bad("old.apk"), bad("new.apk")
	good := testenv.Fixture(t, "miitee.apk")
	policyFile := seed(t, "002_8cf391e277f1a318.txt")
	var ie *scan.InputError
	for _, tt := range []struct {
		name          string
		old, new, pol string
		want          string
	}{
		{"policy first", oldBad, newBad, filepath.Join(dir, "missing.txt"), filepath.Join(dir, "missing.txt")},
		{"then the old build", oldBad, newBad, policyFile, oldBad},
		{"then the new build", good, newBad, policyFile, newBad},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := scan.Diff(context.Background(), tt.old, tt.new, []string{tt.pol}, options(t))
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.want, ie.Path)
		})
	}
	r, err := scan.Diff(context.Background(), good, testenv.Fixture(t, "miitee-v2.apk"), []string{policyFile}, options(t))
	require.NoError(t, err)
	assert.NotEmpty(t, r.Diff.AddedSDKs, "miitee-v2 adds an SDK")
}

// TestCheckErrorOrder: the policy is read on the scan pool beside the
// artifact's largest DEX, or after the scan when the artifact did not open;
// either way a policy error wins over an artifact error, as when the two
// were read in turn, and a good policy is read whatever the artifact.
func TestCheckErrorOrder(t *testing.T) {
	apk := testenv.Fixture(t, "miitee.apk")
	policy := seed(t, "002_8cf391e277f1a318.txt")
	dir := t.TempDir()
	notAPK := filepath.Join(dir, "notes.bin")
	require.NoError(t, os.WriteFile(notAPK, []byte("not an artifact at all"), 0o644))
	dexFile := filepath.Join(dir, "classes.dex")
	require.NoError(t, os.WriteFile(dexFile, []byte("dex\n035\x00 cut short"), 0o644))
	missingPolicy := filepath.Join(dir, "missing-policy.html")
	tests := []struct {
		name, artifact, policy string
		wantIn                 string // the path the error names; "" for no error
	}{
		{"both good", apk, policy, ""},
		{"bad policy, good APK", apk, missingPolicy, missingPolicy},
		{"bad policy, unreadable artifact", notAPK, missingPolicy, missingPolicy},
		{"bad policy, broken DEX", dexFile, missingPolicy, missingPolicy},
		{"good policy, unreadable artifact", notAPK, policy, notAPK},
		{"good policy, broken DEX", dexFile, policy, dexFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := scan.Check(context.Background(), tc.artifact, []string{tc.policy}, options(t))
			if tc.wantIn == "" {
				require.NoError(t, err)
				require.NotNil(t, r.Disclosure)
				assert.NotEmpty(t, r.Disclosure.SDKs)
				return
			}
			require.Error(t, err)
			var ie *scan.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.wantIn, ie.Path, "%v", err)
		})
	}
}
