package vaulttest

import (
	"crypto/rand"
	"errors"
	"slices"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/vault"
)

// Test runs the conformance suite; open returns a fresh, empty store that
// the caller closes through t.Cleanup.
func Test(t *testing.T, open func(t *testing.T) vault.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s vault.Store)
	}{
		{"PutGetHas", testPutGetHas},
		{"Known", testKnown},
		{"Others", testOthers},
		{"Equivocation", testEquivocation},
		{"GapJoins", testGapJoins},
		{"CascadeReverse", testCascadeReverse},
		{"PendingEquivocation", testPendingEquivocation},
		{"DetachedBranch", testDetachedBranch},
		{"ChainingForkTakesSlot", testChainingForkTakesSlot},
		{"RestoredBranch", testRestoredBranch},
		{"HeadsAndLog", testHeadsAndLog},
		{"Query", testQuery},
		{"BulkIdempotent", testBulkIdempotent},
		{"AtomicBatch", testAtomicBatch},
		{"Append", testAppend},
		{"AppendConcurrent", testAppendConcurrent},
		{"AppendBehind", testAppendBehind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// put puts blocks and checks each status.
func put(t *testing.T, s vault.Store, want []vault.Status, blocks ...protocol.Block) []vault.Result {
	t.Helper()
	res, err := s.Put(blocks...)
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	if len(res) != len(blocks) {
		t.Fatalf("put: %d results for %d blocks", len(res), len(blocks))
	}
	for i, r := range res {
		if !r.CID.Equals(blocks[i].CID) {
			t.Errorf("result %d: CID %s, want %s", i, r.CID, blocks[i].CID)
		}
		if i < len(want) && r.Status != want[i] {
			t.Errorf("result %d (seq %d): status %s, want %s", i, blocks[i].Entry.Seq, r.Status, want[i])
		}
	}
	return res
}

func statuses(st vault.Status, n int) []vault.Status {
	out := make([]vault.Status, n)
	for i := range out {
		out[i] = st
	}
	return out
}

func testPutGetHas(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	b := a.Next(t, "note", "", nil)
	put(t, s, []vault.Status{vault.New}, b)
	got, err := s.Get(b.CID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CID.Equals(b.CID) || string(got.Data) != string(b.Data) || got.Entry.Seq != 1 || got.Entry.Author != a.ID {
		t.Errorf("get returned %+v, want %+v", got, b)
	}
	if ok, err := s.Has(b.CID); !ok || err != nil {
		t.Errorf("has = %v, %v; want true", ok, err)
	}
	missing := protocol.Sum([]byte("missing"))
	if ok, err := s.Has(missing); ok || err != nil {
		t.Errorf("has missing = %v, %v; want false", ok, err)
	}
	if _, err := s.Get(missing); !errors.Is(err, vault.ErrNotFound) {
		t.Errorf("get missing: %v, want ErrNotFound", err)
	}
}

func testKnown(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	b1, b2 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	put(t, s, []vault.Status{vault.New, vault.New}, b1, b2)
	put(t, s, statuses(vault.Known, 3), b1, b2, b1)
	checkLog(t, s, a, 2)
	if fs, _ := s.Forks(); len(fs) != 0 {
		t.Errorf("forks after known puts: %v", fs)
	}
}

// testOthers: further blocks of one joined entry (other signatures over
// its payload) are kept, up to MaxOthers, and readable; those of an entry
// waiting past a gap are not.
func testOthers(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	b1, b2 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	put(t, s, []vault.Status{vault.New}, b1)
	var again []protocol.Block
	for range storage.MaxOthers + 1 {
		o, err := prototest.Resign(a.Key, b1, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		again = append(again, o)
	}
	want := append(statuses(vault.Another, storage.MaxOthers), vault.Known)
	put(t, s, want, again...)
	put(t, s, statuses(vault.Known, 2), again[0], b1)
	cs, err := s.Others()
	if err != nil || len(cs) != storage.MaxOthers {
		t.Fatalf("others = %v, %v; want %d", cs, err, storage.MaxOthers)
	}
	for _, o := range again[:storage.MaxOthers] {
		if !slices.ContainsFunc(cs, o.CID.Equals) {
			t.Errorf("others %v lack %s", cs, o.CID)
		}
		if got, err := s.Get(o.CID); err != nil || !got.CID.Equals(o.CID) {
			t.Errorf("get other %s: %v", o.CID, err)
		}
	}
	checkLog(t, s, a, 1)
	b3 := a.Next(t, "note", "", nil)
	put(t, s, []vault.Status{vault.Pending}, b3)
	o3, err := prototest.Resign(a.Key, b3, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, []vault.Status{vault.Known}, o3)
	put(t, s, []vault.Status{vault.New}, b2)
	if cs, _ := s.Others(); len(cs) != storage.MaxOthers {
		t.Errorf("others after a pending resign: %v", cs)
	}
}

func testEquivocation(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	x1, x2 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	y2 := a.Branch(t, 2, x1.CID, "other")
	put(t, s, []vault.Status{vault.New, vault.New, vault.Equivocation}, x1, x2, y2)
	put(t, s, []vault.Status{vault.Known, vault.Known}, y2, x2)
	checkLog(t, s, a, 2)
	checkForks(t, s, vault.Fork{Author: a.ID, Seq: 2, First: x2.CID, Second: y2.CID})
	if got, err := s.Get(y2.CID); err != nil || !got.CID.Equals(y2.CID) {
		t.Errorf("get second of fork: %v", err)
	}
	if h, _ := s.Head(a.ID); !h.CID.Equals(x2.CID) {
		t.Errorf("head moved to %s after equivocation", h.CID)
	}
}

func testGapJoins(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	b1, b2, b3 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	put(t, s, []vault.Status{vault.Pending}, b3)
	put(t, s, []vault.Status{vault.Pending}, b2)
	if h, _ := s.Head(a.ID); h.Seq != 0 {
		t.Fatalf("head %d before the gap fills", h.Seq)
	}
	if ok, _ := s.Has(b3.CID); !ok {
		t.Error("pending block not stored")
	}
	if got, _ := s.Query(vault.Query{Author: a.ID}); len(got) != 0 {
		t.Errorf("query returns %d pending entries", len(got))
	}
	res := put(t, s, []vault.Status{vault.New}, b1)
	checkCIDs(t, "joined", res[0].Joined, b2.CID, b3.CID)
	checkLog(t, s, a, 3)
}

func testCascadeReverse(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	var bs []protocol.Block
	for range 3 {
		bs = append(bs, a.Next(t, "note", "", nil))
	}
	res := put(t, s, []vault.Status{vault.Pending, vault.Pending, vault.New}, bs[2], bs[1], bs[0])
	checkCIDs(t, "joined", res[2].Joined, bs[1].CID, bs[2].CID)
	checkLog(t, s, a, 3)
}

// A second entry at a pending slot is an equivocation; the first-seen one
// joins when the gap fills.
func testPendingEquivocation(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	x1, x2 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	y2 := a.Branch(t, 2, x1.CID, "other")
	put(t, s, []vault.Status{vault.Pending, vault.Equivocation, vault.New}, x2, y2, x1)
	checkLog(t, s, a, 2)
	checkForks(t, s, vault.Fork{Author: a.ID, Seq: 2, First: x2.CID, Second: y2.CID})
}

// An entry whose prev is a fork that lost its slot never joins; the entry
// that chains to the log takes the slot and the detached one becomes a fork.
func testDetachedBranch(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	x1, x2 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	y1 := a.Branch(t, 1, cid.Undef, "other")
	z2 := a.Branch(t, 2, y1.CID, "on y1")
	put(t, s, []vault.Status{vault.New, vault.Equivocation, vault.Pending}, x1, y1, z2)
	checkLog(t, s, a, 1)
	put(t, s, []vault.Status{vault.New}, x2)
	checkLog(t, s, a, 2)
	checkForks(t, s,
		vault.Fork{Author: a.ID, Seq: 1, First: x1.CID, Second: y1.CID},
		vault.Fork{Author: a.ID, Seq: 2, First: x2.CID, Second: z2.CID})
}

// An author restored from an old copy writes seq 1' and 2' while the
// store logs its first seq 1: 1' is a fork record, 2' the pending primary
// of slot 2 (it chains to 1', not to the head), listed by Waiting with
// the author's other pending entries, by seq; a gap's entry is listed too.
func testRestoredBranch(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	x1 := a.Next(t, "note", "", nil)
	y1 := a.Branch(t, 1, cid.Undef, "restored")
	y2 := a.Branch(t, 2, y1.CID, "after restore")
	y4 := a.Branch(t, 4, y2.CID, "past a gap")
	put(t, s, []vault.Status{vault.New, vault.Pending, vault.Pending, vault.Equivocation}, x1, y4, y2, y1)
	checkLog(t, s, a, 1)
	checkForks(t, s, vault.Fork{Author: a.ID, Seq: 1, First: x1.CID, Second: y1.CID})
	w, err := s.Waiting(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkCIDs(t, "waiting", w, y2.CID, y4.CID)
	if w, err := s.Waiting(NewAuthor(t).ID); err != nil || len(w) != 0 {
		t.Errorf("waiting of an unknown author = %v, %v; want none", w, err)
	}
}

// A fork record that chains takes the slot from a pending primary that
// does not.
func testChainingForkTakesSlot(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	x1, x2 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	y1 := a.Branch(t, 1, cid.Undef, "other")
	z2 := a.Branch(t, 2, y1.CID, "on y1")
	put(t, s, []vault.Status{vault.Pending, vault.Equivocation}, z2, x2)
	res := put(t, s, []vault.Status{vault.New}, x1)
	checkCIDs(t, "joined", res[0].Joined, x2.CID)
	checkLog(t, s, a, 2)
	checkForks(t, s, vault.Fork{Author: a.ID, Seq: 2, First: x2.CID, Second: z2.CID})
}
