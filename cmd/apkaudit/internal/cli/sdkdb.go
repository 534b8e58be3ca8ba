package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/sdkdb"
)

func newSDKDB(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sdkdb",
		Short: "List, show and validate SDK catalogues",
		Long: `The SDK catalogue is embedded in apkaudit (sdkdb/sdks/*.yaml). --sdkdb FILE adds
entries or overrides them by id (a company's in-house SDKs, or a fix before the
next release); "sdkdb validate FILE" checks such a file. The subcommands write
--format table (the default) or json.`,
	}
	list := &cobra.Command{
		Use:     "list",
		Short:   "List catalogue entries: id, name, vendor, category and signal counts",
		Example: "  apkaudit sdkdb list\n  apkaudit sdkdb list --format json | jq length",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.catalogue()
			if err != nil {
				return err
			}
			return g.render(report.NewCatalogueView(c, nil, g.reportOptions(c)))
		},
	}
	show := &cobra.Command{
		Use:     "show ID",
		Short:   "Show one catalogue entry with every field",
		Example: "  apkaudit sdkdb show umeng-analytics\n  apkaudit sdkdb show shanyan --format json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := g.catalogue()
			if err != nil {
				return err
			}
			e := c.Lookup(args[0])
			if e == nil {
				return fmt.Errorf("sdkdb: no entry with id %q (apkaudit sdkdb list shows them)", args[0])
			}
			return g.render(report.NewCatalogueView(c, e, g.reportOptions(c)))
		},
	}
	var embedded bool
	validate := &cobra.Command{
		Use:   "validate [FILE...]",
		Short: "Validate catalogue files (schema, duplicate ids, overlapping prefixes, URLs, permission names)",
		Long: `validate loads catalogue files strictly (unknown keys, bad ids, bad globs are
errors with file and line) and checks them: duplicate ids, DEX prefixes claimed by
two entries, URL syntax, unknown permission names, Chinese entries without aliases
or a privacy-policy URL. Errors exit 2; warnings are printed and exit 0.`,
		Example: `  apkaudit sdkdb validate my-sdks.yaml
  apkaudit sdkdb validate --embedded`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !embedded {
				return fmt.Errorf("sdkdb validate: name a FILE or use --embedded")
			}
			var problems []sdkdb.Problem
			if embedded {
				c, err := sdkdb.EmbeddedSource()
				if err != nil {
					return err
				}
				problems = append(problems, sdkdb.Validate(c)...)
			}
			for _, f := range args {
				c, err := sdkdb.LoadFile(f)
				if err != nil {
					return err // it names the file
				}
				problems = append(problems, sdkdb.Validate(c)...)
			}
			if err := g.render(report.NewValidationView(problems, g.reportOptions(nil))); err != nil {
				return err
			}
			return validationVerdict(problems)
		},
	}
	validate.Flags().BoolVar(&embedded, "embedded", false, "validate the embedded catalogue")
	for _, c := range []*cobra.Command{list, show, validate} {
		cmd.AddCommand(reporting(report.CommandSDKDB, c))
	}
	return cmd
}

// validationVerdict is exit 2 naming the first error and the counts, when a
// problem is an error.
func validationVerdict(problems []sdkdb.Problem) error {
	errs, warns := 0, 0
	var first error
	for _, p := range problems {
		if p.Warning {
			warns++
			continue
		}
		errs++
		if first == nil {
			first = p
		}
	}
	if errs > 0 {
		return fmt.Errorf("%v (%d errors, %d warnings)", first, errs, warns)
	}
	return nil
}
