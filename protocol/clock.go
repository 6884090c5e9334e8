package protocol

import (
	"errors"
	"fmt"
	"time"
)

// MaxFuture is how far ahead of the receiver's clock an entry's time may
// lie. Entry times are the author's claim and peers' clocks drift, so the
// window is wide; but an entry dated further ahead cannot have been
// written by an honest author now, and a date past year 9999 breaks every
// tool that prints times. Two hours is Bitcoin's rule for block times.
const MaxFuture = 2 * time.Hour

// ErrFuture: an entry's time lies more than MaxFuture ahead of the
// receiver's clock. Receivers Ignore such an entry (no penalty: the
// author's clock may only be wrong); sync offers it again once the
// receiver's clock has caught up.
var ErrFuture = errors.New("entry time too far ahead")

// CheckTime returns an error wrapping ErrFuture if e's time lies more
// than MaxFuture after now.
func CheckTime(e Entry, now time.Time) error {
	limit := now.Add(MaxFuture).UnixMilli()
	if e.Time > limit {
		return fmt.Errorf("%w: %d ms past %s", ErrFuture, e.Time-limit, now.UTC().Format(time.RFC3339))
	}
	return nil
}
