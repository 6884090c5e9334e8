package api

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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

func serve(t *testing.T, svc PeerService) string {
	t.Helper()
	return serveWith(t, svc, nil).addr
}

// served is a server under test; ln counts the connections it holds.
type served struct {
	srv  *Server
	addr string
	ln   *countListener
}

// serveWith serves svc with its limits changed by edit (when not nil).
func serveWith(t *testing.T, svc PeerService, edit func(*limits)) *served {
	t.Helper()
	inner, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &countListener{Listener: inner}
	srv := NewServer(svc, testToken, "test")
	if edit != nil {
		edit(&srv.lim)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	return &served{srv: srv, addr: ln.Addr().String(), ln: ln}
}

// countListener counts the connections accepted and not yet closed.
type countListener struct {
	net.Listener
	mu         sync.Mutex
	open, peak int
}

func (l *countListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.open++
	l.peak = max(l.peak, l.open)
	l.mu.Unlock()
	return &countConn{Conn: c, l: l}, nil
}

// peakOpen is the most connections held open at once.
func (l *countListener) peakOpen() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.peak
}

type countConn struct {
	net.Conn
	l    *countListener
	once sync.Once
}

func (c *countConn) Close() error {
	c.once.Do(func() {
		c.l.mu.Lock()
		c.l.open--
		c.l.mu.Unlock()
	})
	return c.Conn.Close()
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

// rawConn is one TCP connection to the API, driven by hand.
type rawConn struct {
	net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{Conn: c, br: bufio.NewReader(c)}
}

// do sends one request and reads its whole answer; header values are
// added in order, so a key may repeat.
func (c *rawConn) do(t *testing.T, method, path, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+c.RemoteAddr().String()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Add(header[i], header[i+1])
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := req.Write(c); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(c.br, req)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Time{})
	return resp, string(data)
}

// closedWithin reports nil when the server closes the connection within
// d, and otherwise why not.
func (c *rawConn) closedWithin(d time.Duration) error {
	c.SetReadDeadline(time.Now().Add(d))
	defer c.SetReadDeadline(time.Time{})
	n, err := c.br.Read(make([]byte, 1))
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isReset(err):
		return nil
	case n > 0:
		return errors.New("the server sent more bytes")
	case errors.Is(err, os.ErrDeadlineExceeded):
		return errors.New("still open")
	default:
		return err
	}
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// auth is the header of an honest request to the API at addr.
func auth(addr string) []string {
	return []string{"Host", "127.0.0.1:" + port(addr), "Authorization", "Bearer " + testToken}
}
