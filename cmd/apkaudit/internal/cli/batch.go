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
goes on. The exit code is the worst of all artifacts (2 if any could not be
read). An interrupted batch (Ctrl-C, SIGTERM) stops with every line written so
far whole; --skip-done resumes it.

--shard I/N keeps the artifacts whose path hashes to I modulo N, so N machines
(a CI matrix, a Kubernetes Indexed Job with I=$JOB_COMPLETION_INDEX) split a corpus
with no coordination; concatenate their outputs to merge them.
--skip-done FILE skips the artifacts already in a previous JSONL output (resume).`,
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
			w, err := g.openOutput(g.outputs[0].path, true)
			if err != nil {
				return err
			}
			lines := &batchLines{g: g, w: w, r: g.outputs[0].renderer, o: g.reportOptions(opt.Catalogue)}
			err = scan.Batch(cmd.Context(), args, opt, lines.write)
			if lines.progress != nil {
				lines.progress.finish()
			}
			if cerr := w.Close(); err == nil && cerr != nil {
				err = cerr
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
// calls write one item at a time.
type batchLines struct {
	g              *globals
	w              io.Writer
	r              report.Renderer
	o              report.Options
	progress       *progress
	ok, fail, errs int
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
		return fmt.Errorf("interrupted; %s (every line written is whole: resume with --skip-done)", summary)
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
