package report

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// TestJUnitFailures parses the XML back and checks that the failing testcases
// hold exactly the unwaived findings at or above FailOn, for every threshold.
func TestJUnitFailures(t *testing.T) {
	for _, failOn := range []audit.Severity{audit.High, audit.Medium, audit.Low, audit.Info, audit.None} {
		t.Run(failOn.String(), func(t *testing.T) {
			o := demoOptions(CommandCheck, "en")
			o.FailOn = failOn
			res := demoCheck()
			var doc JUnitSuites
			require.NoError(t, xml.Unmarshal(render(t, junitRenderer{}, []*audit.Result{res}, o), &doc))
			require.Len(t, doc.Suites, 1)
			s := doc.Suites[0]
			assert.Equal(t, "testdata/demo/app-release.apk", s.Name)
			assert.Equal(t, len(s.Cases), s.Tests)

			names := map[string]JUnitCase{}
			failures := 0
			for _, c := range s.Cases {
				names[c.Name] = c
				if c.Failure != nil {
					failures++
				}
			}
			assert.Equal(t, failures, s.Failures)
			assert.Equal(t, failures, doc.Failures)
			for _, p := range res.Inventory.Permissions {
				assert.Contains(t, names, "permission "+p.Name)
			}
			for _, d := range res.SDKs {
				assert.Contains(t, names, "sdk "+d.ID())
			}
			for _, rule := range []string{"missing-sdk-list", "missing-permission-list", "unanalysed-code"} {
				assert.Contains(t, names, rule)
			}

			// Every finding line in a failure, as "rule subject".
			var failed []string
			for _, c := range s.Cases {
				if c.Failure == nil {
					continue
				}
				for _, line := range strings.Split(c.Failure.Text, "\n") {
					if strings.HasPrefix(line, "[") {
						f := strings.Fields(line)
						failed = append(failed, f[1]+" "+strings.TrimSuffix(f[2], ":"))
					}
				}
			}
			var want []string
			for _, f := range res.Findings {
				if !f.Waived && failOn != audit.None && f.Severity >= failOn {
					want = append(want, f.Rule+" "+f.Subject)
				}
			}
			assert.ElementsMatch(t, want, failed)
		})
	}
}

func TestJUnitCaseOfFinding(t *testing.T) {
	var doc JUnitSuites
	require.NoError(t, xml.Unmarshal(render(t, junitRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "en")), &doc))
	cases := map[string]JUnitCase{}
	for _, c := range doc.Suites[0].Cases {
		cases[c.Name] = c
	}
	jp := cases["sdk jpush"]
	require.NotNil(t, jp.Failure)
	assert.Equal(t, "undisclosed-sdk", jp.Failure.Type)
	assert.Contains(t, jp.Failure.Text, "artifact: lib/arm64-v8a/libjcore.so")
	assert.Contains(t, jp.Failure.Text, "policy: no SDK row or mention")

	waived := cases["permission android.permission.READ_PHONE_STATE"]
	assert.Nil(t, waived.Failure, "a waived high finding does not fail")
	require.NotNil(t, waived.SystemOut)
	assert.Contains(t, waived.SystemOut.Text, "waived: disclosed in the in-app consent dialog")

	um := cases["sdk umeng-analytics"]
	assert.Nil(t, um.Failure)
	require.NotNil(t, um.SystemOut)
	assert.Contains(t, um.SystemOut.Text, "[medium] undisclosed-sdk-data umeng-analytics")
	assert.Contains(t, cases, "stale-permission-disclosure android.permission.RECORD_AUDIO")
}

func TestXMLSafe(t *testing.T) {
	assert.Equal(t, "a\uFFFDb\n\tc中", xmlSafe("a\x01b\n\tc中"))
	r := demoCheck()
	r.Findings[1].Message = "bad \x00 byte ]]> end"
	var doc JUnitSuites
	require.NoError(t, xml.Unmarshal(render(t, junitRenderer{}, []*audit.Result{r}, demoOptions(CommandCheck, "en")), &doc))
}

// TestJUnitSkipped: a check whose findings are all waived or below
// --fail-on is <skipped> with the reason; the counts add up; every testcase
// names a file, the policy line's file for a policy finding.
func TestJUnitSkipped(t *testing.T) {
	var doc JUnitSuites
	require.NoError(t, xml.Unmarshal(render(t, junitRenderer{}, []*audit.Result{demoCheck()}, demoOptions(CommandCheck, "en")), &doc))
	s := doc.Suites[0]
	cases := map[string]JUnitCase{}
	skipped := 0
	for _, c := range s.Cases {
		cases[c.Name] = c
		assert.NotEmpty(t, c.File, c.Name)
		if c.Skipped != nil {
			skipped++
			assert.Nil(t, c.Failure, "a case is failed or skipped, not both")
		}
	}
	assert.Equal(t, skipped, s.Skipped)
	assert.Equal(t, skipped, doc.Skipped)
	waived := cases["permission android.permission.READ_PHONE_STATE"]
	require.NotNil(t, waived.Skipped)
	assert.Equal(t, "waived: disclosed in the in-app consent dialog (legal@example.com) (undisclosed-permission android.permission.READ_PHONE_STATE)", waived.Skipped.Message)
	below := cases["sdk umeng-analytics"]
	require.NotNil(t, below.Skipped)
	assert.Equal(t, "below --fail-on high: [medium] undisclosed-sdk-data umeng-analytics", below.Skipped.Message)
	assert.Equal(t, "testdata/demo/sdk-list.md", below.File, "shown at its policy row")
	assert.Nil(t, cases["sdk jpush"].Skipped, "a failing case is not skipped")
	assert.Nil(t, cases["permission android.permission.CAMERA"].Skipped, "a case with no finding passes")
	assert.Equal(t, "testdata/demo/app-release.apk", cases["permission android.permission.CAMERA"].File)

	o := demoOptions(CommandCheck, "en")
	o.FailOn = audit.Medium
	var medium JUnitSuites
	require.NoError(t, xml.Unmarshal(render(t, junitRenderer{}, []*audit.Result{demoCheck()}, o), &medium))
	for _, c := range medium.Suites[0].Cases {
		if c.Name == "sdk umeng-analytics" {
			assert.Nil(t, c.Skipped, "at --fail-on medium it fails")
			assert.NotNil(t, c.Failure)
		}
	}
}
