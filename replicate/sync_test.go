package replicate

import (
	"testing"

	"github.com/mesocosm/mycel/vault/vaulttest"
)

func TestSyncLateJoinerLearnsBothWays(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	for range 3 {
		publish(t, a.v, vaulttest.NewAuthor(t), 40)
	}
	publish(t, b.v, vaulttest.NewAuthor(t), 5)
	connect(t, b.h, a.h)
	st := syncT(t, b, a)
	if st.Received != 120 || st.New != 120 || st.Sent != 5 {
		t.Errorf("late joiner stats %+v, want 120 received and new, 5 sent", st)
	}
	if count(t, a.v) != 125 || digestOf(t, a.v) != digestOf(t, b.v) {
		t.Errorf("after sync: %d and %d entries, digests differ", count(t, a.v), count(t, b.v))
	}
	if again := syncT(t, a, b); again.Sent+again.Received != 0 {
		t.Errorf("second sync moved blocks: %+v", again)
	}
}

func TestSyncStoppedPeerCatchesUp(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	author := vaulttest.NewAuthor(t)
	publish(t, a.v, author, 10)
	connect(t, a.h, b.h)
	syncT(t, a, b)
	b.stop(t)
	for range 200 {
		if _, err := a.v.Append(author.Key, entryNote()); err != nil {
			t.Fatal(err)
		}
	}
	b.restart(t)
	connect(t, b.h, a.h)
	if st := syncT(t, b, a); st.New != 200 || st.Sent != 0 {
		t.Errorf("catch-up stats %+v, want 200 new, 0 sent", st)
	}
	if count(t, b.v) != 210 || digestOf(t, a.v) != digestOf(t, b.v) {
		t.Errorf("restarted peer holds %d entries, want 210 and equal digests", count(t, b.v))
	}
}

func TestSyncEquivocationAtHead(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	x := vaulttest.NewAuthor(t)
	publish(t, a.v, x, 3)
	put(t, b.v, x.Log...)
	prev := x.Log[2].CID
	put(t, a.v, x.Branch(t, 4, prev, "left"))
	put(t, b.v, x.Branch(t, 4, prev, "right"))
	connect(t, a.h, b.h)
	st := syncT(t, a, b)
	if st.Forks != 1 || st.Sent != 1 {
		t.Errorf("initiator stats %+v, want one fork, one sent", st)
	}
	for _, p := range []*peerT{a, b} {
		if fs := forksOf(t, p.v); len(fs) != 1 || fs[0].Seq != 4 || fs[0].Author != x.ID {
			t.Errorf("forks %+v, want one at seq 4", fs)
		}
	}
	if digestOf(t, a.v) != digestOf(t, b.v) {
		t.Error("digests differ after sync")
	}
}

func TestSyncEquivocationBelowHead(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	x := vaulttest.NewAuthor(t)
	publish(t, a.v, x, 5) // a: 1..5
	put(t, b.v, x.Log[:3]...)
	put(t, b.v, x.Branch(t, 4, x.Log[2].CID, "other")) // b: 1..3, 4'
	connect(t, a.h, b.h)
	syncT(t, b, a)
	for _, p := range []*peerT{a, b} {
		if fs := forksOf(t, p.v); len(fs) != 1 || fs[0].Seq != 4 {
			t.Errorf("forks %+v, want one at seq 4", fs)
		}
	}
	if digestOf(t, a.v) != digestOf(t, b.v) {
		t.Error("digests differ after sync")
	}
}

func TestSyncResumesAfterCut(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	x, y := vaulttest.NewAuthor(t), vaulttest.NewAuthor(t)
	publish(t, a.v, x, 150)
	publish(t, a.v, y, 150)
	connect(t, a.h, b.h)
	a.svc.cutAfter = 100
	if _, err := a.svc.Sync(t.Context(), b.h.ID()); err == nil {
		t.Fatal("cut sync succeeded")
	}
	if n := count(t, b.v); n != 100 {
		t.Fatalf("after the cut b holds %d entries, want 100", n)
	}
	a.svc.cutAfter = 0
	if st := syncT(t, a, b); st.Sent != 200 {
		t.Errorf("resumed sync sent %d blocks, want the 200 left", st.Sent)
	}
	if digestOf(t, a.v) != digestOf(t, b.v) {
		t.Error("digests differ after resume")
	}
}
