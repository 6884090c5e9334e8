package bundle_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/libp2p/go-libp2p/core/host"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/replicate"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// meshPeer is one peer of the scenario: a mocknet host, a vault file and
// the sync service over them.
type meshPeer struct {
	name string
	h    host.Host
	v    *vault.Bolt
	svc  *replicate.Service
}

func newMeshPeer(t *testing.T, mn mocknet.Mocknet, name string) *meshPeer {
	t.Helper()
	h, err := mn.GenPeer()
	if err != nil {
		t.Fatal(err)
	}
	p := &meshPeer{name: name, h: h, v: newVault(t)}
	p.svc = replicate.New(h, p.v, replicate.Config{Check: check()})
	t.Cleanup(func() { p.svc.Close() })
	return p
}

// link joins two peers on the mock network and connects them.
func link(t *testing.T, mn mocknet.Mocknet, a, b *meshPeer) {
	t.Helper()
	if _, err := mn.LinkPeers(a.h.ID(), b.h.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := mn.ConnectPeers(a.h.ID(), b.h.ID()); err != nil {
		t.Fatal(err)
	}
}

func syncWith(t *testing.T, a, b *meshPeer) replicate.Stats {
	t.Helper()
	st, err := a.svc.Sync(t.Context(), b.h.ID())
	if err != nil {
		t.Fatalf("%s syncs with %s: %v", a.name, b.name, err)
	}
	return st
}

// group is one side of the partition: peers, each writing as its own
// authors, synced among themselves only.
func group(t *testing.T, mn mocknet.Mocknet, side string, peers, authorsPer, entries int) ([]*meshPeer, []protocol.Block) {
	t.Helper()
	var ps []*meshPeer
	var written []protocol.Block
	for i := range peers {
		p := newMeshPeer(t, mn, fmt.Sprintf("%s%d", side, i+1))
		for range authorsPer {
			written = append(written, write(t, vaulttest.NewAuthor(t), entries, "valley/"+side, p.v)...)
		}
		ps = append(ps, p)
	}
	for i := 1; i < len(ps); i++ {
		link(t, mn, ps[0], ps[i])
	}
	for _, p := range ps[1:] { // twice round: the first peer gathers, then hands out
		syncWith(t, ps[0], p)
	}
	for _, p := range ps[1:] {
		syncWith(t, p, ps[0])
	}
	for _, p := range ps {
		if n, _ := p.v.Count(); n != len(written) {
			t.Fatalf("%s holds %d entries of its group's %d", p.name, n, len(written))
		}
	}
	return ps, written
}

// TestOfflineDistricts: two groups of peers write 1,000+ entries each while
// partitioned, meet first through one bundle carried from A to B, then
// reconnect. Every peer converges to the same vault digest, and no sync on
// reconnect moves an entry the receiver already had.
func TestOfflineDistricts(t *testing.T) {
	mn := mocknet.New()
	t.Cleanup(func() { mn.Close() })
	as, aEntries := group(t, mn, "a", 3, 2, 180) // 1,080 entries
	bs, bEntries := group(t, mn, "b", 3, 2, 175) // 1,050 entries

	// The bundle: B's want carried to A, A's export carried back to B.
	var wantFile bytes.Buffer
	if err := writeWant(bs[0].v, &wantFile); err != nil {
		t.Fatal(err)
	}
	want, err := bundle.ReadWant(&wantFile)
	if err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	st, err := bundle.Export(&file, as[0].v, bundle.Filter{Since: &want}, nil)
	if err != nil || st.Entries != len(aEntries) {
		t.Fatalf("export = %+v, %v; want %d entries", st, err, len(aEntries))
	}
	rep, err := bundle.Import(&file, check(), bs[0].v.Put, nil)
	if err != nil || rep.New != len(aEntries) || rep.Known+rep.Rejected+rep.Pending != 0 {
		t.Fatalf("import = %+v, %v; want %d new", rep, err, len(aEntries))
	}

	// The reconnect: A1 meets B1, which already holds all of A.
	link(t, mn, as[0], bs[0])
	rs := syncWith(t, as[0], bs[0])
	missing := size(bEntries)
	t.Logf("reconnect: %+v; %d bytes received for %d bytes of missing entries (%.3fx)",
		rs, rs.BytesReceived, missing, float64(rs.BytesReceived)/float64(missing))
	if ratio := float64(rs.BytesReceived) / float64(missing); ratio > 1.2 {
		t.Errorf("reconnect received %.3fx the size of the missing entries, target <= 1.2x", ratio)
	}
	if rs.Sent != 0 || rs.Received != len(bEntries) || rs.New != len(bEntries) || rs.Known != 0 {
		t.Errorf("reconnect stats %+v: want 0 sent, %d received, all new, 0 known", rs, len(bEntries))
	}
	// Each group's other peers catch up from their first peer.
	for _, g := range []struct {
		peers []*meshPeer
		lack  int
	}{{as, len(bEntries)}, {bs, len(aEntries)}} {
		for _, p := range g.peers[1:] {
			st := syncWith(t, p, g.peers[0])
			if st.Sent != 0 || st.Received != g.lack || st.New != g.lack || st.Known != 0 {
				t.Errorf("%s catch-up %+v: want 0 sent, %d received and new, 0 known", p.name, st, g.lack)
			}
		}
	}
	all := append(as, bs...)
	d0 := digest(t, all[0].v)
	for _, p := range all {
		n, _ := p.v.Count()
		if d := digest(t, p.v); d != d0 || n != len(aEntries)+len(bEntries) {
			t.Errorf("%s holds %d entries, digest %x; want %d and %x", p.name, n, d[:4], len(aEntries)+len(bEntries), d0[:4])
		}
		if err := p.v.Check(); err != nil {
			t.Errorf("%s: %v", p.name, err)
		}
	}
}

func writeWant(v vault.Reader, w *bytes.Buffer) error {
	want, err := bundle.WantOf(v)
	if err != nil {
		return err
	}
	return want.Write(w)
}

func size(blocks []protocol.Block) int64 {
	var n int64
	for _, b := range blocks {
		n += int64(len(b.Data))
	}
	return n
}
