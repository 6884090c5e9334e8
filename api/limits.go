package api

import "time"

// limits bound what one client can hold of the API: connections, time
// and memory. The zero value is not usable; NewServer sets the defaults
// below and tests shorten them.
type limits struct {
	header time.Duration // request line and headers must arrive within this
	idle   time.Duration // a kept-alive connection waits this long for its next request
	conns  int           // open connections at most
	silent time.Duration // a new connection that sent nothing for this long may be reclaimed when full

	jsonBody     time.Duration // a JSON body arrives whole within this of its first byte read
	evidenceBody time.Duration // likewise an evidence upload
	streamGrace  time.Duration // a bundle import may wait this long for bytes before the rate counts
	streamRate   int64         // then it must average this many bytes per second of waiting

	budget     int64         // bytes of upload bodies buffered at once, all requests together
	budgetWait time.Duration // an upload waits this long for budget before answering 503
}

func defaultLimits() limits {
	return limits{
		header:       5 * time.Second,
		idle:         15 * time.Second,
		conns:        128,
		silent:       250 * time.Millisecond,
		jsonBody:     30 * time.Second,
		evidenceBody: 2 * time.Minute,
		streamGrace:  30 * time.Second,
		streamRate:   64 << 10,
		budget:       MaxEvidenceSize,
		budgetWait:   30 * time.Second,
	}
}
