package vaulttest

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

func testBulkIdempotent(t *testing.T, s vault.Store) {
	as := sortedAuthors(t, 4)
	var all []protocol.Block
	for _, a := range as {
		for range 25 {
			all = append(all, a.Next(t, "note", "d", nil))
		}
	}
	shuffled := append([]protocol.Block(nil), all...)
	rand.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	put(t, s, nil, shuffled...)
	put(t, s, statuses(vault.Known, len(all)), all...)
	for _, a := range as {
		checkLog(t, s, a, 25)
	}
	got, err := s.Query(vault.Query{District: "d"})
	if err != nil || len(got) != len(all) {
		t.Errorf("query after bulk put: %d entries, %v; want %d", len(got), err, len(all))
	}
}

// A batch with one bad block writes nothing.
func testAtomicBatch(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	good := a.Next(t, "note", "", nil)
	bad := a.Next(t, "note", "", nil)
	bad.CID = protocol.Sum([]byte("not these bytes"))
	if _, err := s.Put(good, bad); err == nil {
		t.Fatal("put of a block whose bytes miss its CID succeeded")
	}
	if ok, _ := s.Has(good.CID); ok {
		t.Error("failed batch left its good block behind")
	}
}

func testAppend(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	var prev cid.Cid
	for i := uint64(1); i <= 3; i++ {
		b, err := s.Append(a.Key, protocol.Entry{Kind: "note", Body: Body(t, i, "")})
		if err != nil {
			t.Fatal(err)
		}
		e := b.Entry
		if e.Seq != i || !e.Prev.Equals(prev) || e.Author != a.ID || e.Time == 0 {
			t.Errorf("append %d: seq %d prev %s author %s time %d", i, e.Seq, e.Prev, e.Author, e.Time)
		}
		if _, err := protocol.Open(b.Data); err != nil {
			t.Errorf("append %d: block does not open: %v", i, err)
		}
		a.Log = append(a.Log, b)
		prev = b.CID
	}
	checkLog(t, s, a, 3)
	if _, err := s.Append(a.Key, protocol.Entry{Kind: "Bad Kind", Body: Body(t, 4, "")}); err == nil {
		t.Error("append of a malformed entry succeeded")
	}
	checkLog(t, s, a, 3)
}

func testAppendConcurrent(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	const workers, each = 8, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				_, err := s.Append(a.Key, protocol.Entry{Kind: "note", Body: Body(t, uint64(w*each+i), "")})
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	log, err := s.Log(a.ID, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != workers*each {
		t.Fatalf("log has %d entries, want %d", len(log), workers*each)
	}
	bodies := map[string]bool{}
	for i, b := range log {
		if b.Entry.Seq != uint64(i+1) || i > 0 && !b.Entry.Prev.Equals(log[i-1].CID) {
			t.Fatalf("entry %d: seq %d, prev %s", i, b.Entry.Seq, b.Entry.Prev)
		}
		bodies[string(b.Entry.Body)] = true
	}
	if len(bodies) != workers*each {
		t.Errorf("%d distinct bodies, want %d", len(bodies), workers*each)
	}
}

// Appending while the vault holds own entries past the head would fork.
func testAppendBehind(t *testing.T, s vault.Store) {
	a := NewAuthor(t)
	a.Next(t, "note", "", nil)
	b2 := a.Next(t, "note", "", nil)
	put(t, s, []vault.Status{vault.Pending}, b2)
	_, err := s.Append(a.Key, protocol.Entry{Kind: "note", Body: Body(t, 1, "")})
	if !errors.Is(err, vault.ErrBehind) {
		t.Fatalf("append with own pending entry: %v, want ErrBehind", err)
	}
	if h, _ := s.Head(a.ID); h.Seq != 0 {
		t.Errorf("head moved to %d", h.Seq)
	}
}
