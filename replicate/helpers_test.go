package replicate

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"go.uber.org/goleak"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// peerT is one test peer: a host, a vault file and the service over them.
type peerT struct {
	h    host.Host
	v    *vault.Bolt
	svc  *Service
	path string
}

func newVault(t testing.TB, path string) *vault.Bolt {
	t.Helper()
	v, err := vault.Create(path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// newPeer starts a peer on loopback TCP with a vault in a temp dir.
func newPeer(t testing.TB) *peerT {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.db")
	p := &peerT{v: newVault(t, path), path: path}
	p.start(t)
	t.Cleanup(func() { p.stop(t) })
	return p
}

func (p *peerT) start(t testing.TB) {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	p.h, p.svc = h, New(h, p.v, Config{})
}

// stop closes service, host and vault; safe to call twice.
func (p *peerT) stop(t testing.TB) {
	t.Helper()
	if p.svc == nil {
		return
	}
	p.svc.Close()
	p.h.Close()
	p.v.Close()
	p.svc = nil
}

// restart reopens the same vault file behind a new host.
func (p *peerT) restart(t testing.TB) {
	t.Helper()
	v, err := vault.Open(p.path, vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.v = v
	p.start(t)
}

func connect(t testing.TB, a, b host.Host) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Connect(ctx, peer.AddrInfo{ID: b.ID(), Addrs: b.Addrs()}); err != nil {
		t.Fatal(err)
	}
}

func syncT(t testing.TB, a, b *peerT) Stats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := a.svc.Sync(ctx, b.h.ID())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func put(t testing.TB, v vault.Store, blocks ...protocol.Block) {
	t.Helper()
	if _, err := v.Put(blocks...); err != nil {
		t.Fatal(err)
	}
}

// publish makes n entries by a on its chain and stores them in v.
func publish(t testing.TB, v vault.Store, a *vaulttest.Author, n int) {
	t.Helper()
	bs := make([]protocol.Block, n)
	for i := range bs {
		bs[i] = a.Next(t, "note", "", nil)
	}
	put(t, v, bs...)
}

func digestOf(t testing.TB, v *vault.Bolt) [32]byte {
	t.Helper()
	d, err := v.Digest()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func count(t testing.TB, v *vault.Bolt) int {
	t.Helper()
	n, err := v.Count()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func forksOf(t testing.TB, v *vault.Bolt) []vault.Fork {
	t.Helper()
	fs, err := v.Forks()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func entryNote() protocol.Entry {
	body, _ := protocol.Marshal(map[string]any{"note": "later"})
	return protocol.Entry{Kind: "note", Body: body}
}
