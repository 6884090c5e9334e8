package gossip

import (
	"context"
	"fmt"
	"sync"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// Config wires the validator to the kernel and the store. The zero value
// accepts every entry that opens and stores nothing.
type Config struct {
	// Check is the kernel's full check of an opened block (kinds, MIP
	// schemas). Nil accepts every block that opens.
	Check func(protocol.Block) protocol.Verdict
	// Store stores an accepted block before anyone sees it. Nil stores
	// nothing and treats every block as new.
	Store func(protocol.Block) (storage.Result, error)
	// StoreFrom, when set, is used instead of Store and also names the
	// peer that forwarded the message (for per-peer quotas).
	StoreFrom func(from peer.ID, b protocol.Block) (storage.Result, error)
	// OnReject hears every rejected message and every ignored one whose
	// reason is not "already stored".
	OnReject func(Rejection)
	// OnTopicPeer hears peers joining and leaving district topics.
	OnTopicPeer func(district string, p peer.ID, joined bool)
	// OnScores receives peer scores every ScoreInterval (New only).
	OnScores func(map[peer.ID]float64)
	// ScoreInterval defaults to one second.
	ScoreInterval time.Duration
}

// Rejection describes a message the validator turned down.
type Rejection struct {
	From     peer.ID
	District string
	Verdict  protocol.Verdict
}

// Gossip publishes and receives entries on district topics.
type Gossip struct {
	ps     *pubsub.PubSub
	cfg    Config
	cancel context.CancelFunc // nil when ps is borrowed
	ctx    context.Context    // lifetime of topic watchers
	stop   context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex
	topics map[string]*pubsub.Topic
	closed bool
}

// New starts gossipsub on h with Mycel's options (Options) and wires cfg.
func New(h host.Host, cfg Config, extra ...pubsub.Option) (*Gossip, error) {
	ctx, cancel := context.WithCancel(context.Background())
	opts := append(Options(cfg), extra...)
	ps, err := pubsub.NewGossipSub(ctx, h, opts...)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("gossip start: %w", err)
	}
	g := Attach(ps, cfg)
	g.cancel = cancel
	return g, nil
}

// Attach uses an existing PubSub. Topic message IDs and validators are set
// per topic, so ps need not have been built with Options; scoring is then
// whatever ps was built with.
func Attach(ps *pubsub.PubSub, cfg Config) *Gossip {
	g := &Gossip{ps: ps, cfg: cfg, topics: map[string]*pubsub.Topic{}}
	g.ctx, g.stop = context.WithCancel(context.Background())
	return g
}

// Options returns the pubsub options New uses: router parameters
// (Params), no pubsub signatures, CID message IDs, peer scoring, the
// message size bound.
func Options(cfg Config) []pubsub.Option {
	opts := []pubsub.Option{
		pubsub.WithGossipSubParams(Params()),
		pubsub.WithMessageSignaturePolicy(pubsub.StrictNoSign),
		pubsub.WithMessageIdFn(MessageID),
		pubsub.WithPeerScore(ScoreParams(), Thresholds()),
		pubsub.WithMaxMessageSize(MaxMessageSize),
	}
	if cfg.OnScores != nil {
		every := cfg.ScoreInterval
		if every <= 0 {
			every = time.Second
		}
		opts = append(opts, pubsub.WithPeerScoreInspect(pubsub.PeerScoreInspectFn(cfg.OnScores), every))
	}
	return opts
}

// PubSub returns the underlying router, for tracing and tests.
func (g *Gossip) PubSub() *pubsub.PubSub { return g.ps }

// Close leaves all topics and, when New started the router, stops it.
// It is safe to call twice.
func (g *Gossip) Close() error {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return nil
	}
	g.closed = true
	topics := g.topics
	g.topics = nil
	g.mu.Unlock()
	g.stop()
	g.wg.Wait()
	for name, t := range topics {
		_ = g.ps.UnregisterTopicValidator(name)
		_ = t.Close()
	}
	if g.cancel != nil {
		g.cancel()
	}
	return nil
}
