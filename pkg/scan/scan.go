// Package scan is apkaudit's library facade: it wires the readers, the SDK
// matcher, the policy extractor and the rules into the operations the CLI
// offers (Inspect, Policy, Check, Diff, Batch), and returns finished results:
// the rules ran and the review (waivers, baseline, strict mode, today's date,
// all from Options) was applied, alike for every command. Renderers read what
// it returns.
package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/container"
	"github.com/apkaudit/apkaudit/pkg/diff"
	"github.com/apkaudit/apkaudit/pkg/doctext"
	"github.com/apkaudit/apkaudit/pkg/inventory"
	"github.com/apkaudit/apkaudit/pkg/inventory/collect"
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
	// Config holds the severity overrides and the waivers.
	Config *audit.Config
	// Baseline holds known findings, waived as "in baseline".
	Baseline *audit.Baseline
	// StrictWaivers makes a waiver that matches no finding fail the result.
	StrictWaivers bool
	// Now is the day waivers expire against; time.Now() when zero.
	Now time.Time
}

// review is the review every result gets before it is returned.
func (o Options) review() audit.Review {
	return audit.Review{Config: o.Config, Baseline: o.Baseline, StrictWaivers: o.StrictWaivers, Now: o.Now}
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

// Inspect reads one artifact and detects its SDKs. Its findings are
// unanalysed-code only, reviewed like any other.
func Inspect(ctx context.Context, path string, opt Options) (*audit.Result, error) {
	return CheckDisclosure(ctx, path, nil, opt)
}

// scanned is an artifact read and matched, before the rules: its result and
// the catalogue it was matched against.
type scanned struct {
	r   *audit.Result
	cat *sdkdb.Catalogue
}

// inspect reads the artifact and matches its SDKs, without rules. The
// matcher is built on the scan pool while the largest DEX is inflated; DEX
// parsing asks it for wanted string constants only when it needs them.
//
// beside, when not nil, runs on the scan pool with the matcher's build,
// while the largest DEX is inflated (Check reads the policy there); the
// caller runs it itself if the artifact did not open.
func inspect(ctx context.Context, path string, opt Options, beside func()) (scanned, error) {
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
	f, err := container.Open(path)
	if err != nil {
		if m := artifactMistake(path, err); m != nil {
			err = m
		}
		return scanned{}, &InputError{Path: path, Err: unwrapPathError(err)}
	}
	defer f.Close()
	inv, err := collect.Build(ctx, f, collect.Options{
		Limits: opt.Limits.FitAddressSpace(1), Jobs: opt.Jobs, NoCode: opt.NoCode, KeepClasses: opt.KeepClasses,
		WantStrings:  func() []string { return matcher().WantStrings() },
		WantVersions: func() inventory.VersionQuery { return matcher().VersionQuery() },
		// Built on the pool beside the largest DEX, while it is inflated.
		Prepare: func() {
			if beside != nil {
				defer beside()
			}
			matcher()
		},
	})
	if err != nil {
		if ctx.Err() != nil {
			return scanned{}, ctx.Err()
		}
		if m := artifactMistake(path, err); m != nil {
			err = m
		}
		return scanned{}, &InputError{Path: path, Err: err}
	}
	cat, err := catalogue()
	if err != nil {
		return scanned{}, err
	}
	dets := matcher().Match(inv)
	reads := matcher().Attribute(inv, dets)
	return scanned{&audit.Result{Inventory: inv, SDKs: sdk.WithCodeEvidence(dets, reads), Reads: reads}, cat}, nil
}

// finish applies the rules to s against the policy d (nil for inspect), and
// then the review: the one way every result is finished.
func finish(s scanned, d *policy.Disclosure, opt Options) *audit.Result {
	r := s.r
	r.Disclosure = d
	r.Findings = audit.Evaluate(audit.Input{Inventory: r.Inventory, SDKs: r.SDKs, Reads: r.Reads, Disclosure: d, Catalogue: s.cat}, opt.Config)
	opt.review().Apply(r)
	return r
}

// goSafe runs f on a goroutine of its own and returns a channel that
// delivers its error once: a panic in f is that error. Every goroutine the
// scan starts is rooted here (or in a batch worker), because a panic off the
// caller's goroutine would otherwise end the process.
func goSafe(what string, f func() error) <-chan error {
	done := make(chan error, 1)
	go func() {
		var err error
		defer func() { done <- err }()
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("internal error while reading %s: %v", what, p)
			}
		}()
		err = f()
	}()
	return done
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
		if isURL(p) {
			return nil, &InputError{Path: p, Err: &MistakeError{Mistake: URLInput}}
		}
		st, err := os.Stat(p)
		if err != nil {
			return nil, &InputError{Path: p, Err: unwrapPathError(err)}
		}
		if st.IsDir() {
			return nil, &InputError{Path: p, Err: errors.New("is a directory")}
		}
		if k := artifactKind(p); k != "" {
			return nil, &InputError{Path: p, Err: &MistakeError{Mistake: ArtifactAsPolicy, Kind: k}}
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
func Check(ctx context.Context, path string, policies []string, opt Options) (*audit.Result, error) {
	// The policy is read while the artifact is scanned, on the scan pool
	// beside the largest DEX (inspect's beside): the scan keeps one core on
	// that DEX and leaves the other partly idle, and a PDF or a long HTML
	// policy takes tens of milliseconds. A policy error still wins over an
	// artifact error, as when the two ran in turn.
	var (
		d    *policy.Disclosure
		perr error
	)
	readPolicy := sync.OnceFunc(func() {
		perr = <-goSafe("the policy", func() (err error) {
			d, err = Policy(policies, opt)
			return err
		})
	})
	r, err := inspect(ctx, path, opt, readPolicy)
	readPolicy() // the artifact did not open: read it now
	if perr != nil {
		return nil, perr
	}
	if err != nil {
		return nil, err
	}
	return finish(r, d, opt), nil
}

// CheckDisclosure is Check against a policy already read by Policy (batch
// reads the policy once for all its artifacts); a nil d is Inspect.
func CheckDisclosure(ctx context.Context, path string, d *policy.Disclosure, opt Options) (*audit.Result, error) {
	r, err := inspect(ctx, path, opt, nil)
	if err != nil {
		return nil, err
	}
	return finish(r, d, opt), nil
}

// DiffResult is what changed between two builds, and the finished result of
// the new build: its findings are those about what it added (none without a
// policy), reviewed like a check.
type DiffResult struct {
	Diff   *diff.Result
	Result *audit.Result
}

// Diff compares two builds; with policies it also checks what the new build added.
func Diff(ctx context.Context, oldPath, newPath string, policies []string, opt Options) (*DiffResult, error) {
	// The policy and the old build are read while the new build is scanned;
	// errors are reported in that order (policy, old, new), as when they ran in turn.
	var (
		d    *policy.Disclosure
		oldS scanned
	)
	policyRead := goSafe("the policy", func() (err error) {
		if len(policies) > 0 {
			d, err = Policy(policies, opt)
		}
		return err
	})
	oldRead := goSafe(oldPath, func() (err error) {
		oldS, err = inspect(ctx, oldPath, opt, nil)
		return err
	})
	newS, errNew := inspect(ctx, newPath, opt, nil)
	for _, err := range []error{<-policyRead, <-oldRead, errNew} {
		if err != nil {
			return nil, err
		}
	}
	oldR, newR := oldS.r, newS.r
	res := &DiffResult{Diff: diff.Compare(diff.Build{Inventory: oldR.Inventory, SDKs: oldR.SDKs, Reads: oldR.Reads},
		diff.Build{Inventory: newR.Inventory, SDKs: newR.SDKs, Reads: newR.Reads})}
	if d == nil {
		res.Result = newR // no policy, no rules: nothing to review
		return res, nil
	}
	// The review sees every finding of the new build, as check would, so its
	// notes about waivers are the same; the diff then keeps those about what
	// the release added.
	res.Result = finish(newS, d, opt)
	kept := res.Result.Findings[:0]
	for _, f := range res.Result.Findings {
		if res.Diff.Added(f.Subject) {
			kept = append(kept, f)
		}
	}
	res.Result.Findings = kept
	return res, nil
}
