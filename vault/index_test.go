package vault_test

import (
	"testing"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// A proof whose body names a MIP but does not decode as a proof is stored,
// logged and indexed, yet never returned for a MIP query; the vault stays
// consistent.
func TestMalformedProofNotReturnedForMIP(t *testing.T) {
	v := newBolt(t)
	a := vaulttest.NewAuthor(t)
	bad, err := protocol.Marshal(map[string]any{"mip": "MIP-HLT@1", "claim": 5})
	if err != nil {
		t.Fatal(err)
	}
	badFirst, err := protocol.Marshal(map[string]any{"a": 1, "mip": "MIP-HLT@1"})
	if err != nil {
		t.Fatal(err)
	}
	good := a.Next(t, "proof", "d", vaulttest.ProofBody(t, "MIP-HLT@1"))
	blocks := []protocol.Block{good, a.Next(t, "proof", "d", bad), a.Next(t, "proof", "d", badFirst)}
	if _, err := v.Put(blocks...); err != nil {
		t.Fatal(err)
	}
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
	for _, q := range []vault.Query{{MIP: "MIP-HLT@1"}, {MIP: "MIP-HLT"}, {MIP: "MIP-HLT", Author: a.ID}} {
		got, err := v.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || !got[0].CID.Equals(good.CID) {
			t.Errorf("%+v: %d entries, want only the well-formed proof", q, len(got))
		}
	}
	if got, err := v.Query(vault.Query{Kind: "proof"}); err != nil || len(got) != 3 {
		t.Errorf("kind query: %d entries, %v; want all 3", len(got), err)
	}
}
