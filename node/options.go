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
	// gossipFault: see WithGossipFaults; nil stores every message once.
	gossipFault func(from peer.ID) int
	// redial: see WithRedial.
	redial bool
	// gridRunner: see WithGridRunner; nil runs no jobs.
	gridRunner GridRunner
}

// WithHost uses h instead of building a libp2p host (mocknet tests). The
// node does not close h.
func WithHost(h host.Host) Option { return func(o *options) { o.host = h } }

// WithGossipFaults hands each gossip message that a peer forwards to this
// node to fault before it is stored: fault returns how many times to store
// it. 0 drops it here (not stored, not forwarded, its later copies
// ignored as seen, as a message lost on the way would be), 2 or more
// stores it again (a duplicate: Known). For simulation (package sim);
// without it every message is stored once.
func WithGossipFaults(fault func(from peer.ID) int) Option {
	return func(o *options) { o.gossipFault = fault }
}

// WithRedial redials remembered peers over a host given with WithHost
// and without listen addresses, as a node over its own host does: a
// simulation on mocknet (where a dial succeeds while the peers are
// linked) lets the node's own redial heal the connections it cuts.
func WithRedial() Option { return func(o *options) { o.redial = true } }

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
