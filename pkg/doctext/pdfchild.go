package doctext

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/apkaudit/apkaudit/pkg/isolate"
	"github.com/apkaudit/apkaudit/pkg/limits"
)

// PDFJob extracts one PDF document in a child process (pkg/isolate): the
// PDF library can overflow the stack, exhaust memory or loop forever on a
// small hostile file, and none of that can be recovered in-process. Every
// program that reads PDF policies passes it to isolate.Serve first thing in
// main (cmd/apkaudit does; so does the TestMain of this package).
var PDFJob = isolate.Job{Name: "pdf", Run: runPDFJob}

// PDFChildLimits bound the child that reads one PDF: address space beyond
// the Go runtime's own start-up reservations (the document itself, up to
// the 64 MiB size limit, is held twice), processor time (the budgets of
// extractPDF keep real work on the largest documents to about a second),
// and wall-clock time, the backstop on a machine too loaded to give the
// child its processor time.
var PDFChildLimits = isolate.Limits{Memory: 768 << 20, CPU: 5 * time.Second, Time: 8 * time.Second}

// pdfRequest heads the child's input, on one line before the document.
type pdfRequest struct {
	PolicySize int64 `json:"policy_size"`
	PDFPages   int   `json:"pdf_pages"`
}

// pdfResult is the child's output: the document, or why it has none.
type pdfResult struct {
	Doc *Document `json:"doc,omitempty"`
	// Kind is "unreadable", "empty" or "limit" when Reason explains a failure.
	Kind   string             `json:"kind,omitempty"`
	Reason string             `json:"reason,omitempty"`
	Limit  *limits.LimitError `json:"limit,omitempty"`
}

// extractPDFContained reads a PDF whose reference chains do not loop (a
// loop is an unreadable document at once: the library would spin on it
// until the child's time limit) in a child, through extractPDFChild.
func extractPDFContained(b *builder, data string, lim limits.Limits) error {
	if err := pdfChainLoop(data); err != nil {
		return err
	}
	return extractPDFChild(b, data, lim)
}

// extractPDFChild runs extractPDF in a child and puts what it read into
// b's document. A child that dies or runs out of time is an unreadable
// document whose reason says so.
func extractPDFChild(b *builder, data string, lim limits.Limits) error {
	head, err := json.Marshal(pdfRequest{PolicySize: lim.PolicySize, PDFPages: lim.PDFPages})
	if err != nil {
		return err
	}
	in := make([]byte, 0, len(head)+1+len(data))
	in = append(append(append(in, head...), '\n'), data...)
	out, err := isolate.Run(context.Background(), PDFJob, in, PDFChildLimits)
	if err != nil {
		var died *isolate.DiedError
		if errors.As(err, &died) {
			return unreadable("pdf: the PDF reader %s", died.Reason)
		}
		return unreadable("pdf: %v", err)
	}
	var res pdfResult
	if err := json.Unmarshal(out, &res); err != nil {
		return unreadable("pdf: the PDF reader's answer is broken: %v", err)
	}
	switch res.Kind {
	case "":
		if res.Doc == nil {
			return unreadable("pdf: the PDF reader returned no document")
		}
		path, format := b.doc.Path, b.doc.Format
		*b.doc = *res.Doc
		b.doc.Path, b.doc.Format = path, format
		return nil
	case "limit":
		if res.Limit != nil {
			return res.Limit
		}
	case "empty":
		return &Error{Kind: ErrEmpty, Reason: res.Reason}
	}
	return &Error{Kind: ErrUnreadable, Reason: res.Reason}
}

// runPDFJob is PDFJob's body, in the child: request line, document, result.
func runPDFJob(in []byte) ([]byte, error) {
	line, data, ok := bytes.Cut(in, []byte("\n"))
	var req pdfRequest
	if !ok || json.Unmarshal(line, &req) != nil {
		return nil, fmt.Errorf("doctext: bad PDF job request")
	}
	lim := limits.Limits{PolicySize: req.PolicySize, PDFPages: req.PDFPages}.WithDefaults()
	doc := &Document{Format: FormatPDF}
	err := extractPDF(&builder{doc: doc}, data, lim)
	var res pdfResult
	var le *limits.LimitError
	var de *Error
	switch {
	case err == nil:
		res.Doc = doc
	case errors.As(err, &le):
		res.Kind, res.Limit = "limit", le
	case errors.As(err, &de) && de.Kind == ErrEmpty:
		res.Kind, res.Reason = "empty", de.Reason
	case errors.As(err, &de):
		res.Kind, res.Reason = "unreadable", de.Reason
	default:
		res.Kind, res.Reason = "unreadable", err.Error()
	}
	return json.Marshal(res)
}
