// Package cli holds apkaudit's cobra commands. Commands only wire: flags →
// options → pkg/scan → pkg/report → exit code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// Exit codes of the contract.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// errFindings is returned by a command whose findings reach --fail-on.
var errFindings = audit.ErrThresholdReached

// Run executes apkaudit with args and returns the exit code. It is the root
// of the command's goroutine, so a panic inside a command becomes exit code 2
// with one line on stderr. SIGINT and SIGTERM cancel the command's context:
// a batch then stops with every line written so far whole.
func Run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "apkaudit: internal error: %v\n", p)
			code = ExitError
		}
	}()
	// Decode the catalogue while the command line is parsed and files are
	// opened. A panic here repeats on the command's own call (sync.OnceValues),
	// where the recover above turns it into exit 2.
	go func() {
		defer func() { _ = recover() }()
		_, _ = sdkdb.Embedded()
	}()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	g := &globals{stdout: stdout, stderr: stderr, now: time.Now}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, errFindings):
		return ExitFindings
	default:
		zh := g.lang == "zh" || g.lang == "" && langFromArgs(args, localeLang()) == "zh"
		fmt.Fprintln(stderr, "apkaudit: "+oneLine(errorText(err, zh)))
		return ExitError
	}
}

// oneLine is s as one line of stderr: line breaks joined, and every control,
// bidi character and invalid byte escaped (report.TerminalText), since
// errors quote names from the inputs.
func oneLine(s string) string {
	return report.TerminalText(strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " "))
}

// globals are the flags every command shares, and what load makes of them.
type globals struct {
	stdout, stderr io.Writer
	now            func() time.Time

	format      string
	output      []string
	lang        string
	sdkdbFiles  []string
	configFile  string
	failOn      string
	quiet       bool
	noTimestamp bool
	noColor     bool
	jobs        int

	sourceRoot     string
	manifestSource string
	maxBytes       int

	config  *audit.Config
	cat     func() (*sdkdb.Catalogue, error)
	outputs []output // where the command's report goes, checked by load
}

// reportAnnotation marks a command with the report.Command its output is:
// load checks --format against it before the command runs.
const reportAnnotation = "report"

// reporting marks cmd as writing output of report.Command c.
func reporting(c report.Command, cmd *cobra.Command) *cobra.Command {
	cmd.Annotations = map[string]string{reportAnnotation: string(c)}
	return cmd
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "apkaudit",
		Short: "Audit Android builds against their Chinese privacy policies",
		Long: `apkaudit reads an Android build (APK, AAB, split bundle, JAR/AAR, DEX or a bare
AndroidManifest.xml) and its privacy policy (隐私政策 and 第三方SDK共享清单 in text,
HTML, Markdown, DOCX or PDF), and reports every permission and third-party SDK the
build embeds that the policy does not disclose, SDK rows without the fields
regulators require, and stale disclosures.

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it,
2 usage error or unreadable input.`,
		Version:       "-", // --version prints versionText (the template below)
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return g.load(cmd)
		},
	}
	f := root.PersistentFlags()
	f.StringVar(&g.format, "format", "table", "output format: "+strings.Join(report.Names(), "|")+" (batch: jsonl)")
	f.StringArrayVarP(&g.output, "output", "o", nil, "write the report to FILE (its extension picks the format unless --format is given), or FORMAT=FILE; repeatable (- is standard output)")
	f.StringVar(&g.lang, "lang", "", "language of the report and messages: zh or en (default: zh when LC_ALL, else LC_MESSAGES, else LANG starts with zh)")
	f.StringArrayVar(&g.sdkdbFiles, "sdkdb", nil, "extra SDK catalogue FILE merged over the embedded one (repeatable)")
	f.StringVar(&g.configFile, "config", "", "config FILE (default .apkaudit.yaml when present)")
	f.StringVar(&g.failOn, "fail-on", "", "exit 1 when a finding is at or above: high|medium|low|info|none (default high)")
	f.BoolVarP(&g.quiet, "quiet", "q", false, "no progress or notes on stderr")
	f.BoolVar(&g.noTimestamp, "no-timestamp", false, "leave timestamps out of reports (byte-identical output)")
	f.BoolVar(&g.noColor, "no-color", false, "no colour in the table on a terminal (NO_COLOR=1 does the same)")
	f.IntVar(&g.jobs, "jobs", 0, "DEX files (or artifacts in batch) processed at once (default: number of CPUs)")
	f.StringVar(&g.sourceRoot, "source-root", "", "repository root DIR: SARIF paths are relative to it, and findings point at the src/main/AndroidManifest.xml under it (default: the working directory, no manifest)")
	f.IntVar(&g.maxBytes, "max-bytes", 60000, "the most a Markdown report holds (a comment's limit; GitHub's is 65,536): past it the lowest-severity findings are left out, with a note; 0 for no limit")
	f.StringVar(&g.manifestSource, "manifest-source", "", "the app's source AndroidManifest.xml FILE, whose lines build-side findings point at")
	cobra.AddTemplateFunc("apkauditVersion", func() string {
		b, _ := versionInfo()
		return b.versionText()
	})
	root.SetVersionTemplate("{{apkauditVersion}}")
	root.AddCommand(newInspect(g), newPolicy(g), newCheck(g), newDiff(g), newBatch(g), newSDKDB(g), newVersion(g))
	return root
}

// load validates the global flags, reads the config file, and picks the
// renderer of the command's output: a format that cannot show it is a usage
// error here, before any file is read.
func (g *globals) load(cmd *cobra.Command) error {
	if _, err := report.Lookup(g.format); err != nil {
		return err
	}
	if c, ok := cmd.Annotations[reportAnnotation]; ok {
		def := "table"
		if c == string(report.CommandBatch) {
			def = "jsonl" // batch writes JSON lines unless told otherwise
		}
		outs, err := outputs(g.output, g.format, cmd.Flags().Changed("format"), report.Command(c), def)
		if err != nil {
			return err
		}
		if c == string(report.CommandBatch) && len(outs) > 1 {
			return fmt.Errorf("--output: batch writes one JSON lines output")
		}
		g.outputs = outs
	}
	switch g.lang {
	case "":
		g.lang = localeLang()
	case "zh", "en":
	default:
		lang := g.lang
		g.lang = "" // the error itself is worded for the environment's language
		return usagef("--lang %q: want zh or en", "--lang %q：只能是 zh 或 en", lang)
	}
	path := g.configFile
	if path == "" {
		if _, err := os.Stat(".apkaudit.yaml"); err == nil {
			path = ".apkaudit.yaml"
		}
	}
	g.config = &audit.Config{}
	if path != "" {
		c, err := audit.LoadConfig(path)
		if err != nil {
			return &scan.InputError{Path: path, Err: err}
		}
		g.config = c
	}
	if g.failOn == "" {
		g.failOn = g.config.FailOn
	}
	if g.failOn == "" {
		g.failOn = "high"
	}
	if _, err := audit.ParseSeverity(g.failOn); err != nil {
		return usagef("--fail-on %q: want high, medium, low, info or none", "--fail-on %q：只能是 high、medium、low、info 或 none", g.failOn)
	}
	return nil
}

// langFromArgs is the --lang of args, for an error found before the flags
// were parsed (an unknown command or flag), else def.
func langFromArgs(args []string, def string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return def
		case a == "--lang" && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--lang="):
			return strings.TrimPrefix(a, "--lang=")
		}
	}
	return def
}

// localeLang is the language the environment asks for: the first of
// LC_ALL, LC_MESSAGES and LANG that is set decides, as POSIX orders them;
// zh when it starts with zh, en otherwise.
func localeLang() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if strings.HasPrefix(l, "zh") {
				return "zh"
			}
			return "en"
		}
	}
	return "en"
}

func (g *globals) threshold() audit.Severity {
	s, _ := audit.ParseSeverity(g.failOn)
	return s
}

// catalogue returns the embedded catalogue merged with config and --sdkdb files,
// loaded once.
func (g *globals) catalogue() (*sdkdb.Catalogue, error) {
	if g.cat == nil {
		g.cat = sync.OnceValues(g.loadCatalogue)
	}
	return g.cat()
}

func (g *globals) loadCatalogue() (*sdkdb.Catalogue, error) {
	c, err := sdkdb.Embedded()
	if err != nil {
		return nil, fmt.Errorf("embedded catalogue: %w", err)
	}
	for _, f := range append(append([]string{}, g.config.Catalogues...), g.sdkdbFiles...) {
		extra, err := sdkdb.LoadFile(f)
		if err != nil {
			return nil, err // it names the file
		}
		c = sdkdb.Merge(c, extra)
	}
	if err := sdkdb.WithinLimits(c); err != nil {
		return nil, fmt.Errorf("sdkdb: %w", err)
	}
	return c, nil
}

// scanOptions are the options every scan starts from: the catalogue, the
// config (severities, waivers) and today's date.
func (g *globals) scanOptions() (scan.Options, error) {
	cat, err := g.catalogue()
	if err != nil {
		return scan.Options{}, err
	}
	return scan.Options{Jobs: g.jobs, Catalogue: cat, Config: g.config, Now: g.now()}, nil
}

func (g *globals) reportOptions(cat *sdkdb.Catalogue) report.Options {
	o := report.Options{Lang: g.lang, FailOn: g.threshold(), NoTimestamp: g.noTimestamp, MaxBytes: g.maxBytes,
		Tool: report.Tool{Name: "apkaudit", Version: toolVersion()}}
	if cat != nil {
		o.Tool.SDKDBVersion = cat.Version
	}
	return o
}

// finish writes the view to every output, prints the results' notes on
// stderr, and turns the verdict into the exit code's error.
func (g *globals) finish(v *report.View, results ...*audit.Result) error {
	if err := g.render(v); err != nil {
		return err
	}
	failing := false
	for _, r := range results {
		for _, n := range r.Notes {
			g.note("%s", n)
		}
		failing = failing || r.Fails(g.threshold())
	}
	if failing {
		return errFindings
	}
	return nil
}

func (g *globals) note(format string, args ...any) {
	if !g.quiet {
		fmt.Fprintln(g.stderr, "apkaudit: "+oneLine(fmt.Sprintf(format, args...)))
	}
}

// policyFiles returns the --policy files, or the config's policies when none were given.
func (g *globals) policyFiles(flag []string) []string {
	if len(flag) > 0 {
		return flag
	}
	return g.config.Policies
}
