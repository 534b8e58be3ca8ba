package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
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
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := g.scanOptions()
			if err != nil {
				return err
			}
			policies = g.policyFiles(policies)
			r, err := scan.Check(args[0], policies, opt)
			if err != nil {
				return err
			}
			rep := g.config.ApplyWaivers(r.Findings, g.now())
			for _, w := range rep.Expired {
				g.note("waiver for %s %s expired on %s: it no longer suppresses the finding", w.Rule, w.Subject, w.Expires)
				r.Inventory.Warnings = append(r.Inventory.Warnings, waiverWarning("expired on "+w.Expires, w))
			}
			for _, w := range rep.Unused {
				g.note("waiver for %s %s matches no finding", w.Rule, w.Subject)
				r.Inventory.Warnings = append(r.Inventory.Warnings, waiverWarning("matches no finding", w))
			}
			if baseline != "" {
				b, err := audit.LoadBaseline(baseline)
				if err != nil {
					return fmt.Errorf("%s: %w", baseline, err)
				}
				b.Apply(r.Findings)
			}
			r.Summary = audit.Summarise(r.Findings)
			if writeBaseline != "" {
				data, _ := json.MarshalIndent(audit.NewBaseline(r.Findings), "", "  ")
				if err := os.WriteFile(writeBaseline, append(data, '\n'), 0o644); err != nil {
					return err
				}
			}
			if err := g.render([]*audit.Result{r}, g.reportOptions("check", opt.Catalogue)); err != nil {
				return err
			}
			if strictWaivers && len(rep.Unused) > 0 {
				return errors.Join(errFindings, fmt.Errorf("%d waivers match no finding", len(rep.Unused)))
			}
			return g.verdict([]*audit.Result{r})
		},
	}
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "policy document (repeatable; the documents form one disclosure)")
	cmd.Flags().StringVar(&baseline, "baseline", "", "suppress findings recorded in this baseline FILE")
	cmd.Flags().StringVar(&writeBaseline, "write-baseline", "", "record the current findings in FILE")
	cmd.Flags().BoolVar(&strictWaivers, "strict-waivers", false, "exit 1 when a waiver matches no finding")
	return cmd
}
