package node

import (
	"log/slog"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Option adjusts how New assembles a node.
type Option func(*options)

type options struct {
	host   host.Host
	check  func(protocol.Block) protocol.Verdict
	scores func(map[peer.ID]float64)
	pubsub []pubsub.Option
	// followAge: see WithFollowAge (fraud.go); nil is DefaultFollowAge.
	followAge *time.Duration
	// ownWait: see WithOwnHeadWait (self.go); 0 is DefaultOwnHeadWait.
	ownWait time.Duration
	// log: see WithLogger (logging.go); nil discards.
	log *slog.Logger
}

// WithHost uses h instead of building a libp2p host (mocknet tests). The
// node does not close h.
func WithHost(h host.Host) Option { return func(o *options) { o.host = h } }

// WithCheck replaces the kernel check (default: protocol kinds, MIP and
// settle kinds, built-in MIPs).
func WithCheck(check func(protocol.Block) protocol.Verdict) Option {
	return func(o *options) { o.check = check }
}

// WithScores receives gossip peer scores every second.
func WithScores(fn func(map[peer.ID]float64)) Option {
	return func(o *options) { o.scores = fn }
}

// WithPubSub adds pubsub options (tracers, router parameters).
func WithPubSub(opts ...pubsub.Option) Option {
	return func(o *options) { o.pubsub = append(o.pubsub, opts...) }
}
