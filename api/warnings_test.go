package api

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// memMesh is a fakeMesh that also remembers peers.
type memMesh struct {
	*fakeMesh
	remembered []Remembered
}

func (m *memMesh) Remembered() []Remembered              { return m.remembered }
func (m *memMesh) Forget(context.Context, peer.ID) error { return nil }

func ms(v int64) *int64 { return &v }

func forkPair(t *testing.T) (protocol.Block, protocol.Block) {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(note string) protocol.Block {
		body, _ := protocol.EncodeBody(&protocol.Attest{Proof: protocol.LinkTo(protocol.Sum([]byte(note))), Verdict: protocol.Valid, Note: note})
		b, err := protocol.Sign(k, protocol.Entry{Seq: 1, Kind: protocol.KindAttest, District: "meso-valley/north", Time: 1, Body: body})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return sign("one"), sign("two")
}

// TestStatusWarnings: a fork held, a pin naming a proof, an unreachable
// bootstrap peer and a clock far from its peers' each give a warning at
// the top of the status; a quiet peer gives none.
func TestStatusWarnings(t *testing.T) {
	l, v := newLocal(t)
	m := &memMesh{fakeMesh: &fakeMesh{v: v}}
	l.Mesh = m
	st, err := l.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Warnings) != 0 {
		t.Fatalf("warnings %q on a quiet peer", st.Warnings)
	}

	a, b := forkPair(t)
	if _, err := v.Put(a, b); err != nil {
		t.Fatal(err)
	}
	l.Pins = settle.Pins{"meso-valley/north": a.CID}
	m.remembered = []Remembered{{PeerID: "boot", Source: "bootstrap", LastError: "connection refused"}}
	m.peers = []Peer{
		{PeerID: "p1", ClockSkewMS: ms(600_000)},
		{PeerID: "p2", ClockSkewMS: ms(610_000)},
		{PeerID: "p3", ClockSkewMS: ms(200)},
	}
	st, err = l.Status(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1 fork(s) held: " + a.Entry.Author.String(),
		"names an entry of kind attest, not a district entry",
		"bootstrap peer boot unreachable: connection refused",
		"this peer's clock is 10m0s behind its peers' (median of 3)",
	}
	if len(st.Warnings) != len(want) {
		t.Fatalf("warnings %q, want %d", st.Warnings, len(want))
	}
	for i, w := range want {
		if !strings.Contains(st.Warnings[i], w) {
			t.Errorf("warning %d %q, want it to say %q", i, st.Warnings[i], w)
		}
	}

	m.peers = []Peer{{PeerID: "p1", ClockSkewMS: ms(-300_000)}, {PeerID: "p2", ClockSkewMS: ms(0)}, {PeerID: "p3", ClockSkewMS: ms(100)}}
	got := clockWarnings(m.peers)
	if len(got) != 1 || !strings.Contains(got[0], "clock far from ours on p1 (5m0s behind ours)") {
		t.Fatalf("one skewed peer: %q", got)
	}
}
