package prototest_test

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
)

func TestResignKeepsIdentity(t *testing.T) {
	priv, _, err := crypto.GenerateEd25519Key(bytes.NewReader(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := protocol.Sign(priv, protocol.Entry{Seq: 1, Kind: "note", Time: 5, Body: []byte{0xa0}})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b2, err := prototest.Resign(priv, b, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if b2.CID.Equals(b.CID) || b2.ID() != b.ID() {
			t.Fatalf("want another block of one identity: %s %s", b.CID, b2.CID)
		}
		if _, err := protocol.OpenCID(b2.CID, b2.Data); err != nil {
			t.Fatal(err)
		}
	}
}
