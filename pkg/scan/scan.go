// Package scan is apkaudit's library facade: it wires the readers, the SDK
// matcher, the policy extractor and the rules into the operations the CLI
// offers (Inspect, Policy, Check, Diff, Batch). Renderers read what it returns.
package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/diff"
	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/limits"
	"github.com/apkaudit/apkaudit/pkg/policy"
	"github.com/apkaudit/apkaudit/pkg/sdk"
	"github.com/apkaudit/apkaudit/sdkdb"
)

// Options configure a scan.
type Options struct {
	Limits      limits.Limits
	Jobs        int
	NoCode      bool
	KeepClasses bool
	// Catalogue is the SDK catalogue (the embedded one merged with user files).
	Catalogue *sdkdb.Catalogue
	// LoadCatalogue, used by Inspect when Catalogue is nil, loads it while the
	// artifact is being read (start-up time counts for one-build CI runs).
	LoadCatalogue func() (*sdkdb.Catalogue, error)
	// Config holds severity overrides; waivers and baselines are applied by the caller.
	Config *audit.Config
}

// InputError is an input that could not be read at all: the CLI exits 2 with its one-line message.
type InputError struct {
	Path string
	Err  error
}

// Error names the file once: readers that already put the path in their message are not prefixed again.
func (e *InputError) Error() string {
	msg := e.Err.Error()
	if i := strings.Index(msg, e.Path+": "); i >= 0 {
		return e.Path + ": " + msg[:i] + msg[i+len(e.Path)+2:]
	}
	return e.Path + ": " + msg
}
func (e *InputError) Unwrap() error { return e.Err }

// Inspect reads one artifact and detects its SDKs. Its findings are only unanalysed-code.
// The matcher is built while the archive is opened and inflated; DEX parsing
// asks it for wanted string constants only when it needs them.
func Inspect(path string, opt Options) (*audit.Result, error) {
	catalogue := sync.OnceValues(func() (*sdkdb.Catalogue, error) {
		if opt.Catalogue != nil || opt.LoadCatalogue == nil {
			return opt.Catalogue, nil
		}
		return opt.LoadCatalogue()
	})
	matcher := sync.OnceValue(func() *sdk.Matcher {
		c, err := catalogue()
		if err != nil || c == nil {
			c = &sdkdb.Catalogue{} // the error is returned below
		}
		return sdk.NewMatcher(c)
	})
	go matcher()
	f, err := container.Open(path)
	if err != nil {
		return nil, &InputError{Path: path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	inv, err := inventory.Build(context.Background(), f, inventory.Options{
		Limits: opt.Limits, Jobs: opt.Jobs, NoCode: opt.NoCode, KeepClasses: opt.KeepClasses,
		WantStrings: func() []string { return matcher().WantStrings() },
	})
	if err != nil {
		return nil, &InputError{Path: path, Err: err}
	}
	cat, err := catalogue()
	if err != nil {
		return nil, err
	}
	r := &audit.Result{Inventory: inv, SDKs: matcher().Match(inv)}
	r.Findings = audit.Evaluate(audit.Input{Inventory: inv, SDKs: r.SDKs, Catalogue: cat}, opt.Config)
	r.Summary = audit.Summarise(r.Findings)
	return r, nil
}

// recoverInto turns a panic in a goroutine the scan started into *err: the
// CLI's own recover only sees the goroutine it runs on.
func recoverInto(err *error, what string) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("internal error while reading %s: %v", what, p)
	}
}

// ErrNoPolicy is returned by Check when no policy document was given.
var ErrNoPolicy = errors.New("no policy document given (use --policy FILE or set policies in .apkaudit.yaml)")

// Policy reads policy documents into one disclosure.
func Policy(paths []string, opt Options) (*policy.Disclosure, error) {
	if len(paths) == 0 {
		return nil, ErrNoPolicy
	}
	docs := make([]*doctext.Document, 0, len(paths))
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, &InputError{Path: p, Err: unwrapPathError(err)}
		}
		if st.IsDir() {
			return nil, &InputError{Path: p, Err: errors.New("is a directory")}
		}
		d, err := doctext.ReadFile(p, opt.Limits.WithDefaults())
		if err != nil {
			return nil, &InputError{Path: p, Err: err}
		}
		docs = append(docs, d)
	}
	return policy.Extract(docs, policy.Options{Catalogue: opt.Catalogue}), nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Check inspects the artifact, reads the policies and applies every rule.
func Check(path string, policies []string, opt Options) (*audit.Result, error) {
	// The policy is read while the artifact is scanned: the scan keeps one core
	// on its largest DEX and leaves the other partly idle, and a PDF or a long
	// HTML policy takes tens of milliseconds. A policy error still wins over an
	// artifact error, as when the two ran in turn.
	type read struct {
		d   *policy.Disclosure
		err error
	}
	policyRead := make(chan read, 1)
	go func() {
		var pr read
		defer func() { policyRead <- pr }()
		defer recoverInto(&pr.err, "the policy")
		pr.d, pr.err = Policy(policies, opt)
	}()
	r, err := Inspect(path, opt)
	pr := <-policyRead
	if pr.err != nil {
		return nil, pr.err
	}
	if err != nil {
		return nil, err
	}
	return withDisclosure(r, pr.d, opt), nil
}

// CheckDisclosure is Check against a policy already read by Policy: batch
// reads the policy once for all its artifacts.
func CheckDisclosure(path string, d *policy.Disclosure, opt Options) (*audit.Result, error) {
	r, err := Inspect(path, opt)
	if err != nil {
		return nil, err
	}
	return withDisclosure(r, d, opt), nil
}

// withDisclosure re-evaluates an inspect result against the policy d.
func withDisclosure(r *audit.Result, d *policy.Disclosure, opt Options) *audit.Result {
	r.Disclosure = d
	r.Findings = audit.Evaluate(audit.Input{Inventory: r.Inventory, SDKs: r.SDKs, Disclosure: d, Catalogue: opt.Catalogue}, opt.Config)
	r.Summary = audit.Summarise(r.Findings)
	return r
}

// DiffResult is what changed between two builds and, when policies were
// given, the findings about what was added.
type DiffResult struct {
	Diff *diff.Result
	// Findings are the check findings on added permissions and SDKs (nil without a policy).
	Findings   []audit.Finding
	Disclosure *policy.Disclosure
}

// Diff compares two builds; with policies it also checks what the new build added.
func Diff(oldPath, newPath string, policies []string, opt Options) (*DiffResult, error) {
	// The policy and the old build are read while the new build is scanned;
	// errors are reported in that order (policy, old, new), as when they ran in turn.
	var (
		d              *policy.Disclosure
		oldR           *audit.Result
		errPol, errOld error
		wg             sync.WaitGroup
	)
	if len(policies) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer recoverInto(&errPol, "the policy")
			d, errPol = Policy(policies, opt)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer recoverInto(&errOld, oldPath)
		oldR, errOld = Inspect(oldPath, opt)
	}()
	newR, errNew := Inspect(newPath, opt)
	wg.Wait()
	for _, err := range []error{errPol, errOld, errNew} {
		if err != nil {
			return nil, err
		}
	}
	res := &DiffResult{Diff: diff.Compare(diff.Build{Inventory: oldR.Inventory, SDKs: oldR.SDKs},
		diff.Build{Inventory: newR.Inventory, SDKs: newR.SDKs}), Disclosure: d}
	if d == nil {
		return res, nil
	}
	added := map[string]bool{}
	for _, p := range res.Diff.AddedPermissions {
		added[p.Name] = true
	}
	for _, s := range res.Diff.AddedSDKs {
		added[s.ID()] = true
	}
	all := audit.Evaluate(audit.Input{Inventory: newR.Inventory, SDKs: newR.SDKs, Disclosure: d, Catalogue: opt.Catalogue}, opt.Config)
	res.Findings = []audit.Finding{}
	for _, f := range all {
		switch f.Rule {
		case audit.RuleUndisclosedPermission, audit.RuleUndisclosedPermissionNormal, audit.RuleUndisclosedSDK,
			audit.RuleUndisclosedSDKData, audit.RuleIncompleteSDKDisclosure:
			if added[f.Subject] {
				res.Findings = append(res.Findings, f)
			}
		}
	}
	return res, nil
}
