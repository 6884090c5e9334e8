package node

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// TestSweepDropsStalePending: an entry past a gap from a throwaway key is
// kept while it may still join; the node's sweep drops it, and its author,
// once it has waited past the vault's TTL.
func TestSweepDropsStalePending(t *testing.T) {
	var now atomic.Int64
	now.Store(time.Now().UnixMilli())
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{
		Quota: vault.Quota{TTL: time.Hour},
		Now:   func() time.Time { return time.UnixMilli(now.Load()) },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	n, err := New(context.Background(), Config{Listen: loopback(), NoPortMap: true}, v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	e := attest(t, "never joins")
	e.Seq, e.Prev = 2, protocol.Sum([]byte("nowhere"))
	b, err := protocol.Sign(newKey(t), e)
	if err != nil {
		t.Fatal(err)
	}
	if rs, err := n.put(Sync, "", b); err != nil || rs[0].Status != vault.Pending {
		t.Fatalf("put: %+v, %v; want pending", rs, err)
	}
	n.sweep()
	if ok, _ := v.Has(b.CID); !ok {
		t.Fatal("swept before the TTL")
	}
	now.Add(time.Hour.Milliseconds() + 1)
	n.sweep()
	if ok, _ := v.Has(b.CID); ok {
		t.Error("kept past the TTL")
	}
	if ok, _ := v.HasAuthor(b.Entry.Author); ok {
		t.Error("author with no joined entry kept past the TTL")
	}
}
