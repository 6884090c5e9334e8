package vault_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// Authors are numbered 1, 2, 3, ... in the order the vault first stores
// them, across transactions and reopenings; Forks still lists by author.
func TestAuthorNumbers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	as := []*vaulttest.Author{vaulttest.NewAuthor(t), vaulttest.NewAuthor(t), vaulttest.NewAuthor(t)}
	slices.SortFunc(as, func(a, b *vaulttest.Author) int { return strings.Compare(string(b.ID), string(a.ID)) })
	var forks []vault.Fork
	put := func(a *vaulttest.Author) {
		first := a.Next(t, "note", "", nil)
		second := a.Branch(t, 1, cid.Undef, "fork")
		if _, err := v.Put(first, second); err != nil {
			t.Fatal(err)
		}
		forks = append(forks, vault.Fork{Author: a.ID, Seq: 1, First: first.CID, Second: second.CID})
	}
	put(as[0]) // authors in descending byte order
	put(as[1])
	v.Close()
	if v, err = vault.Open(path, vault.Options{}); err != nil {
		t.Fatal(err)
	}
	put(as[2])
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
	got, err := v.Forks()
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(forks)
	if len(got) != 3 || got[0].Author != forks[0].Author || got[2].Author != forks[2].Author {
		t.Errorf("forks = %v, want by author %v", got, forks)
	}
	v.Close()
	for i, a := range as {
		if n := number(t, path, a.ID); n != uint32(i+1) {
			t.Errorf("author %d has number %d, want %d", i, n, i+1)
		}
	}
}

// number reads a's number from the file.
func number(t *testing.T, path string, a peer.ID) uint32 {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n uint32
	db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("authors"))
		num := b.Get(append([]byte{byte(len(a))}, a...))
		if len(num) == 4 && bytes.Equal(b.Get(append([]byte{0}, num...)), []byte(a)) {
			n = binary.BigEndian.Uint32(num)
		}
		return nil
	})
	return n
}

// Check finds an author number without its reverse record.
func TestCheckFindsLostNumber(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := vaulttest.NewAuthor(t)
	if _, err := v.Put(a.Next(t, "note", "", nil)); err != nil {
		t.Fatal(err)
	}
	v.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("authors")).Delete([]byte{0, 0, 0, 0, 1}) })
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if v, err = vault.Open(path, vault.Options{}); err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Check(); !errors.Is(err, vault.ErrCorrupt) {
		t.Errorf("check without the reverse record: %v, want ErrCorrupt", err)
	}
}
