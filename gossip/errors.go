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
	// ErrClosed: the gossip service is closed.
	ErrClosed = errors.New("gossip closed")
)
