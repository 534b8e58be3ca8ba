package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/apkaudit/apkaudit/pkg/limits"
)

// Config is the content of .apkaudit.yaml.
type Config struct {
	// Policies are policy documents used when --policy is not given.
	Policies []string `yaml:"policies"`
	// FailOn is the default --fail-on ("high" when empty).
	FailOn string `yaml:"fail-on"`
	// Severity overrides a rule's default severity: {undisclosed-permission-normal: low}.
	Severity map[string]Severity `yaml:"-"`
	// Catalogues are extra SDK catalogue files merged over the embedded one.
	Catalogues []string `yaml:"sdkdb"`
	// Waivers are reviewed exceptions.
	Waivers []Waiver `yaml:"waivers"`

	RawSeverity map[string]string `yaml:"severity"`
}

// Waiver suppresses one finding (rule + subject) until it expires.
type Waiver struct {
	Rule    string `yaml:"rule" json:"rule"`
	Subject string `yaml:"subject" json:"subject"`
	Reason  string `yaml:"reason" json:"reason"`
	// Expires is a date (2006-01-02); empty means never.
	Expires string `yaml:"expires" json:"expires,omitempty"`
	Owner   string `yaml:"owner" json:"owner,omitempty"`
}

// LoadConfig reads and validates a config file.
func LoadConfig(path string) (*Config, error) {
	data, err := limits.ReadFileAtMost(path, limits.ConfigSize, "config file size")
	if err != nil {
		return nil, err
	}
	return ParseConfig(data)
}

// ParseConfig decodes config YAML strictly (unknown keys are errors, with line numbers).
func ParseConfig(data []byte) (*Config, error) {
	if err := checkKeys(data); err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config: %w", err)
	}
	// A second document would be ignored silently: its waivers, severities
	// and policies would not apply. It is an error instead.
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, fmt.Errorf("config: %w", err)
	default:
		return nil, fmt.Errorf("config: line %d: a second YAML document starts here (---): a config file holds one", next.Line)
	}
	c.Severity = map[string]Severity{}
	for rule, name := range c.RawSeverity {
		if _, ok := LookupRule(rule); !ok {
			return nil, fmt.Errorf("config: severity: unknown rule %q", rule)
		}
		s, err := ParseSeverity(name)
		if err != nil || s == None {
			return nil, fmt.Errorf("config: severity of %s: %q is not high, medium, low or info", rule, name)
		}
		c.Severity[rule] = s
	}
	if c.FailOn != "" {
		if _, err := ParseSeverity(c.FailOn); err != nil {
			return nil, fmt.Errorf("config: fail-on: %w", err)
		}
	}
	for i, w := range c.Waivers {
		if _, ok := LookupRule(w.Rule); !ok {
			return nil, fmt.Errorf("config: waivers[%d]: unknown rule %q", i, w.Rule)
		}
		if w.Subject == "" || strings.TrimSpace(w.Reason) == "" {
			return nil, fmt.Errorf("config: waivers[%d]: subject and reason are required", i)
		}
		if w.Expires != "" {
			if _, err := time.Parse(time.DateOnly, w.Expires); err != nil {
				return nil, fmt.Errorf("config: waivers[%d]: expires %q is not a date (YYYY-MM-DD)", i, w.Expires)
			}
		}
	}
	return &c, nil
}

// waiverReport says what the waivers did.
type waiverReport struct {
	// Expired waivers matched a finding but no longer suppress it.
	Expired []Waiver
	// Unused waivers matched no finding.
	Unused []Waiver
}

// applyWaivers marks findings that a current waiver covers. A waiver whose
// expiry date is before today stops suppressing and is listed as expired; a
// waiver that matches nothing is listed as unused.
func (c *Config) applyWaivers(f []Finding, today time.Time) waiverReport {
	var rep waiverReport
	if c == nil {
		return rep
	}
	day := today.Format(time.DateOnly)
	for _, w := range c.Waivers {
		matched := false
		for i := range f {
			if f[i].Rule != w.Rule || f[i].Subject != w.Subject {
				continue
			}
			matched = true
			if w.Expires != "" && w.Expires < day {
				f[i].WaiverReason = fmt.Sprintf("waiver expired on %s (%s)", w.Expires, w.Reason)
				continue
			}
			f[i].Waived = true
			f[i].WaiverReason = w.Reason
			if w.Owner != "" {
				f[i].WaiverReason += " (" + w.Owner + ")"
			}
		}
		switch {
		case !matched:
			rep.Unused = append(rep.Unused, w)
		case w.Expires != "" && w.Expires < day:
			rep.Expired = append(rep.Expired, w)
		}
	}
	return rep
}

// Baseline is a set of known findings (rule + subject) written by --write-baseline.
type Baseline struct {
	SchemaVersion int            `json:"schema_version"`
	Findings      []BaselineItem `json:"findings"`
}

// BaselineItem identifies one known finding.
type BaselineItem struct {
	Rule    string `json:"rule"`
	Subject string `json:"subject"`
}

// NewBaseline records every unwaived finding.
func NewBaseline(f []Finding) *Baseline {
	b := &Baseline{SchemaVersion: 1, Findings: []BaselineItem{}}
	seen := map[BaselineItem]bool{}
	for _, x := range f {
		it := BaselineItem{x.Rule, x.Subject}
		if x.Waived || seen[it] {
			continue
		}
		seen[it] = true
		b.Findings = append(b.Findings, it)
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		if b.Findings[i].Rule != b.Findings[j].Rule {
			return b.Findings[i].Rule < b.Findings[j].Rule
		}
		return b.Findings[i].Subject < b.Findings[j].Subject
	})
	return b
}

// LoadBaseline reads a baseline file.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := limits.ReadFileAtMost(path, limits.BaselineSize, "baseline file size")
	if err != nil {
		return nil, err
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	if b.SchemaVersion != 1 {
		return nil, fmt.Errorf("baseline: schema_version %d is not 1", b.SchemaVersion)
	}
	return &b, nil
}

// apply marks findings already in the baseline as waived ("in baseline").
func (b *Baseline) apply(f []Finding) {
	if b == nil {
		return
	}
	known := map[BaselineItem]bool{}
	for _, it := range b.Findings {
		known[it] = true
	}
	for i := range f {
		if !f[i].Waived && known[BaselineItem{f[i].Rule, f[i].Subject}] {
			f[i].Waived = true
			f[i].WaiverReason = "in baseline"
		}
	}
}
