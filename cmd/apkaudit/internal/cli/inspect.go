package cli

import (
	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

func newInspect(g *globals) *cobra.Command {
	var classes, noCode bool
	cmd := &cobra.Command{
		Use:   "inspect ARTIFACT...",
		Short: "Show what a build declares and embeds: permissions, SDKs with evidence, components, native libraries",
		Example: `  apkaudit inspect app-release.apk
  apkaudit inspect app.aab --format json --output inventory.json
  apkaudit inspect app.apk --classes --format json | jq -r '.code.class_names[]'
  apkaudit inspect AndroidManifest.xml --no-code`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// The catalogue loads while the first artifact is read.
			opt := scan.Options{Jobs: g.jobs, Config: g.config, LoadCatalogue: g.catalogue,
				KeepClasses: classes, NoCode: noCode}
			results := make([]*audit.Result, 0, len(args))
			for _, a := range args {
				r, err := scan.Inspect(a, opt)
				if err != nil {
					return err
				}
				results = append(results, r)
			}
			cat, err := g.catalogue()
			if err != nil {
				return err
			}
			o := g.reportOptions("inspect", cat)
			o.Classes = classes
			if err := g.render(results, o); err != nil {
				return err
			}
			return g.verdict(results)
		},
	}
	cmd.Flags().BoolVar(&classes, "classes", false, "list every class name")
	cmd.Flags().BoolVar(&noCode, "no-code", false, "read only the manifest (instant; no SDK evidence from code)")
	return cmd
}
