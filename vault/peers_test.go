package vault

import (
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

func somePeer(t *testing.T) peer.ID {
	t.Helper()
	_, pub, err := crypto.GenerateEd25519Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, err := peer.IDFromPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRememberedPeers: peers are stored with their addresses, updated,
// listed most recently seen first, forgotten, bounded by MaxPeers
// (least recently seen go first), and survive reopening; Check passes.
func TestRememberedPeers(t *testing.T) {
	path := t.TempDir() + "/v.db"
	v, err := Create(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ps, err := v.RememberedPeers(); err != nil || len(ps) != 0 {
		t.Fatalf("fresh vault remembers %v, %v", ps, err)
	}
	base := time.UnixMilli(1_700_000_000_000)
	var ids []peer.ID
	for i := range MaxPeers + 10 {
		id := somePeer(t)
		ids = append(ids, id)
		addr := ma.StringCast(fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 4000+i))
		if err := v.RememberPeers(Peer{ID: id, Addrs: []ma.Multiaddr{addr}, Seen: base.Add(time.Duration(i) * time.Second), Source: "connect"}); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := v.RememberedPeers()
	if err != nil || len(ps) != MaxPeers {
		t.Fatalf("remembered %d, %v; want %d", len(ps), err, MaxPeers)
	}
	if ps[0].ID != ids[len(ids)-1] || ps[len(ps)-1].ID != ids[10] {
		t.Fatal("not the most recently seen, newest first")
	}
	if got := ps[0].Addrs; len(got) != 1 || got[0].String() != fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 4000+len(ids)-1) || ps[0].Source != "connect" {
		t.Fatalf("record %+v", ps[0])
	}
	if ok, err := v.ForgetPeer(ids[len(ids)-1]); !ok || err != nil {
		t.Fatalf("forget: %v, %v", ok, err)
	}
	if ok, _ := v.ForgetPeer(ids[0]); ok {
		t.Fatal("forgot an evicted peer")
	}
	if err := v.Check(); err != nil {
		t.Fatal(err)
	}
	v.Close()
	v, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	ps, err = v.RememberedPeers()
	if err != nil || len(ps) != MaxPeers-1 || ps[0].ID != ids[len(ids)-2] {
		t.Fatalf("after reopen: %d peers, %v", len(ps), err)
	}
}
