package node

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// DefaultOwnHeadWait bounds how long the node's first write after start
// waits for the peers it is connected to to tell it its own log's head.
const DefaultOwnHeadWait = 5 * time.Second

// ErrOwnLog: writing now could fork this node's own log. Publish returns
// one of the errors below, which wrap it; each names the problem and the
// remedy in one line.
var ErrOwnLog = errors.New("own log")

var (
	errOwnFlagged = fmt.Errorf("%w forked: every peer that holds both entries flags this identity for good; stop every other copy of this home and write from a new identity (mycel init in a new home)", ErrOwnLog)
	errOwnBehind  = fmt.Errorf("%w behind", ErrOwnLog)
	errTwin       = fmt.Errorf("%w: another process holds this identity", ErrOwnLog)
)

// fetcher is the fetch side of the replicator (replicate.Service).
type fetcher interface {
	Fetch(ctx context.Context, p peer.ID, cids []cid.Cid) ([]protocol.Block, error)
}

// WithOwnHeadWait sets how long the first write waits for peers to tell
// the node its own log's head (default DefaultOwnHeadWait).
func WithOwnHeadWait(d time.Duration) Option { return func(o *options) { o.ownWait = d } }

// ownLog guards this node's own log against forks made by another process
// holding the same identity: a restored copy of the home, or a second
// daemon. See startOwnLog and checkOwnLog.
type ownLog struct {
	runs  runs
	nonce []byte // this run's, sent in head requests
	start int64  // unix ms of the start: own entries signed later are not from an older run
	wait  time.Duration
	asks  chan struct{} // background asks at once

	gate  sync.Mutex // held by the first-write check
	write sync.Mutex // held from a write's check to its record (see Publish)

	mu      sync.Mutex
	checked bool
	vouched uint64          // own seqs up to here are this run's or older than its start
	mine    map[uint64]bool // own seqs this run appended above vouched
	writing bool            // an append of this run is under way: the head may be its entry, not yet recorded
	twinSeq uint64          // an own entry signed after start by another process
	twinBy  peer.ID         // a peer that saw another process of this identity online
	behind  uint64          // own head seq a peer holds past what it delivered
	behindP peer.ID
	// restored: the vault came from a backup and no peer has confirmed
	// its head yet (restored.go); confirmedBy is the peer that did.
	restored    bool
	confirmedBy peer.ID
}

func newOwnLog(wait time.Duration) *ownLog {
	if wait <= 0 {
		wait = DefaultOwnHeadWait
	}
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	return &ownLog{nonce: nonce, start: time.Now().UnixMilli(), wait: wait, asks: make(chan struct{}, 8), mine: map[uint64]bool{}}
}

// startOwnLog serves head requests and asks every peer that connects for
// this node's own head, catching up what it holds.
func (n *Node) startOwnLog() error {
	h, err := n.store.Head(n.host.ID())
	if err != nil {
		return fmt.Errorf("own log: %w", err)
	}
	n.self.vouched = h.Seq
	if err := n.loadRestored(); err != nil {
		return err
	}
	n.host.SetStreamHandler(headProtocol, n.answerHead)
	ch, cancel := n.events.subscribe(64)
	n.spawn(func(ctx context.Context) {
		defer n.host.RemoveStreamHandler(headProtocol)
		defer cancel()
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-ch:
				if !ok {
					return
				}
				if c, ok := e.(PeerConnected); ok {
					n.askLater(c.Peer)
				}
			}
		}
	})
	return nil
}

// askLater asks p in the background, unless as many asks are running as
// the node allows (the first write asks every connected peer anyway).
func (n *Node) askLater(p peer.ID) {
	select {
	case n.self.asks <- struct{}{}:
	default:
		return
	}
	if !n.spawn(func(ctx context.Context) {
		defer func() { <-n.self.asks }()
		n.learnFrom(ctx, p)
	}) {
		<-n.self.asks
	}
}

// learnFrom asks p for this node's head and fetches the own entries p
// holds past the vault's head, 64 at a time, while that makes progress.
func (n *Node) learnFrom(ctx context.Context, p peer.ID) {
	me := n.host.ID()
	f, ok := n.repl.(fetcher)
	for range 16 {
		h, err := n.store.Head(me)
		if err != nil {
			return
		}
		ans, cids, err := n.askHead(ctx, p, me, h.Seq+1, n.self.nonce)
		if err != nil {
			return
		}
		n.self.heard(p, ans.T)
		if ans.S <= h.Seq {
			n.confirmHead(p, ans.S, ans.T)
		}
		if ans.S <= h.Seq || len(cids) == 0 || !ok {
			return
		}
		_, err = f.Fetch(overRelay(ctx), p, cids)
		after, herr := n.store.Head(me)
		if err != nil || herr != nil || after.Seq <= h.Seq {
			return
		}
		n.self.holds(p, ans.S, after.Seq)
	}
}

// heard records whether p saw another process of this identity online.
func (s *ownLog) heard(p peer.ID, twin bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case twin:
		s.twinBy = p
	case s.twinBy == p:
		s.twinBy = ""
	}
}

// holds records that p delivered own entries up to got and says it holds
// up to seq: a claim backed by entries only this identity could sign.
func (s *ownLog) holds(p peer.ID, seq, got uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq > got && seq > s.behind {
		s.behind, s.behindP = seq, p
	}
}

// askAll asks every connected peer at once and waits for all, within the
// node's own-head wait. With no peer connected it asks nobody, unless the
// node expects peers (bootstrap peers or mDNS): then it waits for the
// first to connect, within the same wait.
func (n *Node) askAll(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, n.self.wait)
	defer cancel()
	if len(n.cfg.Bootstrap) > 0 || n.cfg.MDNS {
		n.awaitPeer(ctx)
	}
	var wg sync.WaitGroup
	for _, p := range n.host.Network().Peers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.learnFrom(ctx, p)
		}()
	}
	wg.Wait()
}

// awaitPeer returns when a peer is connected or ctx ends.
func (n *Node) awaitPeer(ctx context.Context) {
	ch, stop := n.events.subscribe(16)
	defer stop()
	for len(n.host.Network().Peers()) == 0 {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok {
				return
			}
		}
	}
}
