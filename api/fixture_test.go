package api

import (
	"context"
	"net"
	"path/filepath"
	"testing"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

const testToken = "test-token"

// fixture is a Local over a real vault, served on loopback, and a client.
type fixture struct {
	local  *Local
	vault  *vault.Bolt
	client *Client
	addr   string
}

func newLocal(t *testing.T) (*Local, *vault.Bolt) {
	t.Helper()
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return &Local{Vault: v, Registry: mip.Builtins()}, v
}

func serve(t *testing.T, svc Service) string {
	t.Helper()
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(svc, testToken, "test")
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return ln.Addr().String()
}

func newFixture(t *testing.T) *fixture {
	l, v := newLocal(t)
	addr := serve(t, l)
	return &fixture{local: l, vault: v, client: NewClient(addr, testToken), addr: addr}
}

func port(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

// fakeMesh is a Mesh whose Publish appends to the vault and records the
// entry as sent.
type fakeMesh struct {
	v     *vault.Bolt
	sent  []protocol.Block
	peers []Peer
}

func (m *fakeMesh) Addrs() []string      { return []string{"/ip4/127.0.0.1/tcp/1/p2p/" + m.v.ID().String()} }
func (m *fakeMesh) Reachability() string { return ReachPrivate }
func (m *fakeMesh) Relays() []string     { return []string{} }
func (m *fakeMesh) Peers() []Peer        { return m.peers }
func (m *fakeMesh) Connect(_ context.Context, addr string) (Peer, error) {
	p := Peer{PeerID: "x", Addr: addr, Connection: ConnDirect}
	m.peers = append(m.peers, p)
	return p, nil
}
func (m *fakeMesh) Publish(_ context.Context, e protocol.Entry) (protocol.Block, error) {
	b, err := m.v.Append(m.v.Key(), e)
	if err == nil {
		m.sent = append(m.sent, b)
	}
	return b, err
}
