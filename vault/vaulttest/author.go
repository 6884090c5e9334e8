package vaulttest

import (
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Author makes signed entries for tests: a key and the chain of entries
// signed with it so far.
type Author struct {
	Key crypto.PrivKey
	ID  peer.ID
	Log []protocol.Block // entries made by Next, in seq order
}

// NewAuthor returns an author with a fresh Ed25519 key.
func NewAuthor(t testing.TB) *Author {
	t.Helper()
	key, _, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return &Author{Key: key, ID: id}
}

// Next signs the next entry of the author's chain. A nil body becomes
// {"n": seq}.
func (a *Author) Next(t testing.TB, kind, district string, body []byte) protocol.Block {
	t.Helper()
	seq := uint64(len(a.Log)) + 1
	prev := cid.Undef
	if seq > 1 {
		prev = a.Log[seq-2].CID
	}
	if body == nil {
		body = Body(t, seq, "")
	}
	blk := a.sign(t, protocol.Entry{Seq: seq, Prev: prev, Kind: kind, District: district, Body: body})
	a.Log = append(a.Log, blk)
	return blk
}

// Branch signs an entry at seq with the given prev that is not part of the
// chain: a second entry at a held seq is an equivocation. note tells
// branches apart.
func (a *Author) Branch(t testing.TB, seq uint64, prev cid.Cid, note string) protocol.Block {
	t.Helper()
	return a.sign(t, protocol.Entry{Seq: seq, Prev: prev, Kind: "note", Body: Body(t, seq, note)})
}

func (a *Author) sign(t testing.TB, e protocol.Entry) protocol.Block {
	t.Helper()
	e.Time = 1_700_000_000_000 + int64(e.Seq)
	blk, err := protocol.Sign(a.Key, e)
	if err != nil {
		t.Fatal(err)
	}
	return blk
}

// Body returns a small canonical body map.
func Body(t testing.TB, n uint64, note string) []byte {
	t.Helper()
	b, err := protocol.Marshal(map[string]any{"n": n, "note": note})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ProofBody returns a well-formed proof body naming mip.
func ProofBody(t testing.TB, mip string) []byte {
	t.Helper()
	b, err := protocol.EncodeBody(&protocol.Proof{
		MIP:      mip,
		Claim:    map[string]any{"metric": "visits", "value": 3},
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1},
		Period:   protocol.Period{Start: 1, End: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
