package mip

import (
	"errors"
	"fmt"
)

// Sentinel errors. The errors this package returns wrap one of these, so
// callers branch with errors.Is while users read the wrapped detail.
var (
	ErrClaim      = errors.New("bad claim")
	ErrUnknownMIP = errors.New("unknown MIP")
	ErrBadMIP     = errors.New("bad MIP definition")
	ErrBadSchema  = errors.New("bad claim schema")
	ErrConflict   = errors.New("conflicting MIP definition")
	ErrBuiltin    = errors.New("built-in MIP cannot be redefined")
)

// FieldError says which claim field is wrong and why. Field is a JSON
// pointer into the claim ("/cohort_size"); "" means the claim as a whole.
// It wraps ErrClaim.
// More lists the other problems of the same claim, so that one error
// names them all; Error joins them with "; ".
type FieldError struct {
	Field   string
	Problem string
	More    []*FieldError
}

func (e *FieldError) Error() string {
	s := e.one()
	for _, m := range e.More {
		s += "; " + m.one()
	}
	return s
}

func (e *FieldError) one() string {
	if e.Field == "" {
		return "claim: " + e.Problem
	}
	return fmt.Sprintf("claim field %q: %s", e.Field, e.Problem)
}

// Unwrap makes errors.Is(err, ErrClaim) hold.
func (e *FieldError) Unwrap() error { return ErrClaim }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)}
}
