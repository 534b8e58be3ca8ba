package cli

import (
	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

func newInspect(g *globals) *cobra.Command {
	var classes, noCode bool
	cmd := &cobra.Command{
		Use:   "inspect ARTIFACT...",
		Short: "Show what a build declares and embeds: permissions, SDKs with evidence, components, native libraries",
		Long: `inspect shows what a build declares and embeds. It also shows the findings that
need no policy — code that could not be analysed (a packer, a DEX that failed to
parse, a limit hit) — and they decide its exit code, like check's findings do.`,
		Example: `  apkaudit inspect app-release.apk
  apkaudit inspect app.aab --format json --output inventory.json
  apkaudit inspect app.apk --classes --format json | jq -r '.code.class_names[]'
  apkaudit inspect AndroidManifest.xml --no-code`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The catalogue loads while the first artifact is read.
			opt := scan.Options{Jobs: g.jobs, Config: g.config, Now: g.now(), LoadCatalogue: g.catalogue,
				KeepClasses: classes, NoCode: noCode}
			results := make([]*audit.Result, 0, len(args))
			for _, a := range args {
				r, err := scan.Inspect(cmd.Context(), a, opt)
				if err != nil {
					return err
				}
				results = append(results, r)
			}
			cat, err := g.catalogue()
			if err != nil {
				return err
			}
			o, err := g.sourceOptions(g.reportOptions(cat), results...)
			if err != nil {
				return err
			}
			o.Classes = classes
			v, err := report.NewView(report.CommandInspect, results, o)
			if err != nil {
				return err
			}
			return g.finish(v, results...)
		},
	}
	cmd.Flags().BoolVar(&classes, "classes", false, "list every class name")
	cmd.Flags().BoolVar(&noCode, "no-code", false, "read only the manifest (instant; no SDK evidence from code)")
	return reporting(report.CommandInspect, cmd)
}
