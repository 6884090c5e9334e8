package replicate

import (
	"testing"

	"github.com/mesocosm/mycel/vault/vaulttest"
)

// TestSyncCarriesForkBranch: an author restored from an old copy writes
// seq 1' and 2' on a branch while the others hold its seq 1. The relay
// that met the author holds 1' as a fork and 2' pending (it chains to
// 1', not to the logged 1); a peer that meets only the relay must still
// get 2', or the replicas never hold the same set: pending entries of a
// forked author are in its fork set and travel with it.
func TestSyncCarriesForkBranch(t *testing.T) {
	relay, far := newPeer(t), newPeer(t)
	x := vaulttest.NewAuthor(t)
	one := x.Next(t, "note", "", nil)
	oneB := x.Branch(t, 1, one.Entry.Prev, "restored")
	twoB := x.Branch(t, 2, oneB.CID, "after restore")
	put(t, relay.v, one, oneB, twoB)
	put(t, far.v, one, oneB)
	connect(t, relay.h, far.h)
	syncT(t, far, relay)
	if ok, _ := far.v.Has(twoB.CID); !ok {
		t.Fatal("far peer lacks the branch's seq 2 after sync with the relay")
	}
	if digestOf(t, relay.v) != digestOf(t, far.v) {
		t.Error("digests differ after sync")
	}
	// In sync now: a second session sends nothing.
	if st := syncT(t, relay, far); st.Sent != 0 {
		t.Errorf("second session sent %d blocks, want 0", st.Sent)
	}
}

// TestSyncForkBranchesSettle: the restored author logs its own branch
// (1', 2') and holds the others' 1 as a fork; the relay logs 1 and holds
// 1' as a fork and 2' pending. Both hold the same entries, so a session
// between them sends nothing, round after round.
func TestSyncForkBranchesSettle(t *testing.T) {
	author, relay := newPeer(t), newPeer(t)
	x := vaulttest.NewAuthor(t)
	one := x.Next(t, "note", "", nil)
	oneB := x.Branch(t, 1, one.Entry.Prev, "restored")
	twoB := x.Branch(t, 2, oneB.CID, "after restore")
	put(t, author.v, oneB, twoB, one)
	put(t, relay.v, one, oneB, twoB)
	connect(t, relay.h, author.h)
	for _, pair := range [][2]*peerT{{relay, author}, {author, relay}} {
		if st := syncT(t, pair[0], pair[1]); st.Sent != 0 || st.Received != 0 {
			t.Errorf("session between replicas of one entry set: sent %d, received %d, want 0 and 0", st.Sent, st.Received)
		}
	}
}
