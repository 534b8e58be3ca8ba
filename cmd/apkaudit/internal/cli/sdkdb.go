package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/sdkdb"
)

func newSDKDB(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sdkdb",
		Short: "List, show and validate SDK catalogues",
		Long: `The SDK catalogue is embedded in apkaudit (sdkdb/sdks/*.yaml). --sdkdb FILE adds
entries or overrides them by id (a company's in-house SDKs, or a fix before the
next release); "sdkdb validate FILE" checks such a file.`,
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
			return g.writeTo(func(w io.Writer) error { return writeList(w, c, g.format) })
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
			return g.writeTo(func(w io.Writer) error { return writeEntry(w, e, g.format) })
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
					return fmt.Errorf("%s: %w", f, err)
				}
				problems = append(problems, sdkdb.Validate(c)...)
			}
			errs, warns := 0, 0
			var first error
			for _, p := range problems {
				if p.Warning {
					warns++
					fmt.Fprintln(g.stdout, "warning: "+p.Error())
					continue
				}
				errs++
				if first == nil {
					first = p
				}
				fmt.Fprintln(g.stdout, "error: "+p.Error())
			}
			if errs > 0 {
				return fmt.Errorf("%v (%d errors, %d warnings)", first, errs, warns)
			}
			fmt.Fprintf(g.stdout, "ok (%d warnings)\n", warns)
			return nil
		},
	}
	validate.Flags().BoolVar(&embedded, "embedded", false, "validate the embedded catalogue")
	cmd.AddCommand(list, show, validate)
	return cmd
}

func (g *globals) writeTo(fn func(io.Writer) error) error {
	if g.output == "" {
		return fn(g.stdout)
	}
	return writeFile(g.output, fn)
}

type listRow struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	NameZh   string         `json:"name_zh"`
	Vendor   string         `json:"vendor"`
	Category string         `json:"category"`
	Family   string         `json:"family,omitempty"`
	Signals  map[string]int `json:"signals"`
}

func writeList(w io.Writer, c *sdkdb.Catalogue, format string) error {
	rows := make([]listRow, 0, len(c.Entries))
	for _, e := range c.Entries {
		rows = append(rows, listRow{e.ID, e.Name, e.NameZh, e.Vendor, e.Category, e.Family, e.Signals.Count()})
	}
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rows)
	}
	t := tablewriter.NewWriter(w)
	t.Header("ID", "Name", "名称", "Vendor", "Category", "Signals")
	for _, r := range rows {
		var sig []string
		for _, k := range sdkdb.SignalKinds() {
			if n := r.Signals[k.Key]; n > 0 {
				sig = append(sig, fmt.Sprintf("%s:%d", strings.TrimSuffix(k.Key, "s"), n))
			}
		}
		if err := t.Append(r.ID, r.Name, r.NameZh, r.Vendor, r.Category, strings.Join(sig, " ")); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d entries (catalogue %s)\n", len(rows), c.Version)
	return err
}

func writeEntry(w io.Writer, e *sdkdb.Entry, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(e)
	}
	kv := [][2]string{
		{"id", e.ID}, {"name", e.Name}, {"name_zh", e.NameZh}, {"vendor", e.Vendor},
		{"vendor_aliases", strings.Join(e.VendorAliases, "; ")}, {"aliases", strings.Join(e.Aliases, "; ")},
		{"category", e.Category}, {"family", e.Family},
	}
	for _, k := range sdkdb.SignalKinds() {
		kv = append(kv, [2]string{k.Key, strings.Join(*k.Values(&e.Signals), " ")})
	}
	for _, k := range sdkdb.SignalKinds() {
		if w := k.WeakValues(&e.Signals); w != nil {
			kv = append(kv, [2]string{"weak " + k.Key, strings.Join(*w, " ")})
		}
	}
	kv = append(kv, [][2]string{
		{"min_signals", fmt.Sprint(e.MinSignals)}, {"nested_in", strings.Join(e.NestedIn, " ")},
		{"permissions", strings.Join(e.Permissions, " ")}, {"data_collected", strings.Join(e.DataCollected, "; ")},
		{"privacy_policy_url", e.PrivacyPolicyURL}, {"no_privacy_policy", e.NoPrivacyPolicy}, {"confidence", e.Confidence}, {"sources", strings.Join(e.Sources, "; ")},
		{"related", strings.Join(e.Related, " ")}, {"notes", e.Notes},
	}...)
	for _, p := range kv {
		if p[1] == "" || p[1] == "0" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%-20s %s\n", p[0]+":", p[1]); err != nil {
			return err
		}
	}
	return nil
}
