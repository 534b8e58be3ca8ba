package cli

import (
	"github.com/spf13/cobra"

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
		Args: twoBuilds,
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := g.scanOptions()
			if err != nil {
				return err
			}
			res, err := scan.Diff(cmd.Context(), args[0], args[1], g.policyFiles(policies), opt)
			if err != nil {
				return err
			}
			o, err := g.sourceOptions(g.reportOptions(opt.Catalogue), res.Result)
			if err != nil {
				return err
			}
			return g.finish(report.NewDiffView(res.Diff, res.Result, o), res.Result)
		},
	}
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "policy document (repeatable)")
	return reporting(report.CommandDiff, cmd)
}
