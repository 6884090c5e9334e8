package node

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// ownFrauds counts the fraud entries in n's own log, by accused.
func ownFrauds(t testing.TB, n *Node) map[peer.ID]int {
	t.Helper()
	held, err := n.store.Query(vault.Query{Kind: protocol.KindFraud, Author: n.ID()})
	if err != nil {
		t.Fatal(err)
	}
	out := map[peer.ID]int{}
	for _, b := range held {
		a, err := settle.VerifyFraud(decodeFraud(t, b))
		if err != nil {
			t.Fatal(err)
		}
		out[a]++
	}
	return out
}

// forkAt signs two different attestations by c at seq.
func forkAt(t testing.TB, c *chain, seq uint64, prev cid.Cid) []protocol.Block {
	return []protocol.Block{
		c.at(t, seq, prev, protocol.KindAttest, valid(protocol.Sum([]byte("left")))),
		c.at(t, seq, prev, protocol.KindAttest, valid(protocol.Sum([]byte("right")))),
	}
}

// TestFraudOnlyForFollowed: 100 throwaway keys each sign two entries at
// seq 1, and one more forks at seq 1 under an entry at seq 2: the node
// writes no fraud entry for any of them. A verifier of its district that
// forks, and an author whose seq 1 it holds that forks at seq 2, get
// exactly one each, however many more forks they sign.
func TestFraudOnlyForFollowed(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	n := peerNode(t)
	steward, verifier, regular := newChain(t), newChain(t), newChain(t)
	gen := steward.next(t, settle.KindDistrict, genesis([]peer.ID{steward.id}, verifier.id))
	history := regular.next(t, protocol.KindAttest, valid(protocol.Sum([]byte("history"))))
	settled(t, ctx, n, gen, history)

	var flood []protocol.Block
	for range 100 {
		flood = append(flood, forkAt(t, newChain(t), 1, cid.Undef)...)
	}
	onTop := newChain(t)
	pair := forkAt(t, onTop, 1, cid.Undef)
	flood = append(flood, append(pair, onTop.at(t, 2, pair[0].CID, protocol.KindAttest, valid(pair[1].CID)))...)
	settled(t, ctx, n, flood...)
	if got := ownFrauds(t, n); len(got) != 0 || n.Settled().Frauds != 0 {
		t.Fatalf("the node wrote %d fraud entries for throwaway keys", n.Settled().Frauds)
	}
	if len(n.Views().Flags()) != 101 {
		t.Fatalf("%d authors flagged, want 101", len(n.Views().Flags()))
	}

	followed := append(forkAt(t, verifier, 1, cid.Undef), forkAt(t, regular, 2, history.CID)...)
	for i := range 3 { // more forks by the same authors change nothing
		followed = append(followed, verifier.at(t, 1, cid.Undef, protocol.KindAttest, valid(protocol.Sum([]byte(fmt.Sprint(i))))))
	}
	for _, b := range followed {
		settled(t, ctx, n, b)
	}
	got := ownFrauds(t, n)
	if len(got) != 2 || got[verifier.id] != 1 || got[regular.id] != 1 {
		t.Fatalf("fraud entries by accused: %v, want one for the verifier and one for the regular author", got)
	}
	_ = context.Background
}
