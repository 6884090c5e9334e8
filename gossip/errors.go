package gossip

import "errors"

// Errors of this package.
var (
	// ErrTopic: a topic name is not /mycel/1/d/<district>/entries.
	ErrTopic = errors.New("not a mycel entries topic")
	// ErrDistrict: a district name is malformed.
	ErrDistrict = errors.New("bad district name")
	// ErrWrongDistrict: an entry arrived on another district's topic.
	ErrWrongDistrict = errors.New("entry district does not match topic")
	// ErrGap: an entry arrived past a gap in its author's log. It is
	// stored (pending) and ignored; the peer that sent it holds the gap.
	ErrGap = errors.New("entry past a gap in its author's log")
	// ErrClosed: the gossip service is closed.
	ErrClosed = errors.New("gossip closed")
)
