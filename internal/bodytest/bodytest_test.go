package bodytest

import (
	"path/filepath"
	"testing"

	"github.com/mesocosm/mycel/protocol"
)

// TestGoldenRoundTrip: vectors written with update read back equal and
// decode; a canonical body passes Canonical.
func TestGoldenRoundTrip(t *testing.T) {
	k := protocol.DefaultKinds()
	link := protocol.LinkTo(protocol.Sum([]byte("claim")))
	got := Vectors(t, []Body{{Kind: protocol.KindAttest, Note: "valid", Body: &protocol.Attest{Proof: link, Verdict: protocol.Valid}}})
	path := filepath.Join(t.TempDir(), "testdata", "bodies.json")
	Golden(t, path, true, got, k)
	Golden(t, path, false, got, k)
	Canonical(t, k, protocol.KindAttest, got[0].Bytes(t))
}
