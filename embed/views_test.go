package embed

import (
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// headCounter counts the reads of every author's head.
type headCounter struct {
	*vault.Bolt
	n atomic.Int64
}

func (h *headCounter) Heads() ([]vault.Head, error) {
	h.n.Add(1)
	return h.Bolt.Heads()
}

// TestOfflineProofsReadViewsOnce: listing proofs without a daemon reads
// the settlement views (and so every author's head) once per listing,
// not once per proof, which made the offline listing quadratic.
func TestOfflineProofsReadViewsOnce(t *testing.T) {
	b, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	const proofs = 200
	for range proofs {
		a := vaulttest.NewAuthor(t)
		blk := a.Next(t, protocol.KindProof, "meso/north", vaulttest.ProofBody(t, "MIP-HLT@1"))
		if _, err := b.Put(blk); err != nil {
			t.Fatal(err)
		}
	}
	v := &headCounter{Bolt: b}
	l, err := Local(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	page, err := l.Proofs(t.Context(), api.ProofQuery{Limit: proofs})
	ps := page.Proofs
	t.Logf("listing took %v", time.Since(start))
	if err != nil || len(ps) != proofs {
		t.Fatalf("%d proofs, %v", len(ps), err)
	}
	if n := v.n.Load(); n != 1 {
		t.Errorf("listing %d proofs read the heads %d times, want once", proofs, n)
	}
}
