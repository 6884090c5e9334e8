package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// District is the name of the demo district.
const District = "meso-valley"

// Options configure Run. The zero value runs the default district.
type Options struct {
	// Peers is the number of online peers, at least 8 (the default): a
	// clinic, a farm, a school, two verifiers, a funder, a market stall and
	// a late joiner; more add neighbours who only relay and hold entries.
	Peers int
	// Dir holds the vaults; a temporary directory, removed after, if "".
	Dir string
	// Timeout bounds the whole run; default 90s.
	Timeout time.Duration
}

// MinPeers is the smallest district the demo runs.
const MinPeers = 8

// ErrOutput: the narration could not be written (its reader went away);
// the demo stopped and removed what it made.
var ErrOutput = errors.New("demo stopped: its output was closed")

// ErrPeers: Options.Peers is too small or too large.
var ErrPeers = errors.New("demo needs between 8 and 40 peers")

// Run starts the district, runs the outcome loop and narrates it to w.
func Run(ctx context.Context, w io.Writer, opt Options) error {
	if opt.Peers == 0 {
		opt.Peers = MinPeers
	}
	if opt.Peers < MinPeers || opt.Peers > 40 {
		return ErrPeers
	}
	if opt.Timeout == 0 {
		opt.Timeout = 90 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, opt.Timeout)
	defer cancel()
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	dir := opt.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "mycel-demo-")
		if err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	say := &narrator{w: w, start: time.Now(), fail: func(err error) { stop(fmt.Errorf("%w: %v", ErrOutput, err)) }}
	d := &district{dir: dir, say: say}
	defer d.close()
	err := d.run(ctx, opt.Peers)
	if cause := context.Cause(ctx); errors.Is(cause, ErrOutput) {
		return cause
	}
	return err
}
