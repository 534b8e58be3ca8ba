// Package lazyre compiles package-level regular expressions on first use.
//
// A regexp.MustCompile in a package variable runs at every process start,
// whether or not the command uses it; with a few dozen patterns across the
// policy and document readers that is a measurable share of the start-up of
// a one-shot CI command (apkaudit inspect never reads a policy). New defers
// the work, as the standard library's internal/lazyregexp does.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles pattern on its first call and returns
// the same *regexp.Regexp on every call. It panics, like regexp.MustCompile,
// if pattern does not compile: the patterns are constants, so the tests find
// a bad one.
func New(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
