package metrics

import (
	"bytes"
	"io"
	"sync/atomic"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
)

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// lateTracer passes gossip events to a tracer set after the node that
// traces them started (the metrics need the node for their peer gauge).
type lateTracer struct {
	gossipTracer
	to atomic.Pointer[pubsub.RawTracer]
}

func (l *lateTracer) set(t pubsub.RawTracer) { l.to.Store(&t) }

func (l *lateTracer) DeliverMessage(msg *pubsub.Message) {
	if t := l.to.Load(); t != nil {
		(*t).DeliverMessage(msg)
	}
}

func (l *lateTracer) DuplicateMessage(msg *pubsub.Message) {
	if t := l.to.Load(); t != nil {
		(*t).DuplicateMessage(msg)
	}
}

func (l *lateTracer) RejectMessage(msg *pubsub.Message, reason string) {
	if t := l.to.Load(); t != nil {
		(*t).RejectMessage(msg, reason)
	}
}
