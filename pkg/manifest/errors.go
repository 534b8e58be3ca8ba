package manifest

import (
	"errors"
	"fmt"
)

// ErrFormat is matched (with errors.Is) by every error this package returns
// for malformed input.
var ErrFormat = errors.New("manifest: not a valid manifest")

// A FormatError reports malformed input at byte offset Off of the decoded
// buffer. Val, when not nil, is the offending value.
type FormatError struct {
	Off int64
	Msg string
	Val any
}

// Error returns "manifest: MSG (VAL) at offset OFF".
func (e *FormatError) Error() string {
	if e.Val == nil {
		return fmt.Sprintf("manifest: %s at offset %#x", e.Msg, e.Off)
	}
	return fmt.Sprintf("manifest: %s (%v) at offset %#x", e.Msg, e.Val, e.Off)
}

// Is reports whether target is ErrFormat.
func (e *FormatError) Is(target error) bool { return target == ErrFormat }

func formatErr(off int, msg string, val any) error {
	return &FormatError{Off: int64(off), Msg: msg, Val: val}
}
