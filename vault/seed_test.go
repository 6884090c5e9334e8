package vault_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/vault"
)

// TestOpenDamagedSeed flips one byte of the stored key's seed, leaving its
// public half intact: Open must refuse the vault, since the key would sign
// entries that no peer accepts.
func TestOpenDamagedSeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vault.db")
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		m := tx.Bucket([]byte("meta"))
		rec := bytes.Clone(m.Get([]byte("key")))
		// scheme 0x00, then protobuf PrivateKey: 08 01 12 40, then seed||public.
		const seedAt = 1 + 4
		if len(rec) != seedAt+64 || !bytes.Equal(rec[1:seedAt], []byte{0x08, 0x01, 0x12, 0x40}) {
			t.Fatalf("unexpected key record %x", rec)
		}
		rec[seedAt+7] ^= 0x01
		return m.Put([]byte("key"), rec)
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, err = vault.Open(path, vault.Options{})
	if !errors.Is(err, vault.ErrCorrupt) || !strings.Contains(err.Error(), "restore") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("open with a damaged seed: %v, want one line wrapping ErrCorrupt naming the remedy", err)
	}
}
