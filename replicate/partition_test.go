package replicate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"

	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// meshPeers makes n peers on a mocknet with vaults and services, unlinked.
func meshPeers(t *testing.T, n int) (mocknet.Mocknet, []*peerT) {
	mn := mocknet.New()
	t.Cleanup(func() { mn.Close() })
	ps := make([]*peerT, n)
	for i := range ps {
		h, err := mn.GenPeer()
		if err != nil {
			t.Fatal(err)
		}
		v := newVault(t, filepath.Join(t.TempDir(), "vault.db"))
		p := &peerT{h: h, v: v, svc: New(h, v, Config{})}
		t.Cleanup(func() { p.svc.Close(); p.v.Close() })
		ps[i] = p
	}
	return mn, ps
}

func linkAll(t *testing.T, mn mocknet.Mocknet, ps []*peerT) {
	for i, a := range ps {
		for _, b := range ps[i+1:] {
			if _, err := mn.LinkPeers(a.h.ID(), b.h.ID()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// syncUntilQuiet runs rounds of pairwise syncs, each peer of ps with its
// next on the ring and the one half way round, until a whole round moves
// no block in either direction; it returns the number of rounds.
func syncUntilQuiet(t *testing.T, ps []*peerT) int {
	for round := 1; round <= 10; round++ {
		moved := 0
		for i, a := range ps {
			for _, b := range []*peerT{ps[(i+1)%len(ps)], ps[(i+len(ps)/2)%len(ps)]} {
				if a == b {
					continue
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				st, err := a.svc.Sync(ctx, b.h.ID())
				cancel()
				if err != nil {
					t.Fatal(err)
				}
				moved += st.Sent + st.Received
			}
		}
		if moved == 0 {
			return round
		}
	}
	t.Fatal("blocks still move after 10 rounds")
	return 0
}

func TestPartitionAndHeal(t *testing.T) {
	const n = 30
	mn, ps := meshPeers(t, n)
	left, right := ps[:n/2], ps[n/2:]
	linkAll(t, mn, left)
	linkAll(t, mn, right)

	forker := vaulttest.NewAuthor(t)
	publish(t, left[0].v, forker, 2)
	put(t, right[0].v, forker.Log...)
	put(t, left[3].v, forker.Branch(t, 3, forker.Log[1].CID, "left"))
	put(t, right[5].v, forker.Branch(t, 3, forker.Log[1].CID, "right"))
	for i, side := range [][]*peerT{left, right} {
		for j := range 4 {
			publish(t, side[(j*4+i)%len(side)].v, vaulttest.NewAuthor(t), 10)
		}
	}
	t.Logf("left quiet after %d rounds, right after %d", syncUntilQuiet(t, left), syncUntilQuiet(t, right))

	linkAll(t, mn, ps)
	t.Logf("healed mesh quiet after %d rounds", syncUntilQuiet(t, ps))
	want := digestOf(t, ps[0].v)
	for i, p := range ps {
		if digestOf(t, p.v) != want {
			t.Errorf("peer %d holds a different entry set (%d entries)", i, count(t, p.v))
		}
		if !flags(t, p.v, forker.ID) {
			t.Errorf("peer %d does not record the fork", i)
		}
	}
	if c := count(t, ps[0].v); c != 2*4*10+3 {
		t.Errorf("peer 0 holds %d joined entries, want %d", c, 2*4*10+3)
	}
}

func flags(t *testing.T, v *vault.Bolt, author peer.ID) bool {
	for _, f := range forksOf(t, v) {
		if f.Author == author && f.Seq == 3 {
			return true
		}
	}
	return false
}
