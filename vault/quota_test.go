package vault_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func quotaVault(t *testing.T, q vault.Quota) (*vault.Bolt, *clock) {
	t.Helper()
	c := &clock{t: time.UnixMilli(1_700_000_000_000)}
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{Quota: q, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := v.Check(); err != nil {
			t.Error(err)
		}
		v.Close()
	})
	return v, c
}

func putOne(t *testing.T, v *vault.Bolt, b protocol.Block) vault.Result {
	t.Helper()
	res, err := v.Put(b)
	if err != nil {
		t.Fatal(err)
	}
	return res[0]
}

func signAt(t *testing.T, a *vaulttest.Author, seq uint64, prev cid.Cid, note string) protocol.Block {
	t.Helper()
	blk, err := protocol.Sign(a.Key, protocol.Entry{Seq: seq, Prev: prev, Time: 1, Kind: "note", Body: vaulttest.Body(t, seq, note)})
	if err != nil {
		t.Fatal(err)
	}
	return blk
}

// An entry that can never join, seq 2^62, is refused and not stored.
func TestPendingFarAheadRefused(t *testing.T) {
	v, _ := quotaVault(t, vault.Quota{})
	a := vaulttest.NewAuthor(t)
	blk := signAt(t, a, 1<<62, protocol.Sum([]byte("far")), "far")
	r := putOne(t, v, blk)
	if r.Status != vault.Refused || !errors.Is(r.Reason, vault.ErrAhead) {
		t.Fatalf("seq 2^62: %s (%v), want refused: %v", r.Status, r.Reason, vault.ErrAhead)
	}
	if ok, _ := v.Has(blk.CID); ok {
		t.Error("a refused entry is stored")
	}
	edge := signAt(t, a, vault.DefaultAhead, protocol.Sum([]byte("edge")), "edge")
	if r := putOne(t, v, edge); r.Status != vault.Pending {
		t.Errorf("seq %d on an empty log: %s, want pending", vault.DefaultAhead, r.Status)
	}
}

// A dangling prev is kept while it may still join, then swept after the
// TTL; an author with no joined entry is dropped and may come back.
func TestSweepDropsStalePending(t *testing.T) {
	v, c := quotaVault(t, vault.Quota{TTL: time.Hour})
	a := vaulttest.NewAuthor(t)
	x1 := a.Next(t, "note", "", nil)
	putOne(t, v, x1)
	dangling := signAt(t, a, 2, protocol.Sum([]byte("nowhere")), "dangling")
	if r := putOne(t, v, dangling); r.Status != vault.Pending {
		t.Fatalf("dangling prev: %s, want pending", r.Status)
	}
	b := vaulttest.NewAuthor(t) // pending only: seq 2..4
	b.Next(t, "note", "", nil)
	for range 3 {
		putOne(t, v, b.Next(t, "note", "", nil))
	}
	if n, _, _ := v.Pending(); n != 4 {
		t.Fatalf("%d pending records, want 4", n)
	}
	c.add(59 * time.Minute)
	if sw, err := v.Sweep(); err != nil || sw != (vault.Swept{}) {
		t.Fatalf("sweep before the TTL: %+v, %v", sw, err)
	}
	c.add(2 * time.Minute)
	sw, err := v.Sweep()
	if err != nil || sw != (vault.Swept{Entries: 4, Authors: 1}) {
		t.Fatalf("sweep after the TTL: %+v, %v; want 4 entries, 1 author", sw, err)
	}
	if ok, _ := v.Has(dangling.CID); ok {
		t.Error("dangling entry kept after the sweep")
	}
	if h, _ := v.Head(a.ID); h.Seq != 1 {
		t.Errorf("joined log of a swept author: head %d, want 1", h.Seq)
	}
	if n, _, _ := v.Pending(); n != 0 {
		t.Errorf("%d pending records after the sweep", n)
	}
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
	res, err := v.Put(b.Log...) // the dropped author comes back in order
	if err != nil || res[3].Status != vault.New {
		t.Fatalf("dropped author's log: %v", err)
	}
}

// Under a flood of pending entries from fresh keys the vault holds at
// most the quota, per author and in total, and evicts the oldest.
func TestPendingFloodBounded(t *testing.T) {
	q := vault.Quota{PerAuthor: 20, Total: 500}
	v, c := quotaVault(t, q)
	refused := 0
	for range 100 {
		a := vaulttest.NewAuthor(t)
		a.Next(t, "note", "", nil) // seq 1 withheld
		var batch []protocol.Block
		for range 100 {
			batch = append(batch, a.Next(t, "note", "", nil))
		}
		res, err := v.Put(batch...)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Status == vault.Refused {
				refused++
			}
		}
		if n, _, _ := v.Pending(); n > q.Total {
			t.Fatalf("%d pending records, over the cap of %d", n, q.Total)
		}
		c.add(time.Second)
	}
	if refused != 100*80 {
		t.Errorf("%d refused, want %d over the per-author quota", refused, 100*80)
	}
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
}

// A pending slot keeps one fork record besides its primary; an entry that
// chains to the head is always taken.
func TestPendingSlotForks(t *testing.T) {
	v, _ := quotaVault(t, vault.Quota{})
	a := vaulttest.NewAuthor(t)
	x1 := a.Next(t, "note", "", nil)
	x2 := a.Next(t, "note", "", nil)
	want := []vault.Status{vault.Pending, vault.Equivocation, vault.Refused}
	for i, note := range []string{"y", "z", "w"} {
		r := putOne(t, v, a.Branch(t, 2, protocol.Sum([]byte(note)), note))
		if r.Status != want[i] {
			t.Errorf("entry %d at a pending slot: %s, want %s", i, r.Status, want[i])
		}
	}
	if r := putOne(t, v, x1); r.Status != vault.New {
		t.Fatalf("seq 1: %s", r.Status)
	}
	if r := putOne(t, v, x2); r.Status != vault.New {
		t.Errorf("seq 2 that chains, at a full stranded slot: %s, want new", r.Status)
	}
}

// A vault written before pending counts existed (no waiting bucket, no
// totals) counts its pending records on the first write.
func TestPendingCountsAddedToOldVault(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := vaulttest.NewAuthor(t)
	a.Next(t, "note", "", nil)
	for range 3 {
		putOne(t, v, a.Next(t, "note", "", nil))
	}
	v.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket([]byte("waiting")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Delete([]byte("pending"))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	v, err = vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	putOne(t, v, vaulttest.NewAuthor(t).Next(t, "note", "", nil))
	if n, _, _ := v.Pending(); n != 3 {
		t.Errorf("%d pending records counted, want 3", n)
	}
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
}
