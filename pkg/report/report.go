// Package report renders what apkaudit found in every --format it offers:
// table, json, jsonl, sarif, junit, markdown and html. It sits at the end of
// the pipeline and never calls a reader.
//
// A command's results become one View (NewView, NewDiffView,
// NewCatalogueView): the view model every renderer reads, built and sorted
// once, so that the formats cannot disagree on an order, a count or a
// verdict. Every renderer implements Renderer; Renderers is the one list of
// them, and For finds the one for a --format and says, before any scan
// starts, when it cannot show what a command produces.
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/srcmanifest"
)

// Command names what a View shows; it picks the sections renderers write.
type Command string

// The commands whose output a View holds.
const (
	CommandInspect Command = "inspect"
	CommandPolicy  Command = "policy"
	CommandCheck   Command = "check"
	CommandDiff    Command = "diff"
	// CommandBatch is one line of batch output: an inspect or check result, or an error.
	CommandBatch Command = "batch"
	// CommandSDKDB is sdkdb list or sdkdb show.
	CommandSDKDB Command = "sdkdb"
)

// Tool identifies the program that produced a report.
type Tool struct {
	Name         string // "apkaudit" when empty
	Version      string
	SDKDBVersion string
}

// Options control how a view is built and rendered.
type Options struct {
	// Lang is "zh" or "en" (default). It picks headings and finding messages in
	// table, markdown, html and sarif; JSON always carries both languages.
	Lang string
	// Tool names the program and its catalogue version.
	Tool Tool
	// FailOn is the --fail-on threshold. Its zero value is audit.Info, so callers
	// must set it (the CLI defaults to audit.High); audit.None never fails.
	FailOn audit.Severity
	// NoTimestamp leaves out every timestamp so output is byte-for-byte reproducible.
	// Only sarif, junit and html ever carry one.
	NoTimestamp bool
	// Now is the report time when NoTimestamp is false; time.Now() when zero.
	Now time.Time
	// Classes lists class names (inspect --classes) where the inventory kept them.
	Classes bool
	// Width is the terminal width the table format fits (0: 120 columns).
	Width int
	// Color colours severities and the verdict in the table format (a
	// terminal that wants it: not with NO_COLOR or --no-color).
	Color bool
	// MaxBytes is the most a Markdown report may hold (--max-bytes; a
	// comment's limit): past it the lowest-severity findings are left out,
	// and a note says how many. 0 is no limit.
	MaxBytes int
	// SourceRoot is the absolute directory SARIF's URIs are relative to
	// (originalUriBaseIds SRCROOT): the repository root. When empty, paths
	// are written cleaned, relative to wherever they were given from.
	SourceRoot string
	// WorkDir is the absolute directory relative input paths were given
	// from; the process's working directory when empty.
	WorkDir string
	// Source is the app's source manifest (--source-root, --manifest-source):
	// when set, build-side findings point at its lines.
	Source *srcmanifest.Manifest
}

// A Renderer writes a View in one --format. It never closes w.
type Renderer interface {
	// Name is the --format value.
	Name() string
	// Extensions are the file name endings that pick the renderer for a
	// plain --output FILE (".sarif"), lower case.
	Extensions() []string
	// Shows reports whether the renderer can write the output of command c.
	Shows(c Command) bool
	// Render writes v to w.
	Render(w io.Writer, v *View) error
}

// Renderers returns every renderer, in the order --help lists them.
func Renderers() []Renderer {
	return []Renderer{tableRenderer{}, jsonRenderer{}, jsonlRenderer{}, sarifRenderer{}, junitRenderer{}, markdownRenderer{}, htmlRenderer{}}
}

// Names returns the name of every renderer, in Renderers order.
func Names() []string {
	var names []string
	for _, r := range Renderers() {
		names = append(names, r.Name())
	}
	return names
}

// Lookup returns the renderer called name (case-insensitive). Its error lists
// every valid name.
func Lookup(name string) (Renderer, error) {
	for _, r := range Renderers() {
		if strings.EqualFold(r.Name(), name) {
			return r, nil
		}
	}
	return nil, &FormatError{Name: name, Want: Names()}
}

// A FormatError is a --format that does not exist (Command is "") or that
// cannot show what Command produces; Want lists the formats that can.
type FormatError struct {
	Name    string
	Command Command
	Want    []string
}

func (e *FormatError) Error() string {
	if e.Command == "" {
		return fmt.Sprintf("report: unknown format %q (want one of %s)", e.Name, strings.Join(e.Want, ", "))
	}
	return fmt.Sprintf("report: --format %s cannot show %s output (want %s)", e.Name, e.Command, strings.Join(e.Want, " or "))
}

// For returns the renderer called name when it can show what command c
// produces; its error names the formats that can. Call it when the flags are
// read, before any work starts.
func For(name string, c Command) (Renderer, error) {
	r, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if !r.Shows(c) {
		return nil, &FormatError{Name: r.Name(), Command: c, Want: FormatsFor(c)}
	}
	return r, nil
}

// ForPath returns the renderer whose extension the file name path ends with
// (case-insensitive; the longest ending wins, so a.sarif.json is SARIF), and
// whether there is one.
func ForPath(path string) (Renderer, bool) {
	name := strings.ToLower(path)
	var best Renderer
	bestLen := 0
	for _, r := range Renderers() {
		for _, ext := range r.Extensions() {
			if strings.HasSuffix(name, ext) && len(ext) > bestLen {
				best, bestLen = r, len(ext)
			}
		}
	}
	return best, best != nil
}

// FormatsFor returns the names of the renderers that show command c, in Renderers order.
func FormatsFor(c Command) []string {
	var names []string
	for _, r := range Renderers() {
		if r.Shows(c) {
			names = append(names, r.Name())
		}
	}
	return names
}

// shows reports whether c is one of cs: the Shows of most renderers.
func shows(c Command, cs ...Command) bool {
	for _, x := range cs {
		if c == x {
			return true
		}
	}
	return false
}

// reports are the commands whose output is a report on builds or policies:
// every format shows them.
var reports = []Command{CommandInspect, CommandPolicy, CommandCheck, CommandDiff}

func (o Options) zh() bool { return o.Lang == "zh" }

func (o Options) toolName() string {
	if o.Tool.Name == "" {
		return "apkaudit"
	}
	return o.Tool.Name
}

// now returns the report time, or the zero time with NoTimestamp.
func (o Options) now() time.Time {
	switch {
	case o.NoTimestamp:
		return time.Time{}
	case o.Now.IsZero():
		return time.Now().UTC()
	default:
		return o.Now.UTC()
	}
}

// message returns a finding's message in the report language, falling back to the other one.
func (o Options) message(f audit.Finding) string {
	if o.zh() && f.MessageZh != "" || f.Message == "" {
		return f.MessageZh
	}
	return f.Message
}
