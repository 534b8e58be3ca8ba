// Package report renders audit results in every --format apkaudit offers:
// table, json, jsonl, sarif, junit, markdown and html. It sits at the end of
// the pipeline: renderers read only audit.Result (and the inventory, SDK and
// disclosure types it carries) plus Options, and never call a reader.
//
// Every renderer implements Renderer; Renderers is the one list of them and
// Lookup finds one by name, so format names cannot drift apart.
package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/apkaudit/apkaudit/pkg/audit"
)

// Commands a Result can come from; they select which sections a renderer shows.
const (
	CommandInspect = "inspect"
	CommandPolicy  = "policy"
	CommandCheck   = "check"
)

// Tool identifies the program that produced a report.
type Tool struct {
	Name         string // "apkaudit" when empty
	Version      string
	SDKDBVersion string
}

// Options control how results are rendered.
type Options struct {
	// Command is "inspect", "policy" or "check". When empty it is inferred from
	// each Result: a Disclosure without an Inventory is policy, both is check,
	// an Inventory alone is inspect.
	Command string
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
}

// A Renderer writes results in one --format. Render writes one document for
// all results (several artifacts at once); it never closes w.
type Renderer interface {
	// Name is the --format value.
	Name() string
	// Render writes results to w.
	Render(w io.Writer, results []*audit.Result, o Options) error
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
	return nil, fmt.Errorf("report: unknown format %q (want one of %s)", name, strings.Join(Names(), ", "))
}

// command returns the command r was produced by.
func (o Options) command(r *audit.Result) string {
	if o.Command != "" {
		return o.Command
	}
	switch {
	case r.Inventory == nil && r.Disclosure != nil:
		return CommandPolicy
	case r.Inventory != nil && r.Disclosure != nil:
		return CommandCheck
	default:
		return CommandInspect
	}
}

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

// checkResults rejects nil results: a renderer cannot say anything true about them.
func checkResults(results []*audit.Result) error {
	for i, r := range results {
		if r == nil {
			return fmt.Errorf("report: result %d is nil", i)
		}
	}
	return nil
}

// ruleOrder ranks rule ids in audit.Rules order; unknown ids sort last.
func ruleOrder(id string) int {
	for i, r := range audit.Rules() {
		if r.ID == id {
			return i
		}
	}
	return len(audit.Rules())
}

// sortedFindings returns a copy of f ordered by severity (worst first), rule and subject.
func sortedFindings(f []audit.Finding) []audit.Finding {
	out := slices.Clone(f)
	slices.SortStableFunc(out, func(a, b audit.Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity, a.Severity),
			cmp.Compare(ruleOrder(a.Rule), ruleOrder(b.Rule)),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Subject, b.Subject),
		)
	})
	return out
}

// summarize counts unwaived findings per severity. Renderers compute it from
// the findings they print so the two can never disagree.
func summarize(f []audit.Finding) audit.Summary {
	var s audit.Summary
	for _, x := range f {
		if x.Waived {
			continue
		}
		switch x.Severity {
		case audit.High:
			s.High++
		case audit.Medium:
			s.Medium++
		case audit.Low:
			s.Low++
		case audit.Info:
			s.Info++
		}
	}
	return s
}

// countWaived counts waived findings.
func countWaived(f []audit.Finding) int {
	n := 0
	for _, x := range f {
		if x.Waived {
			n++
		}
	}
	return n
}

// fails reports whether f counts against the --fail-on threshold.
func fails(f audit.Finding, failOn audit.Severity) bool {
	return !f.Waived && failOn != audit.None && f.Severity >= failOn
}

// artifactName names a result for headings: the artifact path, else the policy documents.
func artifactName(r *audit.Result) string {
	if r.Inventory != nil && r.Inventory.Artifact.Path != "" {
		return r.Inventory.Artifact.Path
	}
	if r.Disclosure != nil {
		var paths []string
		for _, d := range r.Disclosure.Documents {
			paths = append(paths, d.Path)
		}
		return strings.Join(paths, ", ")
	}
	return ""
}
