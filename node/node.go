package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/gossip"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// Vault is what a node needs of its vault: the entry store and the
// identity key. *vault.Bolt is one.
type Vault interface {
	vault.Store
	Key() crypto.PrivKey
}

// ErrClosed: the node is closed.
var ErrClosed = errors.New("node closed")

// Node is a running Mycel peer.
type Node struct {
	cfg            Config
	host           host.Host
	ownHost        bool
	store          vault.Store
	key            crypto.PrivKey
	check          func(protocol.Block) protocol.Verdict
	events         *bus
	gossip         *gossip.Gossip
	dht            *dht.DHT
	repl           replicator
	mdns           mdns.Service
	peers          *peerBook
	stats          peerStats
	log            *slog.Logger
	born           time.Time
	syncs          *syncSet
	reach          reachability
	relays         relays
	views          *views
	settler        *settler
	self           *ownLog
	recheck        recheck // see recheckAfterGossip
	redialBorrowed bool    // WithRedial: redial over a borrowed host too
	grid           gridOffer
	gridRunner     GridRunner    // nil: the node runs no jobs
	gridSlots      chan struct{} // jobs running at once

	ctx    context.Context // lifetime, cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup
	mu     sync.Mutex // guards closed and wg.Add
	closed bool
	done   chan struct{}
	err    error
}

// New starts a node over v with v's identity key. ctx bounds the start
// only; the node runs until Close.
func New(ctx context.Context, cfg Config, v Vault, opts ...Option) (*Node, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if v.Key() == nil {
		return nil, fmt.Errorf("node: %w", vault.ErrLocked)
	}
	n := &Node{
		cfg: cfg, store: v, key: v.Key(), check: o.check,
		events: newBus(), peers: newPeerBook(), syncs: newSyncSet(), done: make(chan struct{}),
		self: newOwnLog(o.ownWait), log: o.logger(), born: time.Now(), redialBorrowed: o.redial,
	}
	n.views, n.settler = newViews(mip.Builtins(), cfg.Pins), newSettler()
	n.views.changed = n.settler.poke
	owner, err := peer.IDFromPrivateKey(n.key)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	n.views.owner = owner
	n.views.follow(cfg.Districts, o.followAge)
	if err := n.views.load(v); err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	if n.check == nil {
		n.check = checkWith(n.views.reg)
	}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	if err := n.start(ctx, o); err != nil {
		_ = n.Close()
		return nil, err
	}
	return n, nil
}

// start brings the parts up in order: host, gossip, DHT, sync, watchers,
// discovery. A failure leaves what started for Close to stop.
func (n *Node) start(ctx context.Context, o options) error {
	n.startLogging()
	n.host, n.ownHost = o.host, o.host == nil
	if n.ownHost {
		h, err := buildHost(n.cfg, n.key)
		if err != nil {
			return fmt.Errorf("node: %w", err)
		}
		n.host = h
	}
	if err := n.watchHost(); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	if err := n.startRelays(); err != nil {
		return fmt.Errorf("node: relays: %w", err)
	}
	if err := n.startPinger(); err != nil {
		return fmt.Errorf("node: ping: %w", err)
	}
	if err := n.startGossip(o); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	d, err := dht.New(n.host, dht.Config{Server: n.cfg.DHTServer, Bootstrap: n.cfg.Bootstrap, AllowPrivate: n.cfg.AllowPrivateProviders})
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	n.dht = d
	n.repl = newReplicator(n)
	if err := n.startOwnLog(); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	if err := n.startDiscovery(); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	n.startSettler()
	n.startGrid(o.gridRunner)
	n.startArena()
	return ctx.Err()
}

// Close stops everything the node started, waits for its goroutines, and
// closes the host if the node built it. The vault stays open. It is safe
// to call twice.
func (n *Node) Close() error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		<-n.done
		return n.err
	}
	n.closed = true
	n.mu.Unlock()
	n.cancel()
	if n.host != nil {
		n.host.RemoveStreamHandler(ArenaProtocol)
		if n.gridRunner != nil {
			n.host.RemoveStreamHandler(GridProtocol)
		}
	}
	var errs []error
	if n.mdns != nil {
		errs = append(errs, n.mdns.Close())
	}
	if n.repl != nil {
		errs = append(errs, n.repl.Close())
	}
	if n.gossip != nil {
		errs = append(errs, n.gossip.Close())
	}
	if n.dht != nil {
		errs = append(errs, n.dht.Close())
	}
	n.wg.Wait()
	if n.ownHost && n.host != nil {
		errs = append(errs, n.host.Close())
	}
	n.events.close()
	n.err = errors.Join(errs...)
	close(n.done)
	return n.err
}

// spawn runs fn in a goroutine owned by the node, unless it is closing.
func (n *Node) spawn(fn func(ctx context.Context)) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return false
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		fn(n.ctx)
	}()
	return true
}
