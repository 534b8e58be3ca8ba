package audit

import (
	"fmt"
	"time"
)

// Review is how a team's decisions apply to the findings of a result: the
// config's waivers (each until its expiry date), a baseline of known findings,
// and whether a waiver that matches nothing fails the run. pkg/scan applies it
// to every result before it returns one, for every command alike.
type Review struct {
	Config   *Config
	Baseline *Baseline
	// StrictWaivers makes a waiver that matches no finding fail the result.
	StrictWaivers bool
	// Now is the day waivers expire against; time.Now() when zero.
	Now time.Time
}

// Apply marks the findings of r that a current waiver or the baseline covers,
// and notes in r.Notes the waivers that expired and those that matched no
// finding. Only a waiver of a rule that ran can be unused: without a policy
// only unanalysed-code runs, so inspect does not call a waiver of a policy
// rule unused.
func (rv Review) Apply(r *Result) {
	now := rv.Now
	if now.IsZero() {
		now = time.Now()
	}
	rep := rv.Config.applyWaivers(r.Findings, now)
	for _, w := range rep.Expired {
		r.Notes = append(r.Notes, fmt.Sprintf("waiver for %s %s expired on %s: it no longer suppresses the finding", w.Rule, w.Subject, w.Expires))
	}
	for _, w := range rep.Unused {
		if r.Disclosure == nil && w.Rule != RuleUnanalysedCode {
			continue
		}
		r.Notes = append(r.Notes, fmt.Sprintf("waiver for %s %s matches no finding", w.Rule, w.Subject))
		r.UnusedWaivers = append(r.UnusedWaivers, w)
	}
	rv.Baseline.apply(r.Findings)
	r.StrictWaivers = rv.StrictWaivers
}
