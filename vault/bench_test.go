package vault_test

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// BenchmarkPut compares Put with a raw bbolt put of the same bytes, one
// transaction per batch, both with bbolt's default fsync, in one run.
func BenchmarkPut(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"1-per-tx", 1}, {"1000-per-tx", 1000}} {
		b.Run(size.name, func(b *testing.B) { benchPut(b, size.n) })
	}
}

func benchPut(b *testing.B, n int) {
	v, err := vault.Create(filepath.Join(b.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	raw, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("blocks")); return err })

	a := vaulttest.NewAuthor(b)
	var inVault, inRaw time.Duration
	for b.Loop() {
		batch := make([]protocol.Block, n)
		for i := range batch {
			batch[i] = a.Next(b, "proof", "meso/north", vaulttest.ProofBody(b, "MIP-HLT@1"))
		}
		start := time.Now()
		res, err := v.Put(batch...)
		inVault += time.Since(start)
		if err != nil || res[n-1].Status != vault.New {
			b.Fatalf("put: %v", err)
		}
		start = time.Now()
		err = raw.Update(func(tx *bolt.Tx) error {
			bk := tx.Bucket([]byte("blocks"))
			for _, blk := range batch {
				if err := bk.Put(blk.CID.Bytes(), blk.Data); err != nil {
					return err
				}
			}
			return nil
		})
		inRaw += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
	}
	entries := float64(b.N * n)
	b.ReportMetric(float64(inVault.Nanoseconds())/entries, "vault-ns/entry")
	b.ReportMetric(float64(inRaw.Nanoseconds())/entries, "bbolt-ns/entry")
	b.ReportMetric(float64(inVault)/float64(inRaw), "x-bbolt")
	b.ReportMetric(float64(inRaw)/float64(inVault), "throughput-vs-bbolt")
}
