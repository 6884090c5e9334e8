package protocol

import (
	"crypto/ed25519"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// seedKey returns the Ed25519 key whose 32-byte seed is all zero except
// for its last byte, n: seed 0 is the first did:key spec test vector.
func seedKey(t testing.TB, n byte) crypto.PrivKey {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	seed[31] = n
	priv, err := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func seedID(t testing.TB, n byte) peer.ID {
	t.Helper()
	id, err := peer.IDFromPrivateKey(seedKey(t, n))
	if err != nil {
		t.Fatal(err)
	}
	return id
}
