package cli

import (
	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

func newPolicy(g *globals) *cobra.Command {
	return reporting(report.CommandPolicy, &cobra.Command{
		Use:   "policy DOC...",
		Short: "Show what privacy-policy documents disclose: permissions, SDK rows (mapped to the catalogue), data types",
		Long: `policy reads one or more policy documents (plain text in UTF-8/GBK, HTML, Markdown,
DOCX, PDF; the format is detected from the content) as one disclosure and shows
what apkaudit understood, line by line, so a person can trust or correct it.`,
		Example: `  apkaudit policy privacy.html sdk-list.html
  apkaudit policy privacy.pdf --format json | jq '.sdks[] | select(.id == null)'`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := g.scanOptions()
			if err != nil {
				return err
			}
			d, err := scan.Policy(args, opt)
			if err != nil {
				return err
			}
			o, err := g.sourceOptions(g.reportOptions(opt.Catalogue))
			if err != nil {
				return err
			}
			v, err := report.NewView(report.CommandPolicy, []*audit.Result{{Disclosure: d}}, o)
			if err != nil {
				return err
			}
			return g.render(v)
		},
	})
}
