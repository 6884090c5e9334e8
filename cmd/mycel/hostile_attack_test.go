package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/mesocosm/mycel/gossip"
	mycel "github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/replicate"
	"github.com/mesocosm/mycel/vault"
)

// The red team's tools: bare libp2p hosts and raw streams that speak the
// wire format by hand, as a hostile peer would.

// attacker is one hostile identity: a bare host connected to the target.
type attacker struct {
	h host.Host
}

func newAttacker(t *testing.T, ctx context.Context, target peer.AddrInfo) *attacker {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableRelay(),
		libp2p.ResourceManager(&network.NullResourceManager{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if err := h.Connect(ctx, target); err != nil {
		t.Fatalf("a new peer cannot connect to the target: %v", err)
	}
	return &attacker{h: h}
}

// frame is one length-prefixed message of the sync and fetch protocols.
func frame(t *testing.T, v any) []byte {
	t.Helper()
	data, err := mycel.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return append(binary.AppendUvarint(nil, uint64(len(data))), data...)
}

// amplify sends one sync turn of messages, each listing copies of the
// same root summary, and counts what the target sends back (up to max
// bytes, for at most wait). It returns bytes in and out.
func (a *attacker) amplify(t *testing.T, ctx context.Context, target peer.ID, messages, copies int, max int64, wait time.Duration) (sent, got int64) {
	t.Helper()
	st, err := a.h.NewStream(ctx, target, protocol.ID(replicate.SyncProtocol))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Reset()
	hash := make([]byte, 32)
	rand.Read(hash)
	nodes := make([]any, copies)
	for i := range nodes {
		nodes[i] = []any{[]byte{}, uint64(1), hash}
	}
	counted := make(chan int64, 1)
	go func() { // read while writing: the target may answer early
		_ = st.SetReadDeadline(time.Now().Add(wait))
		n, _ := io.Copy(io.Discard, io.LimitReader(st, max))
		counted <- n
	}()
	for i := range messages {
		m := map[string]any{"n": nodes}
		if i < messages-1 {
			m["m"] = true
		}
		f := frame(t, m)
		if _, err := st.Write(f); err != nil {
			break // the target aborted the session
		}
		sent += int64(len(f))
	}
	return sent, <-counted
}

// halfSend opens a stream of proto that announces a message of the
// largest size and sends all of it but the last byte, then holds it.
func (a *attacker) halfSend(ctx context.Context, target peer.ID, proto string) (network.Stream, error) {
	st, err := a.h.NewStream(ctx, target, protocol.ID(proto))
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(st, 64<<10)
	w.Write(binary.AppendUvarint(nil, replicate.MaxMessage))
	chunk := make([]byte, 64<<10)
	for left := replicate.MaxMessage - 1; left > 0; left -= len(chunk) {
		if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
			return st, nil // the target cut it: what it holds is bounded
		}
	}
	w.Flush()
	return st, nil
}

// holdAPI opens n connections to the API, sends one request without a
// token on each and keeps the connection open. It returns the connections
// the daemon had not closed hold after the request.
func holdAPI(t *testing.T, addr string, n int, hold time.Duration) []net.Conn {
	t.Helper()
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
		sem   = make(chan struct{}, 64)
	)
	for range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				return
			}
			_ = c.SetDeadline(time.Now().Add(hold))
			fmt.Fprintf(c, "GET /v1/ping HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
			if _, err := io.Copy(io.Discard, c); err == nil {
				c.Close() // the daemon closed it after its answer
				return
			}
			_ = c.SetDeadline(time.Time{})
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}()
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	return conns
}

// attest signs an attestation by key at seq after prev.
func attestBy(t *testing.T, key crypto.PrivKey, seq uint64, prev mycel.Block, note string, at time.Time) mycel.Block {
	t.Helper()
	body, err := mycel.EncodeBody(&mycel.Attest{
		Proof: mycel.LinkTo(mycel.Sum([]byte(note))), Verdict: mycel.Valid, Note: note,
	})
	if err != nil {
		t.Fatal(err)
	}
	e := mycel.Entry{Seq: seq, Kind: mycel.KindAttest, District: outcomeDistrict, Time: at.UnixMilli(), Body: body}
	if seq > 1 {
		e.Prev = prev.CID
	}
	b, err := mycel.Sign(key, e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newKey(t *testing.T) crypto.PrivKey {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// floodVault is a hostile peer's vault: forkers throwaway keys that each
// sign two entries at seq 1, and flooders fresh keys of length entries.
func floodVault(t *testing.T, dir string, forkers, flooders, length int) *vault.Bolt {
	t.Helper()
	v, err := vault.Create(filepath.Join(dir, "hostile.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	now := time.Now()
	var batch []mycel.Block
	for i := range forkers {
		k := newKey(t)
		batch = append(batch, attestBy(t, k, 1, mycel.Block{}, fmt.Sprintf("fork %d a", i), now),
			attestBy(t, k, 1, mycel.Block{}, fmt.Sprintf("fork %d b", i), now))
	}
	for i := range flooders {
		k := newKey(t)
		var prev mycel.Block
		for s := 1; s <= length; s++ {
			prev = attestBy(t, k, uint64(s), prev, fmt.Sprintf("flood %d.%d", i, s), now)
			batch = append(batch, prev)
		}
	}
	for len(batch) > 0 {
		n := min(len(batch), 512)
		if _, err := v.Put(batch[:n]...); err != nil {
			t.Fatal(err)
		}
		batch = batch[n:]
	}
	return v
}

// pushAll runs one honest sync session from a hostile peer's vault: the
// target stores what it accepts before Sync returns.
func pushAll(t *testing.T, ctx context.Context, h host.Host, v *vault.Bolt, target peer.ID) replicate.Stats {
	t.Helper()
	svc := replicate.New(h, v, replicate.Config{})
	defer svc.Close()
	for {
		st, err := svc.Sync(ctx, target)
		if !errors.Is(err, replicate.ErrFull) && !errors.Is(err, replicate.ErrBusy) {
			if err != nil {
				t.Fatalf("hostile sync: %v", err)
			}
			return st
		}
		// Every slot is held by a silent session (one gives way once it
		// has said nothing for two seconds), or the target is running its
		// own session with this peer. Observing another process, so
		// polling with a deadline is the means.
		select {
		case <-ctx.Done():
			t.Fatalf("hostile sync: %v", err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// gossiper publishes raw entries on the district topic once the target
// is among its topic peers.
func gossiper(t *testing.T, ctx context.Context, h host.Host, target peer.ID) *gossip.Gossip {
	t.Helper()
	joined := make(chan struct{})
	var once sync.Once
	g, err := gossip.New(h, gossip.Config{OnTopicPeer: func(_ string, p peer.ID, in bool) {
		if p == target && in {
			once.Do(func() { close(joined) })
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	if _, err := g.Subscribe(outcomeDistrict); err != nil {
		t.Fatal(err)
	}
	select {
	case <-joined:
	case <-ctx.Done():
		t.Fatal("the target never joined the district topic")
	}
	return g
}
