package embed

import (
	"context"
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/replicate"
)

// syncPause is how long Sync waits for a round it could not start
// before trying again: a session the other side holds raises no event
// here, and the end of one this side runs may be dropped from a full
// event channel.
const syncPause = 200 * time.Millisecond

// Sync runs an anti-entropy round with the connected peer id that begins
// after the call, and returns what it exchanged: what this peer holds
// then has reached id, and what id held has reached this peer. A round
// already running when it is called may have begun too early: Sync waits
// for it and runs its own, or takes the next one the node starts. While
// id runs a session of its own with this peer, Sync tries again. ctx
// bounds the whole.
func (p *Peer) Sync(ctx context.Context, id peer.ID) (node.SyncStats, error) {
	ev, stop := p.node.Subscribe(256)
	defer stop()
	early := true // a round running now began before the call
	for {
		st, err := p.node.SyncNow(ctx, id)
		switch {
		case errors.Is(err, node.ErrSyncBusy):
			st, ended, err := roundEnd(ctx, ev, id)
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			if ended && err == nil && !early {
				return st, nil
			}
			early = early && !ended
		case errors.Is(err, replicate.ErrBusy):
			if err := pause(ctx); err != nil {
				return st, err
			}
		default:
			return st, err
		}
	}
}

// SyncAll runs Sync with every connected peer; it returns the errors.
func (p *Peer) SyncAll(ctx context.Context) error {
	var errs []error
	for _, pr := range p.node.Peers() {
		if _, err := p.Sync(ctx, pr.ID); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// roundEnd waits, at most syncPause, for the end of a round with id;
// ended says whether it saw one, and how it went.
func roundEnd(ctx context.Context, ev <-chan node.Event, id peer.ID) (st node.SyncStats, ended bool, err error) {
	t := time.NewTimer(syncPause)
	defer t.Stop()
	for {
		select {
		case e := <-ev:
			if d, ok := e.(node.SyncDone); ok && d.Peer == id {
				return d.Stats, true, d.Err
			}
		case <-t.C:
			return node.SyncStats{}, false, nil
		case <-ctx.Done():
			return node.SyncStats{}, false, ctx.Err()
		}
	}
}

func pause(ctx context.Context) error {
	t := time.NewTimer(syncPause)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
