package demo

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/ipfs/go-cid"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/vault"
)

// peer is one participant of the demo district: a vault and, when online,
// a node with an event subscription.
type peer struct {
	name   string
	role   string
	vault  *vault.Bolt
	node   *node.Node
	events <-chan node.Event
	stop   func()
	runner node.GridRunner // runs grid jobs, once the peer offers
}

// newPeer creates the participant's vault under dir.
func newPeer(dir, name, role string) (*peer, error) {
	v, err := vault.Create(filepath.Join(dir, name+".db"), vault.Options{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &peer{name: name, role: role, vault: v}, nil
}

// start brings the peer online on loopback.
func (p *peer) start(ctx context.Context, district string) error {
	cfg := node.Config{
		Listen:       []ma.Multiaddr{ma.StringCast("/ip4/127.0.0.1/tcp/0")},
		Districts:    []string{district},
		NoPortMap:    true,
		SyncInterval: 2 * time.Second,
	}
	// A node follows an author, and writes a fraud entry for its fork,
	// once it has held the author's log for node.DefaultFollowAge; the
	// demo's nodes live for seconds, so they follow every author they
	// held before its fork.
	opts := []node.Option{node.WithFollowAge(0)}
	if p.runner != nil {
		opts = append(opts, node.WithGridRunner(p.runner))
	}
	n, err := node.New(ctx, cfg, p.vault, opts...)
	if err != nil {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	p.node = n
	p.events, p.stop = n.Subscribe(4096)
	return nil
}

// close stops the node and closes the vault.
func (p *peer) close() {
	if p.node != nil {
		p.stop()
		_ = p.node.Close()
	}
	_ = p.vault.Close()
}

// waitFor blocks until the peer's vault holds c, waking on each event.
func (p *peer) waitFor(ctx context.Context, c cid.Cid) error {
	return p.waitUntil(ctx, func() bool {
		ok, _ := p.vault.Has(c)
		return ok
	})
}

// waitUntil blocks until cond holds, re-checking on each node event and,
// for events dropped under load, every half second.
func (p *peer) waitUntil(ctx context.Context, cond func() bool) error {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w", p.name, ctx.Err())
		case <-p.events:
		case <-tick.C:
		}
	}
	return nil
}

// waitTopicPeer blocks until the peer has a gossip neighbour in a topic.
func (p *peer) waitTopicPeer(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: no gossip neighbour: %w", p.name, ctx.Err())
		case ev := <-p.events:
			if tp, ok := ev.(node.TopicPeer); ok && tp.Joined {
				return nil
			}
		}
	}
}
