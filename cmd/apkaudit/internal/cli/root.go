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
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/limits"
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
// a batch then stops with every line written so far whole, and a command
// that a signal stopped exits 128 + the signal's number (130 for SIGINT,
// 143 for SIGTERM), as Unix tools do, with one stderr line saying it was
// interrupted. A second signal ends the process at once. Under a memory
// ceiling the Go heap is held below it first (limits.FitRuntime).
func Run(args []string, stdout, stderr io.Writer) (code int) {
	limits.FitRuntime() // under prlimit or a container's memory.max, collect before the ceiling
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
	ctx, caught, stop := notifySignals(context.Background())
	defer stop()
	g := &globals{stdout: stdout, stderr: stderr, now: time.Now}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	sig := caught()
	switch {
	case sig != 0 && err != nil:
		if err.Error() == context.Canceled.Error() {
			err = fmt.Errorf("interrupted by %s", signalName(sig))
		} else {
			err = fmt.Errorf("interrupted by %s; %w", signalName(sig), err)
		}
		zh := g.lang == "zh" || g.lang == "" && langFromArgs(args, localeLang()) == "zh"
		fmt.Fprintln(stderr, "apkaudit: "+oneLine(errorText(err, zh)))
		return 128 + int(sig)
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

// notifySignals returns ctx cancelled on the first SIGINT or SIGTERM, a
// func that tells which signal that was (0 for none), and stop, which
// stops listening. After the first signal the default action is restored,
// so a second one ends the process at once.
func notifySignals(parent context.Context) (ctx context.Context, caught func() syscall.Signal, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var got atomic.Int32
	quit := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			if n, ok := s.(syscall.Signal); ok {
				got.Store(int32(n))
			}
			signal.Stop(ch)
			cancel()
		case <-quit:
		}
	}()
	var once sync.Once
	return ctx, func() syscall.Signal { return syscall.Signal(got.Load()) }, func() {
		once.Do(func() {
			signal.Stop(ch)
			close(quit)
			cancel()
		})
	}
}

// signalName is "SIGINT" or "SIGTERM".
func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "SIGINT"
	case syscall.SIGTERM:
		return "SIGTERM"
	}
	return s.String()
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
	configPath  string // the config file read: --config, else .apkaudit.yaml when present
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
	outputs []output    // where the command's report goes, checked by load
	inputs  []inputFile // what the command reads, which openOutput never overwrites
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
2 usage error or unreadable input; 130 (SIGINT) or 143 (SIGTERM) when a
signal stopped the run, 128 + the signal as Unix tools do.`,
		Version:       "-", // --version prints versionText (the template below)
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := g.load(cmd); err != nil {
				return err
			}
			g.collectInputs(cmd, args)
			return nil
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
	f.IntVar(&g.jobs, "jobs", 0, fmt.Sprintf("DEX files (or artifacts in batch) processed at once (default: number of CPUs; at most %d, 4 per CPU)", maxJobs()))
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
	if err := g.capJobs(); err != nil {
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
	g.configPath = path
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

// maxJobs is the most --jobs apkaudit runs at once: 4 per CPU. More would
// only start goroutines that wait for a core (or, with a huge number, run
// the process out of memory before any work is done).
func maxJobs() int { return 4 * runtime.NumCPU() }

// capJobs refuses a negative --jobs and caps a large one at maxJobs, with
// a note. It is the one place --jobs is checked: inspect, check and diff
// (DEX files at once) and batch (artifacts at once) all read g.jobs after it.
func (g *globals) capJobs() error {
	switch m := maxJobs(); {
	case g.jobs < 0:
		return usagef("--jobs %d: want a positive number (0 or none for the number of CPUs)",
			"--jobs %d：必须是正数（0 或不指定则为 CPU 数）", g.jobs)
	case g.jobs > m:
		g.note("--jobs %d: capped at %d (4 per CPU)", g.jobs, m)
		g.jobs = m
	}
	return nil
}

// collectInputs records the files the command reads (addInputs), which no
// output may overwrite: its arguments (artifacts, policy documents,
// catalogue files), --policy (or the config's policies), --config (or
// .apkaudit.yaml), --baseline, --sdkdb (and the config's catalogues),
// --manifest-source, and --skip-done, which only a batch's own lines may
// be appended to. Batch adds the artifacts it finds in directories.
func (g *globals) collectInputs(cmd *cobra.Command, args []string) {
	g.addInputs("the input", false, args...)
	if p, err := cmd.Flags().GetStringArray("policy"); err == nil {
		g.addInputs("--policy", false, g.policyFiles(p)...)
	}
	g.addInputs("--config", false, g.configPath)
	g.addInputs("--sdkdb", false, append(append([]string{}, g.config.Catalogues...), g.sdkdbFiles...)...)
	g.addInputs("--manifest-source", false, g.manifestSource)
	if p, err := cmd.Flags().GetString("baseline"); err == nil {
		g.addInputs("--baseline", false, p)
	}
	if p, err := cmd.Flags().GetString("skip-done"); err == nil {
		g.addInputs("--skip-done", true, p)
	}
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
			var nr *limits.NotRegularError
			switch {
			case errors.As(err, &nr):
				return nil, nr // "FILE: not a regular file (FIFO)"
			case strings.Contains(err.Error(), f):
				return nil, err // the catalogue's errors name the file and line
			}
			return nil, &scan.InputError{Path: f, Err: err}
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
