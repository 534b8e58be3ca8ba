package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/apkaudit/apkaudit/pkg/audit"
	"github.com/apkaudit/apkaudit/pkg/report"
	"github.com/apkaudit/apkaudit/pkg/scan"
)

func newBatch(g *globals) *cobra.Command {
	var policies []string
	var shard, skipDone string
	cmd := &cobra.Command{
		Use:   "batch PATH... [--jobs N] [--shard I/N]",
		Short: "Inspect (or check) many artifacts: one JSON line per artifact (JSONL)",
		Long: `batch walks files and directories and writes one JSON object per artifact and
line: the inspect object, or the check object with --policy. In a directory a
file is read when its content is an artifact (or its name claims one). An
artifact that cannot be read gives a line {"path": …, "error": …} and the batch
goes on; so does every file of a directory that batch skips (a FIFO, socket
or device, a dangling symlink, a symlink loop). Symlinks are followed. The exit
code is the worst of all artifacts (2 if any could not be read, or if the
paths hold no artifact at all).

Each line is written whole, newline included, with one write(2) to the
output opened with O_APPEND, under an exclusive flock(2) (Linux and macOS), so
batches that append to one --output never interleave their lines. An
interrupted batch (Ctrl-C, SIGTERM) drops the line in flight, keeps every line
written so far whole, and exits 130 (SIGINT) or 143 (SIGTERM); --skip-done
resumes it. The output is never one of the inputs: an --output that is an
artifact or a policy is refused (exit 2) before anything is written.

--shard I/N keeps the artifacts whose path hashes to I modulo N, so N machines
(a CI matrix, a Kubernetes Indexed Job with I=$JOB_COMPLETION_INDEX) split a corpus
with no coordination; concatenate their outputs to merge them.
--skip-done FILE skips the artifacts already in a previous JSONL output (resume;
it may be the --output itself). Its torn last line, cut by an interrupted run, is
dropped with a note (that artifact is scanned again) and, when the file is the
--output, cut off before the first new line; a torn line in the middle is an
error.`,
		Example: `  apkaudit batch apks/ --jobs 4 --output results.jsonl
  apkaudit batch apks/ --shard 0/3 --output part0.jsonl     # on machine 0 of 3
  cat part*.jsonl | jq -r 'select(.error == null) | [.artifact.path, (.sdks | length)] | @tsv'
  apkaudit batch apks/ --policy privacy.html --fail-on medium`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := scan.BatchOptions{Policies: g.policyFiles(policies), SkipDone: skipDone}
			if shard != "" {
				s, err := scan.ParseShard(shard)
				if err != nil {
					return fmt.Errorf("--shard: %w", err)
				}
				opt.Shard = s
			}
			var err error
			if opt.Options, err = g.scanOptions(); err != nil {
				return err
			}
			lines := &batchLines{g: g, r: g.outputs[0].renderer, o: g.reportOptions(opt.Catalogue)}
			opt.Start = func(p scan.Plan) error { return lines.open(g.outputs[0].path, p) }
			err = scan.Batch(cmd.Context(), args, opt, lines.write)
			if lines.progress != nil {
				lines.progress.finish()
			}
			if lines.w != nil {
				if cerr := lines.w.Close(); err == nil && cerr != nil {
					err = cerr
				}
			}
			return lines.verdict(err)
		},
	}
	cmd.Flags().StringArrayVar(&policies, "policy", nil, "check every artifact against this policy (repeatable)")
	cmd.Flags().StringVar(&shard, "shard", "", "I/N: process only shard I (0-based) of N")
	cmd.Flags().StringVar(&skipDone, "skip-done", "", "skip artifacts already present in this JSONL FILE")
	return reporting(report.CommandBatch, cmd)
}

// batchLines writes the batch's lines and counts their verdicts. scan.Batch
// calls open once, then write one item at a time.
type batchLines struct {
	g              *globals
	w              io.WriteCloser
	r              report.Renderer
	o              report.Options
	progress       *progress
	ok, fail, errs int
}

// open opens the output at path, once the batch knows its artifacts (which
// the output may not be), and makes it end with a whole line: a torn last
// line of the --skip-done file that is this output is cut off.
func (b *batchLines) open(path string, p scan.Plan) error {
	b.g.addInputs("the artifact", false, p.Artifacts...)
	w, err := b.g.openOutput("--output", path, true)
	if err != nil {
		return err
	}
	b.w = w
	tornAt, size := int64(-1), int64(0)
	if d := p.Done; d != nil && d.TornAt >= 0 {
		b.g.note("%s: its last line is torn (cut by an interrupted run): dropped, and that artifact is scanned again", d.Path)
		if sameFile(d.Path, path) {
			tornAt, size = d.TornAt, d.Size
		}
	}
	if lf, ok := w.(*lineFile); ok {
		if _, err := lf.endTorn(tornAt, size); err != nil {
			return err
		}
	}
	return nil
}

// write renders one item as one line and writes it with one Write, so a
// line is whole or absent.
func (b *batchLines) write(it scan.Item) error {
	if b.progress == nil {
		b.progress = newProgress(b.g, it.Total)
	}
	var v *report.View
	switch {
	case it.Err != nil:
		b.errs++
		v = report.NewErrorView(it.Path, it.Err, b.o)
	default:
		if it.Result.Fails(b.g.threshold()) {
			b.fail++
		} else {
			b.ok++
		}
		var err error
		if v, err = report.NewView(report.CommandBatch, []*audit.Result{it.Result}, b.o); err != nil {
			return err
		}
	}
	var line bytes.Buffer
	if err := b.r.Render(&line, v); err != nil {
		return fmt.Errorf("%s: writing its line: %w", it.Path, err)
	}
	_, err := b.w.Write(line.Bytes())
	b.progress.add()
	return err
}

// verdict is the batch's exit: err when it stopped, exit 2 when an
// artifact was unreadable, 1 when one reaches --fail-on.
func (b *batchLines) verdict(err error) error {
	summary := fmt.Sprintf("batch: %d artifacts: %d passed, %d with findings at or above %s, %d unreadable",
		b.ok+b.fail+b.errs, b.ok, b.fail, b.g.failOn, b.errs)
	switch {
	case errors.Is(err, context.Canceled):
		// Run names the signal: "interrupted by SIGINT; batch: …".
		return fmt.Errorf("%s (every line written is whole: resume with --skip-done)", summary)
	case err != nil:
		return err
	case b.errs > 0:
		return fmt.Errorf("%s (see the lines with \"error\")", summary) // the one stderr line of exit code 2
	}
	b.g.note("%s", summary)
	if b.fail > 0 {
		return errFindings
	}
	return nil
}
