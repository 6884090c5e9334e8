package scale

import (
	"path/filepath"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/vault"
)

// TestBuildLoadsAsReal: the views load a built vault as they load real
// entries: every entry is held, the attested proofs are verified, the
// open ones hold no attestation, and funders paid clinics.
func TestBuildLoadsAsReal(t *testing.T) {
	s := Size{Authors: 20, PerAuthor: 16}
	dir := filepath.Join(t.TempDir(), "home")
	m, err := Build(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if want := s.Entries() + 1; m.Entries != want { // the genesis beside the authors' entries
		t.Fatalf("stored %d entries, want %d", m.Entries, want)
	}
	views := readViews(t, filepath.Join(dir, "vault.db"))
	if views.Entries() != m.Entries {
		t.Errorf("the views hold %d entries, the build stored %d", views.Entries(), m.Entries)
	}
	ver := views.Verification()
	// Clinics 16 authors of 16 proofs, one in 16 attested by the pair of
	// verifiers 0 and 10.
	if n := len(ver.Verified()); n != 16 {
		t.Errorf("%d proofs verified, want 16", n)
	}
	for _, o := range m.Open {
		st, ok := ver.Status(cid.MustParse(o))
		if !ok || len(st.Attestations) != 0 || st.Verified {
			t.Errorf("open proof %s: held %v, %d attestations", o, ok, len(st.Attestations))
		}
	}
	clinic, _ := peer.Decode(m.Clinic)
	if n := len(views.Lines()); n != 2*(s.PerAuthor-1) {
		t.Errorf("%d receipt lines, want %d", n, 2*(s.PerAuthor-1))
	}
	var paid bool
	for _, b := range views.Balances() {
		paid = paid || b.Account == clinic && b.Balance > 0
	}
	if !paid {
		t.Errorf("clinic %s was paid nothing: %v", clinic, views.Balances())
	}
}

func readViews(t *testing.T, path string) *node.Views {
	t.Helper()
	v, err := vault.Open(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	views, err := node.ReadViews(v, nil, mip.Builtins())
	if err != nil {
		t.Fatal(err)
	}
	return views
}

// TestBuildGrantsVerifiers: past the genesis's room for verifiers, the
// steward grants the role, and every attestation of a built vault counts.
func TestBuildGrantsVerifiers(t *testing.T) {
	s := Size{Authors: 2_600, PerAuthor: 2} // 260 verifiers and the home's own identity
	dir := filepath.Join(t.TempDir(), "home")
	m, err := Build(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	if want := s.Entries() + 1 + 261 - 256; m.Entries != want {
		t.Fatalf("stored %d entries, want %d", m.Entries, want)
	}
	ver := readViews(t, filepath.Join(dir, "vault.db")).Verification()
	var n int
	for _, st := range ver.All() {
		for _, a := range st.Attestations {
			n++
			if !a.Counted {
				t.Fatalf("attestation %s by %s does not count: %s", a.CID, a.Verifier, a.Why)
			}
		}
	}
	if n != 260*s.PerAuthor {
		t.Errorf("%d attestations, want %d", n, 260*s.PerAuthor)
	}
}
