package miptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"testing"
	"time"

	carv2 "github.com/ipld/go-car/v2"
	"github.com/ipld/go-car/v2/storage"
	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// Ref is the MIP that Published defines.
const Ref = "MIP-TST@1"

// Published signs a mip entry defining MIP-TST@1 (MIP-HLT@1's schema and
// policy under a new id) and a proof under it in district, each the first
// entry of a fresh author.
func Published(t testing.TB, district string) (def, proof protocol.Block) {
	t.Helper()
	m, _ := mip.Builtins().Lookup("MIP-HLT@1")
	m.ID = "MIP-TST"
	doc := mip.DocOf(m)
	def = first(t, protocol.KindMIP, "", &doc)
	return def, first(t, protocol.KindProof, district, &protocol.Proof{
		MIP: Ref, Claim: m.Examples[0],
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1},
		Period:   protocol.Period{Start: 1, End: 2},
	})
}

// first signs body as the first entry of a fresh author.
func first(t testing.TB, kind, district string, body protocol.Body) protocol.Block {
	t.Helper()
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b, err := protocol.Sign(key, protocol.Entry{Seq: 1, Kind: kind, District: district, Time: time.Now().UnixMilli(), Body: enc})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Bundle writes blocks, in the order given, as a CARv1 bundle with no
// roots, as `mycel bundle export` would carry them.
func Bundle(t testing.TB, blocks ...protocol.Block) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := storage.NewWritable(&buf, nil, carv2.WriteAsCarV1(true))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if err := w.Put(context.Background(), b.CID.KeyString(), b.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Finalize(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
