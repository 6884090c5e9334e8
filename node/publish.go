package node

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/dht"
	"github.com/mesocosm/mycel/gossip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// ErrRejected: Ingest was given a block the kernel check turns down.
var ErrRejected = errors.New("entry rejected")

// Published is what Publish wrote: the stored block and whether gossip
// took it.
type Published struct {
	protocol.Block
	// Unsent says why gossip did not take the entry (no peer on its
	// topic yet, ctx ended); nil when it did. The block is stored either
	// way: sync carries an unsent one to the peers that lack it.
	Unsent error
}

// Sent reports whether gossip took the entry.
func (p Published) Sent() bool { return p.Unsent == nil }

// Publish appends e to this node's log (assigning seq and prev, signing
// with the node key), stores it, and gossips it on its district's topic.
// Two things might happen:
//   - the entry is stored: Publish returns it and a nil error, with
//     Unsent set when gossip failed (sync carries it later);
//   - nothing is stored: Publish returns an error. Before appending,
//     checkOwnLog (selfcheck.go) makes sure the append cannot fork the
//     node's own log; when it could, the error wraps ErrOwnLog. ErrClosed
//     after Close.
func (n *Node) Publish(ctx context.Context, e protocol.Entry) (Published, error) {
	if n.isClosed() {
		return Published{}, ErrClosed
	}
	// One own write at a time, from its check to its record: a check
	// that read an entry another write of this run stored but had not yet
	// recorded would take it for another process's.
	n.self.write.Lock()
	if err := n.checkOwnLog(ctx); err != nil {
		n.self.write.Unlock()
		return Published{}, err // one line: problem and remedy
	}
	n.self.appending(true)
	b, err := n.store.Append(n.key, e)
	if err != nil {
		n.self.appending(false)
		n.self.write.Unlock()
		return Published{}, fmt.Errorf("publish: %w", err)
	}
	n.self.wrote(b)
	n.self.write.Unlock()
	n.stored(b, vault.Result{CID: b.CID, Status: vault.New}, Local, "")
	n.provideAuthor()
	if err := n.gossip.Publish(ctx, e.District, b); err != nil {
		return Published{Block: b, Unsent: fmt.Errorf("gossip %s: %w", b.CID, err)}, nil
	}
	n.reachOut(e.District)
	return Published{Block: b}, nil
}

// reachOut kicks a sync round with every connected peer when gossip knew
// no peer of the district's topic to send an entry to (a node just
// started or reconnected, before the peers' subscriptions arrived), so the
// entry does not wait for the next sync interval.
func (n *Node) reachOut(district string) {
	if len(n.gossip.PubSub().ListPeers(gossip.Topic(district))) > 0 {
		return
	}
	n.kickAll("")
}

// Ingest checks and stores blocks from a bundle. Any block the kernel
// check does not accept fails the whole call with an error wrapping
// ErrRejected that names it, and nothing is stored.
func (n *Node) Ingest(blocks ...protocol.Block) ([]vault.Result, error) {
	for _, b := range blocks {
		if v := n.check(b); v.Outcome != protocol.Accept {
			n.events.emit(Rejected{Source: Import, District: b.Entry.District, Verdict: v})
			return nil, fmt.Errorf("ingest %s: %w: %s: %v", b.CID, ErrRejected, v.Outcome, v.Reason)
		}
	}
	return n.put(Import, "", blocks...)
}

// put stores blocks and raises Stored events for what changed. Blocks from
// remote peers (gossip, sync) pass the new-author quota first; a bundle
// import is the user's own choice and is not limited.
func (n *Node) put(src Source, from peer.ID, blocks ...protocol.Block) ([]vault.Result, error) {
	put := n.store.Put
	if src == Gossip || src == Sync {
		put = func(bs ...protocol.Block) ([]vault.Result, error) { return n.putAdmitted(from, n.store.Put, bs) }
	}
	rs, err := put(blocks...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	for i, r := range rs {
		n.stored(blocks[i], r, src, from)
	}
	return rs, nil
}

func (n *Node) stored(b protocol.Block, r vault.Result, src Source, from peer.ID) {
	switch r.Status {
	case vault.Known, vault.Refused:
		return
	case vault.Another: // a further name of a held entry
		n.feed(b, r)
		n.events.emit(Stored{Block: b, Result: r, Source: src, From: from})
		return
	}
	if from != "" {
		n.peers.seen(from)
		n.stats.entry(from, time.Now(), b.Entry.Time, b.Entry.Author == from, src == Gossip)
	}
	n.feed(b, r)
	n.events.emit(Stored{Block: b, Result: r, Source: src, From: from})
	if src == Gossip || src == Local {
		n.recheckAfterGossip()
	}
}

// provideAuthor announces this node's author key on the DHT, once per
// lifetime, in the background. An announcement that fails (no DHT peers
// yet) is tried again on the next publication.
func (n *Node) provideAuthor() {
	if !n.peers.markProvided() {
		return
	}
	if !n.spawn(func(ctx context.Context) {
		if err := n.dht.Provide(ctx, dht.AuthorKey(n.host.ID())); err != nil {
			n.peers.provided.Store(false)
		}
	}) {
		n.peers.provided.Store(false)
	}
}

func (n *Node) isClosed() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.closed
}
