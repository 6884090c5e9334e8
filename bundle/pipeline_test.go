package bundle_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/mip/miptest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// TestImportOverlapsStoreWithChecks: the next chunk is opened and checked
// while the one before is stored. The first chunk ends with a mip entry
// and its put waits until the second chunk's proof under that MIP has
// been checked, so that check ran before the MIP was known; the proof is
// judged again once the MIP is stored, and stored, not Ignored.
func TestImportOverlapsStoreWithChecks(t *testing.T) {
	def, proof := miptest.Published(t, "valley")
	a := vaulttest.NewAuthor(t)
	first := make([]protocol.Block, 0, bundle.BatchSize)
	for len(first) < bundle.BatchSize-1 {
		first = append(first, a.Next(t, "note", "valley", nil))
	}
	first = append(first, def)
	second := []protocol.Block{proof, a.Next(t, "note", "valley", nil)}
	file := writeCAR(t, cids(def), raw(append(first, second...)...)...)

	v := newVault(t)
	check, put := growing(v, mip.Builtins())
	checked := make(chan struct{})
	var once sync.Once
	overlapped := true
	rep, err := bundle.Import(bytes.NewReader(file),
		func(b protocol.Block) protocol.Verdict {
			if b.CID.Equals(proof.CID) {
				defer once.Do(func() { close(checked) })
			}
			return check(b)
		},
		func(blocks ...protocol.Block) ([]vault.Result, error) {
			if len(blocks) > 0 && blocks[len(blocks)-1].CID.Equals(def.CID) {
				select {
				case <-checked:
				case <-time.After(5 * time.Second):
					overlapped = false
				}
			}
			return put(blocks...)
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !overlapped {
		t.Error("the second chunk was not checked while the first was stored")
	}
	if want := len(first) + len(second); rep.New != want || rep.Ignored != 0 {
		t.Fatalf("import = %+v, want %d new, none ignored", rep, want)
	}
	if ok, err := v.Has(proof.CID); err != nil || !ok {
		t.Fatalf("the proof checked before its MIP was stored is not stored: %v", err)
	}
}
