package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress draws one status line on stderr ("apkaudit  37/375  10%  3.1/s")
// while batch works, only when stderr is a terminal and --quiet is off: CI
// logs never get one. It is a few lines instead of a progress-bar library,
// which pulled net/http and crypto/tls into every start of the binary.
type progress struct {
	mu      sync.Mutex
	w       io.Writer // nil: draw nothing
	total   int
	done    int
	start   time.Time
	drawn   time.Time
	now     func() time.Time
	every   time.Duration // redraw at most this often
	written bool
}

func newProgress(g *globals, total int) *progress {
	f, ok := g.stderr.(*os.File)
	if g.quiet || !ok || !term.IsTerminal(int(f.Fd())) || total < 2 {
		return &progress{}
	}
	return newProgressLine(f, total, time.Now)
}

// newProgressLine draws on w whatever it is (newProgress decides whether to draw at all).
func newProgressLine(w io.Writer, total int, now func() time.Time) *progress {
	return &progress{w: w, total: total, now: now, start: now(), every: 100 * time.Millisecond}
}

// add counts one finished artifact and redraws the line when it is due (and on the last one).
func (p *progress) add() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	t := p.now()
	if p.done < p.total && p.written && t.Sub(p.drawn) < p.every {
		return
	}
	p.drawn = t
	p.written = true
	rate := ""
	if s := t.Sub(p.start).Seconds(); s > 0 {
		rate = fmt.Sprintf("  %.1f/s", float64(p.done)/s)
	}
	fmt.Fprintf(p.w, "\r\x1b[Kapkaudit  %d/%d  %d%%%s", p.done, p.total, p.done*100/p.total, rate)
}

// finish clears the line, so the summary that follows starts on a clean one.
func (p *progress) finish() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.written {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
