package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

func newDiff(g *globals) *cobra.Command {
	var policies []string
	cmd := &cobra.Command{
		Use:   "diff OLD NEW [--policy DOC...]",
		Short: "Show what changed between two builds: new permissions and SDKs first",
		Long: `diff compares two builds (permissions added and removed with their protection
level, SDKs added and removed with evidence, target and minimum SDK changes). With
--policy it also says which added items the policy does not disclose, and exits 1
when one of them is at or above --fail-on.`,
		Example: `  apkaudit diff app-3.1.0.apk app-3.2.0.apk
  apkaudit diff last-release.apk app.apk --policy privacy.html --format markdown`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := g.scanOptions()
			if err != nil {
				return err
			}
			policies = g.policyFiles(policies)
			res, err := scan.Diff(args[0], args[1], policies, opt)
			if err != nil {
				return err
			}
			if res.Findings != nil {
				g.config.ApplyWaivers(res.Findings, g.now())
			}
			o := g.reportOptions("diff", opt.Catalogue)
			err = g.writeTo(func(w io.Writer) error {
				return report.RenderDiff(w, g.format, report.Diff{Diff: res.Diff, Findings: res.Findings, Disclosure: res.Disclosure}, o)
			})
			if err != nil {
				return err
			}
			if audit.Fails(res.Findings, g.threshold()) {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "policy document (repeatable)")
	return cmd
}
