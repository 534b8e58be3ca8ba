package cli

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

func newCheck(g *globals) *cobra.Command {
	var policies []string
	var baseline, writeBaseline string
	var strictWaivers bool
	cmd := &cobra.Command{
		Use:   "check ARTIFACT --policy DOC [--policy DOC2 ...]",
		Short: "Report the gaps between a build and its privacy policy",
		Long: `check inspects the build, reads the policy documents as one disclosure, and reports
every rule of the contract: undisclosed sensitive permissions and SDKs, SDK rows
that lack company, purpose, data or policy link, data an SDK collects that its
row omits, stale disclosures and code that could not be analysed.

Waivers in .apkaudit.yaml and a --baseline keep reviewed findings in the report
(marked waived) without failing the run.`,
		Example: `  apkaudit check app.apk --policy privacy.html --policy sdk-list.html
  apkaudit check app.apk --policy privacy.pdf --format sarif --output apkaudit.sarif
  apkaudit check app.apk --policy privacy.html --lang zh --format html -o report.html
  apkaudit check app.apk --policy privacy.html --write-baseline .apkaudit-baseline.json
  apkaudit check app.apk --policy privacy.html --baseline .apkaudit-baseline.json --fail-on medium`,
		Args: oneArtifact,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := g.scanOptions()
			if err != nil {
				return err
			}
			if baseline != "" {
				if opt.Baseline, err = audit.LoadBaseline(baseline); err != nil {
					return &scan.InputError{Path: baseline, Err: err}
				}
			}
			opt.StrictWaivers = strictWaivers
			r, err := scan.Check(cmd.Context(), args[0], g.policyFiles(policies), opt)
			if err != nil {
				return err
			}
			if writeBaseline != "" {
				err := g.writeTo("--write-baseline", writeBaseline, func(w io.Writer) error {
					data, _ := json.MarshalIndent(audit.NewBaseline(r.Findings), "", "  ")
					_, err := w.Write(append(data, '\n'))
					return err
				})
				if err != nil {
					return err
				}
			}
			o, err := g.sourceOptions(g.reportOptions(opt.Catalogue), r)
			if err != nil {
				return err
			}
			v, err := report.NewView(report.CommandCheck, []*audit.Result{r}, o)
			if err != nil {
				return err
			}
			err = g.finish(v, r)
			if writeBaseline != "" && errors.Is(err, errFindings) {
				return nil // recording the findings is the job: it succeeded
			}
			return err
		},
	}
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "policy document (repeatable; the documents form one disclosure)")
	cmd.Flags().StringVar(&baseline, "baseline", "", "suppress findings recorded in this baseline FILE")
	cmd.Flags().StringVar(&writeBaseline, "write-baseline", "", "record the current findings in FILE (and exit 0: recording them is the job)")
	cmd.Flags().BoolVar(&strictWaivers, "strict-waivers", false, "exit 1 when a waiver matches no finding")
	return reporting(report.CommandCheck, cmd)
}
