package wasm

import "context"

// capped collects a module's stdout up to max bytes. The first write past
// the cap keeps what fits, marks the output cut and stops the run through
// stop; anything the module writes before it stops is dropped.
type capped struct {
	buf  []byte
	max  int
	cut  bool
	stop context.CancelCauseFunc
}

// errOutputCut is the cause a run is stopped with when its output is cut.
var errOutputCut = causeError(OutputCut)

// Write implements io.Writer. It never fails, so that a module sees its
// writes succeed until it is stopped.
func (c *capped) Write(p []byte) (int, error) {
	if c.cut {
		return len(p), nil
	}
	room := c.max - len(c.buf)
	if len(p) <= room {
		c.buf = append(c.buf, p...)
		return len(p), nil
	}
	c.buf = append(c.buf, p[:room]...)
	c.cut = true
	c.stop(errOutputCut)
	return len(p), nil
}
