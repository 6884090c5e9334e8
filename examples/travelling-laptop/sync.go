package main

import (
	"context"
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/replicate"
)

// busyTries bounds how often a visit tries again while the other side
// runs a round with it; busyWait is how long it gives that round (which
// raises no event here) before trying again.
const (
	busyTries = 50
	busyWait  = 200 * time.Millisecond
)

// syncOnce returns one sync round of n with p that ran after connecting:
// its own, or the one the connection started (ev, subscribed before
// connecting, reports its end). While the other side runs a round with
// it, it tries again.
func syncOnce(ctx context.Context, n *node.Node, p peer.ID, ev <-chan node.Event) (node.SyncStats, error) {
	for range busyTries {
		st, err := n.SyncNow(ctx, p)
		switch {
		case errors.Is(err, node.ErrSyncBusy): // the connection's round runs
			st, err := roundEnd(ctx, ev, p)
			if err == nil || ctx.Err() != nil {
				return st, err
			}
			// it failed (the other side ran its own): try again
		case errors.Is(err, replicate.ErrBusy): // the other side's round runs
			if err := pause(ctx); err != nil {
				return st, err
			}
		default:
			return st, err
		}
	}
	return node.SyncStats{}, node.ErrSyncBusy
}

// roundEnd waits for the end of a round with p and returns how it went.
func roundEnd(ctx context.Context, ev <-chan node.Event, p peer.ID) (node.SyncStats, error) {
	for {
		select {
		case e := <-ev:
			if d, ok := e.(node.SyncDone); ok && d.Peer == p {
				return d.Stats, d.Err
			}
		case <-ctx.Done():
			return node.SyncStats{}, ctx.Err()
		}
	}
}

func pause(ctx context.Context) error {
	t := time.NewTimer(busyWait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func peerID(s string) (peer.ID, error) { return peer.Decode(s) }
