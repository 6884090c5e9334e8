package gossip

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
	"go.uber.org/goleak"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const district = "meso-valley/north"

func newVault(t testing.TB) *vault.Bolt {
	t.Helper()
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func put1(v vault.Store) func(protocol.Block) (vault.Result, error) {
	return func(b protocol.Block) (vault.Result, error) {
		rs, err := v.Put(b)
		if err != nil {
			return vault.Result{}, err
		}
		return rs[0], nil
	}
}

func attestEntry(t testing.TB, district, note string) protocol.Entry {
	t.Helper()
	body, err := protocol.EncodeBody(&protocol.Attest{
		Proof: protocol.LinkTo(protocol.Sum([]byte(note))), Verdict: protocol.Valid, Note: note,
	})
	if err != nil {
		t.Fatal(err)
	}
	return protocol.Entry{Kind: protocol.KindAttest, District: district, Time: 1, Body: body}
}

func TestTwoPeers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	mn := mocknet.New()
	t.Cleanup(func() { mn.Close() })
	joined := make(chan struct{}, 4)
	var gs []*Gossip
	var vs []*vault.Bolt
	for range 2 {
		h, err := mn.GenPeer()
		if err != nil {
			t.Fatal(err)
		}
		v := newVault(t)
		g, err := New(h, Config{Store: put1(v), OnTopicPeer: func(string, peer.ID, bool) { joined <- struct{}{} }})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { g.Close() })
		gs, vs = append(gs, g), append(vs, v)
	}
	if err := mn.LinkAll(); err != nil {
		t.Fatal(err)
	}
	if err := mn.ConnectAllButSelf(); err != nil {
		t.Fatal(err)
	}
	sub, err := gs[1].Subscribe(district)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Cancel()
	if _, err := gs[0].Subscribe(district); err != nil {
		t.Fatal(err)
	}
	<-joined
	<-joined
	b, err := vs[0].Append(vs[0].Key(), attestEntry(t, district, "hello"))
	if err != nil {
		t.Fatal(err)
	}
	if err := gs[0].Publish(ctx, district, b); err != nil {
		t.Fatal(err)
	}
	d, err := sub.Next(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d.Block.CID != b.CID || d.Result.Status != vault.New {
		t.Fatalf("got %s %s", d.Block.CID, d.Result.Status)
	}
	if ok, _ := vs[1].Has(b.CID); !ok {
		t.Fatal("delivered but not stored")
	}
}
