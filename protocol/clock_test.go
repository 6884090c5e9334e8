package protocol

import (
	"errors"
	"math"
	"testing"
	"time"
)

func TestCheckTime(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_000)
	for _, c := range []struct {
		name string
		time int64
		ok   bool
	}{
		{"past", 0, true},
		{"now", now.UnixMilli(), true},
		{"edge", now.Add(MaxFuture).UnixMilli(), true},
		{"past the edge", now.Add(MaxFuture).UnixMilli() + 1, false},
		{"year 10000", 253402300800000, false},
		{"max", math.MaxInt64, false},
	} {
		err := CheckTime(Entry{Time: c.time}, now)
		if c.ok != (err == nil) || (err != nil && !errors.Is(err, ErrFuture)) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
