package node

import (
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

// advance moves the clock of n's follow rule d ahead.
func advance(n *Node, d time.Duration) {
	n.views.mu.Lock()
	defer n.views.mu.Unlock()
	now := n.views.now
	n.views.now = func() time.Time { return now().Add(d) }
}

// TestFraudOnlyForFollowed: 100 throwaway keys each sign two entries at
// seq 1, and one more forks at seq 1 under an entry at seq 2: the node
// writes no fraud entry for any of them. A verifier of its district that
// forks, and an author whose seq 1 it has held for the follow age that
// forks at seq 2, get exactly one each, however many more forks they
// sign.
func TestFraudOnlyForFollowed(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	n := peerNode(t)
	steward, verifier, regular := newChain(t), newChain(t), newChain(t)
	gen := steward.next(t, settle.KindDistrict, genesis([]peer.ID{steward.id}, verifier.id))
	history := regular.next(t, protocol.KindAttest, valid(protocol.Sum([]byte("history"))))
	settled(t, ctx, n, gen, history)
	advance(n, DefaultFollowAge)

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
}

// TestFraudNotForNewAuthors: 50 throwaway keys each send seq 1 and two
// entries at seq 2 in one flood: the node had not held them for the
// follow age when they forked, so it writes no fraud entry, nor later
// for more forks of theirs once they are old. One that becomes a
// verifier of the node's district gets its fraud entry then.
func TestFraudNotForNewAuthors(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	n := peerNode(t)
	steward := newChain(t)
	settled(t, ctx, n, steward.next(t, settle.KindDistrict, genesis([]peer.ID{steward.id})))
	var flood []protocol.Block
	keys := make([]*chain, 50)
	for i := range keys {
		keys[i] = newChain(t)
		first := keys[i].next(t, protocol.KindAttest, valid(protocol.Sum([]byte("x"))))
		flood = append(flood, first)
		flood = append(flood, forkAt(t, keys[i], 2, first.CID)...)
	}
	settled(t, ctx, n, flood...)
	if got := len(ownFrauds(t, n)); got != 0 {
		t.Fatalf("%d fraud entries written for 50 throwaway keys (150 entries in)", got)
	}
	if len(n.Views().Flags()) != 50 {
		t.Fatalf("%d authors flagged, want 50", len(n.Views().Flags()))
	}
	advance(n, 2*DefaultFollowAge)
	for _, k := range keys {
		settled(t, ctx, n, k.at(t, 2, k.prev, protocol.KindAttest, valid(protocol.Sum([]byte("again")))))
	}
	if got := len(ownFrauds(t, n)); got != 0 {
		t.Fatalf("%d fraud entries written for old forks of new authors", got)
	}
	role := &settle.Role{Subject: []byte(keys[7].id), Role: settle.RoleVerifier, Grant: true}
	settled(t, ctx, n, steward.next(t, settle.KindRole, role))
	if got := ownFrauds(t, n); len(got) != 1 || got[keys[7].id] != 1 {
		t.Fatalf("fraud entries by accused: %v, want one for the new verifier", got)
	}
}

// TestFraudAtStartOnlyMembers: forks in the vault at start were judged by
// the run that stored them: a node started over them writes a fraud
// entry only for a verifier of its district, not for an author whose
// seq 1 it held before the fork.
func TestFraudAtStartOnlyMembers(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	v := newVault(t)
	steward, verifier, regular := newChain(t), newChain(t), newChain(t)
	history := regular.next(t, protocol.KindAttest, valid(protocol.Sum([]byte("history"))))
	blocks := []protocol.Block{steward.next(t, settle.KindDistrict, genesis([]peer.ID{steward.id}, verifier.id)), history}
	blocks = append(blocks, forkAt(t, regular, 2, history.CID)...)
	blocks = append(blocks, forkAt(t, verifier, 1, cid.Undef)...)
	if _, err := v.Put(blocks...); err != nil {
		t.Fatal(err)
	}
	n, err := New(ctx, Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}, v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if err := n.settler.quiet(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ownFrauds(t, n); len(got) != 1 || got[verifier.id] != 1 {
		t.Fatalf("fraud entries by accused: %v, want one for the verifier", got)
	}
}
