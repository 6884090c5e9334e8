package vault_test

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/ipfs/go-cid"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// forkySet returns entries of three authors, one of whom equivocates twice
// and continues on both branches.
func forkySet(t *testing.T) []protocol.Block {
	var all []protocol.Block
	for range 3 {
		a := vaulttest.NewAuthor(t)
		for range 5 {
			all = append(all, a.Next(t, "note", "d", nil))
		}
		y3 := a.Branch(t, 3, a.Log[1].CID, "branch")
		all = append(all, y3, a.Branch(t, 4, y3.CID, "on branch"), a.Branch(t, 5, a.Log[3].CID, "again"))
	}
	return all
}

// Two vaults given the same entries in different orders hold the same set.
func TestDigestOrderIndependent(t *testing.T) {
	all := forkySet(t)
	var digests [][32]byte
	for range 4 {
		v := newBolt(t)
		rand.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		for i := 0; i < len(all); i += 4 {
			if _, err := v.Put(all[i:min(i+4, len(all))]...); err != nil {
				t.Fatal(err)
			}
		}
		d, err := v.Digest()
		if err != nil {
			t.Fatal(err)
		}
		digests = append(digests, d)
	}
	for i := range digests {
		if digests[i] != digests[0] {
			t.Fatalf("digest %d differs from digest 0", i)
		}
	}
	if d, _ := newBolt(t).Digest(); d == digests[0] {
		t.Error("empty vault has the digest of a full one")
	}
}

func TestCount(t *testing.T) {
	v := newBolt(t)
	a, b := vaulttest.NewAuthor(t), vaulttest.NewAuthor(t)
	a1, a2, a3 := a.Next(t, "note", "", nil), a.Next(t, "note", "", nil), a.Next(t, "note", "", nil)
	if _, err := v.Put(a1, a2, b.Next(t, "note", "", nil), a.Branch(t, 2, a1.CID, "fork")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Put(a.Next(t, "note", "", nil)); err != nil { // past a gap
		t.Fatal(err)
	}
	if n, err := v.Count(); err != nil || n != 3 {
		t.Errorf("count = %d, %v; want 3 joined", n, err)
	}
	if _, err := v.Put(a3); err != nil {
		t.Fatal(err)
	}
	if n, _ := v.Count(); n != 5 {
		t.Errorf("count after the gap filled = %d, want 5", n)
	}
}

// Check finds a log entry whose block has gone.
func TestCheckFindsCorruption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := vaulttest.NewAuthor(t)
	b1 := a.Next(t, "note", "", nil)
	if _, err := v.Put(b1, a.Next(t, "note", "", nil)); err != nil {
		t.Fatal(err)
	}
	if err := v.Check(); err != nil {
		t.Fatalf("check of a sound vault: %v", err)
	}
	v.Close()
	deleteKey(t, path, "blocks", b1.CID)
	v, err = vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Check(); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("check with a missing block: %v, want ErrCorrupt", err)
	}
}

func deleteKey(t *testing.T, path, bucket string, c cid.Cid) {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte(bucket)).Delete(c.Bytes()) })
	if err != nil {
		t.Fatal(err)
	}
}
