package replicate

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"

	"github.com/mesocosm/mycel/vault/vaulttest"
)

// Tests of issue 9: hostile sync and fetch input costs the receiver at
// most a small constant times its own size, in bytes sent and memory
// held, and every wait has a deadline.

// maxAmplification bounds the bytes of reconciliation output per byte of
// input for one turn: a node summary is answered with at most a split of
// 16 children.
const maxAmplification = 24

// newPeerCfg starts a peer with cfg and extra host options.
func newPeerCfg(t testing.TB, cfg Config, opts ...libp2p.Option) *peerT {
	t.Helper()
	path := filepath.Join(t.TempDir(), "vault.db")
	p := &peerT{v: newVault(t, path), path: path}
	h, err := libp2p.New(append([]libp2p.Option{libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	p.h, p.svc = h, New(h, p.v, cfg)
	t.Cleanup(func() { p.stop(t) })
	return p
}

// bare returns a connected peer with no handlers of its own.
func bare(t testing.TB, honest *peerT) *peerT {
	evil := newPeer(t)
	evil.svc.Close()
	connect(t, evil.h, honest.h)
	return evil
}

// rawStream opens a stream of proto from evil to honest; the reader
// counts the bytes read into *in.
func rawStream(t testing.TB, evil, honest *peerT, proto string, in *int64) (network.Stream, *bufio.Reader) {
	t.Helper()
	st, err := evil.h.NewStream(t.Context(), honest.h.ID(), protocol.ID(proto))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Reset() })
	var n int64
	if in == nil {
		in = &n
	}
	return st, newReader(st, in)
}

// frames encodes messages as a stream would carry them.
func frames[M any](t testing.TB, ms ...M) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, m := range ms {
		if err := writeMsg(&buf, m); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// answer reads one turn; it returns the abort code, if any.
func answer(t testing.TB, r *bufio.Reader) (message, Code) {
	t.Helper()
	var turn message
	for {
		var m message
		if err := readMsg(r, &m); err != nil {
			t.Fatalf("reading the answer: %v", err)
		}
		if m.E != nil {
			t.Logf("abort: %s", m.E.R)
			return turn, Code(m.E.C)
		}
		turn.S, turn.I = append(turn.S, m.S...), append(turn.I, m.I...)
		if !m.M {
			return turn, 0
		}
	}
}

func randHash() []byte {
	h := make([]byte, hashSize)
	rand.Read(h)
	return h
}

// authors stores one entry by each of n fresh authors.
func authors(t testing.TB, p *peerT, n int) {
	for range n {
		publish(t, p.v, vaulttest.NewAuthor(t), 1)
	}
}

// TestAttackSyncAmplification (finding 1): a turn listing the root
// summary 2,048 times, or once with a count that makes the answerer list
// every author it holds, costs the answerer at most maxAmplification
// bytes per byte received; duplicates are refused as malformed.
func TestAttackSyncAmplification(t *testing.T) {
	honest := newPeer(t)
	authors(t, honest, 100)
	t.Run("duplicate roots", func(t *testing.T) {
		root := node{P: []byte{}, N: 1, H: randHash()}
		turn := make([]message, 2)
		for i := range turn {
			turn[i] = message{N: make([]node, maxList), M: i == 0}
			for j := range turn[i].N {
				turn[i].N[j] = root
			}
		}
		data := frames(t, turn...)
		var out int64
		st, r := rawStream(t, bare(t, honest), honest, SyncProtocol, &out)
		go st.Write(data)
		_, code := answer(t, r)
		ratio := float64(out) / float64(len(data))
		t.Logf("%d bytes in, %d bytes out: x%.3f", len(data), out, ratio)
		if ratio > maxAmplification || code != CodeMalformed {
			t.Errorf("x%.1f, code %s; want at most x%d and the malformed code", ratio, code, maxAmplification)
		}
	})
	t.Run("one root", func(t *testing.T) {
		r := NewReconciler(vectorT(t, honest))
		in := message{N: []node{{P: []byte{}, N: 1, H: randHash()}}}
		out, err := r.Step(in)
		if err != nil {
			t.Fatal(err)
		}
		checkRatio(t, in, out)
	})
	t.Run("tree walk", func(t *testing.T) {
		// A valid walk that claims every child differs, two levels down.
		var out int64
		st, r := rawStream(t, bare(t, honest), honest, SyncProtocol, &out)
		first := message{N: []node{{P: []byte{}, N: 1 << 20, H: randHash()}}}
		st.Write(frames(t, first))
		root, _ := answer(t, r)
		if len(root.S) != 1 {
			t.Fatalf("root answered with %d splits, want 1", len(root.S))
		}
		var walk message
		for _, c := range root.S[0].C {
			s := split{P: []byte{byte(c.X)}}
			for x := range fanout {
				s.C = append(s.C, child{X: uint64(x), N: 1 << 20, H: randHash()})
			}
			walk.S = append(walk.S, s)
		}
		out = 0
		data := frames(t, pack(walk)...)
		st.Write(data)
		_, code := answer(t, r)
		ratio := float64(out) / float64(len(data))
		t.Logf("walk: %d bytes in, %d bytes out: x%.3f, code %v", len(data), out, ratio, code)
		if ratio > maxAmplification || code != 0 {
			t.Errorf("x%.1f, code %s; want at most x%d and no abort", ratio, code, maxAmplification)
		}
	})
	t.Run("honest plans", func(t *testing.T) {
		// Vectors of 0 to 600 authors, each held by either or both sides,
		// at equal or different heads: each side plans exactly what the
		// other lacks.
		ids := authorIDs(t, 600)
		for i, sizes := range [][2]int{{1, 600}, {600, 1}, {5, 300}, {300, 300}, {0, 40}, {600, 590}} {
			var a, b []Version
			for j, id := range ids {
				if j < sizes[0] {
					a = append(a, Version{Author: id, Seq: uint64(1 + (i+j)%3), Digest: digest(id, uint64(1+(i+j)%3), 0)})
				}
				if k := len(ids) - 1 - j; k < sizes[1] {
					b = append(b, Version{Author: id, Seq: uint64(1 + (i+2*j)%3), Digest: digest(id, uint64(1+(i+2*j)%3), 0)})
				}
			}
			ra, rb, n, turns := exchange(t, NewVector(a), NewVector(b))
			t.Logf("%d and %d authors: %d bytes in %d turns", sizes[0], sizes[1], n, turns)
			checkPlan(t, "a", ra, ids, lacks(ids, a, b))
			checkPlan(t, "b", rb, ids, lacks(ids, b, a))
		}
	})
	t.Run("honest", func(t *testing.T) {
		// A peer with one author of two meets one with 100 more.
		other := newPeer(t)
		x := vaulttest.NewAuthor(t)
		publish(t, other.v, x, 2)
		put(t, honest.v, x.Log[0])
		connect(t, other.h, honest.h)
		syncT(t, other, honest)
		if count(t, other.v) != 102 || digestOf(t, other.v) != digestOf(t, honest.v) {
			t.Errorf("after sync: %d and %d entries, want 102 and equal digests", count(t, other.v), count(t, honest.v))
		}
	})
}

// lacks returns, by author index, the seq from which mine must be sent
// to a peer holding theirs.
func lacks(ids []peer.ID, mine, theirs []Version) map[int]uint64 {
	have := map[peer.ID]uint64{}
	for _, v := range theirs {
		have[v.Author] = v.Seq
	}
	want := map[int]uint64{}
	for _, v := range mine {
		if s := have[v.Author]; s < v.Seq {
			want[slices.Index(ids, v.Author)] = s + 1
		}
	}
	return want
}

func vectorT(t testing.TB, p *peerT) Vector {
	v, err := vectorOf(p.v)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func checkRatio(t *testing.T, in, out message) {
	t.Helper()
	a, b := len(frames(t, pack(in)...)), len(frames(t, pack(out)...))
	t.Logf("%d bytes in, %d bytes out: x%.3f", a, b, float64(b)/float64(a))
	if b > maxAmplification*a {
		t.Errorf("x%.1f, want at most x%d", float64(b)/float64(a), maxAmplification)
	}
}

// itemsTurn returns n messages of fingerprints for the root bucket,
// each near MaxMessage.
func itemsTurn(t testing.TB, n int) []byte {
	var out []byte
	for i := range n {
		m := message{M: i < n-1}
		for range 28 {
			it := items{P: []byte{}, F: make([]fp, maxList)}
			for j := range it.F {
				it.F[j] = fp{K: binary.BigEndian.Uint64(randHash()), S: 1, D: randHash()}
			}
			m.I = append(m.I, it)
		}
		out = append(out, frames(t, m)...)
	}
	return out
}

func heap() (inuse, total uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse, ms.TotalAlloc
}

// TestAttackSyncTurnMemory (finding 2): a turn of 32 messages of about
// 1 MiB of fingerprints is not held whole: the answerer's heap grows by
// a bounded amount, and one peer gets at most MaxServedPerPeer sessions
// answered at once (and everyone MaxServed).
func TestAttackSyncTurnMemory(t *testing.T) {
	t.Run("fingerprints", func(t *testing.T) {
		honest := newPeer(t)
		authors(t, honest, 10)
		const n = 32
		data := itemsTurn(t, n)
		st, r := rawStream(t, bare(t, honest), honest, SyncProtocol, nil)
		inuse0, total0 := heap()
		var peak uint64
		for off := 0; off < len(data); off += 1 << 16 {
			if _, err := st.Write(data[off:min(off+1<<16, len(data))]); err != nil {
				break
			}
			if off%(1<<20) == 0 {
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
		answer(t, r)
		inuse1, total1 := heap()
		peak = max(peak, inuse1)
		grew, alloc := int64(peak)-int64(inuse0), int64(total1-total0)
		t.Logf("%d MiB sent: heap in use +%.1f MiB at peak, %.1f MiB allocated", len(data)>>20, float64(grew)/(1<<20), float64(alloc)/(1<<20))
		if grew > 24<<20 || alloc > 48<<20 {
			t.Errorf("heap +%d MiB, %d MiB allocated; want at most 24 and 48", grew>>20, alloc>>20)
		}
	})
	t.Run("sessions", func(t *testing.T) {
		honest := newPeerCfg(t, Config{MaxServed: 3})
		frozen := time.Now()
		honest.svc.now = func() time.Time { return frozen } // nothing stalls
		hold := func(evil *peerT) Code {
			st, r := rawStream(t, evil, honest, SyncProtocol, nil)
			st.Write(frames(t, message{N: []node{{P: []byte{}}}}))
			_, code := answer(t, r) // {}: equal roots, the session waits for blocks
			return code
		}
		one, two, three := bare(t, honest), bare(t, honest), bare(t, honest)
		codes := []Code{hold(one), hold(one), hold(one), hold(two), hold(three)}
		want := []Code{0, 0, CodeFull, 0, CodeFull}
		for i := range want {
			if codes[i] != want[i] {
				t.Errorf("session %d: code %v, want %v", i+1, codes[i], want[i])
			}
		}
	})
}

// TestAttackStalledSessionsGiveWay: peers that fill every slot with
// sessions that say nothing cannot keep a new peer out: once they have
// moved no message for stallGrace, the longest-silent one is reset and the
// new session is answered. Sessions that move messages keep their slots.
func TestAttackStalledSessionsGiveWay(t *testing.T) {
	honest := newPeerCfg(t, Config{MaxServed: 2})
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	honest.svc.now = func() time.Time { return time.Unix(0, clock.Load()) }
	hold := func(evil *peerT) (network.Stream, *bufio.Reader, Code) {
		st, r := rawStream(t, evil, honest, SyncProtocol, nil)
		st.Write(frames(t, message{N: []node{{P: []byte{}}}}))
		_, code := answer(t, r)
		return st, r, code
	}
	_, first, c1 := hold(bare(t, honest))
	clock.Add(int64(time.Second))
	_, _, c2 := hold(bare(t, honest))
	if _, _, c := hold(bare(t, honest)); c1 != 0 || c2 != 0 || c != CodeFull {
		t.Fatalf("codes %v %v %v, want two answered, then full", c1, c2, c)
	}
	clock.Add(int64(stallGrace))
	if _, _, c := hold(bare(t, honest)); c != 0 {
		t.Fatalf("a new session after the others stalled: code %v, want answered", c)
	}
	var m message
	if err := readMsg(first, &m); err == nil && m.E == nil {
		t.Error("the longest-silent session kept its slot")
	}
	if _, _, c := hold(bare(t, honest)); c != CodeFull {
		t.Errorf("with no session stalled past the grace: code %v, want full", c)
	}
}

// TestAttackFetchBounds: a fetch answer holds at most maxFetchBytes of
// blocks (the rest is absent: the peer asks again), and one peer gets at
// most fetchPerPeer fetches answered at once.
func TestAttackFetchBounds(t *testing.T) {
	honest := newPeer(t)
	x := vaulttest.NewAuthor(t)
	var cids []cid.Cid
	for range 80 { // 80 blocks of about 60 KiB: 4.7 MiB
		b := x.Next(t, "note", "", vaulttest.Body(t, 1, strings.Repeat("x", 60<<10)))
		put(t, honest.v, b)
		cids = append(cids, b.CID)
	}
	req := request{C: make([][]byte, len(cids))}
	for i, c := range cids {
		req.C[i] = c.Bytes()
	}
	evil := bare(t, honest)
	var in int64
	st, r := rawStream(t, evil, honest, FetchProtocol, &in)
	st.Write(frames(t, req))
	got := 0
	for {
		var m message
		if err := readMsg(r, &m); err != nil {
			t.Fatal(err)
		}
		got += len(m.B)
		if !m.M {
			break
		}
	}
	if in > maxFetchBytes+64<<10 || got == len(cids) {
		t.Errorf("answer of %d bytes, %d of %d blocks; want at most %d bytes", in, got, len(cids), maxFetchBytes)
	}
	// Two fetches held (their answers unread) take this peer's slots.
	for range fetchPerPeer {
		held, hr := rawStream(t, evil, honest, FetchProtocol, nil)
		held.Write(frames(t, req))
		var first message
		if err := readMsg(hr, &first); err != nil || !first.M {
			t.Fatalf("held fetch: %v", err)
		}
	}
	third, tr := rawStream(t, evil, honest, FetchProtocol, nil)
	third.Write(frames(t, request{C: req.C[:1]}))
	for {
		var m message
		if err := readMsg(tr, &m); err != nil {
			t.Fatalf("third fetch: %v, want refused full", err)
		}
		if m.E != nil {
			if Code(m.E.C) != CodeFull {
				t.Errorf("third fetch: code %v, want full", Code(m.E.C))
			}
			break
		}
		if !m.M {
			t.Fatal("a third fetch at once from one peer was answered")
		}
	}
}

// TestAttackKeepAlive: a session that only pretends to move keeps no
// slot. An empty block message with more to follow, or one block twice
// in a message, is malformed; a block the answerer already holds does
// not count as moving, so after stallGrace a new session takes the slot.
func TestAttackKeepAlive(t *testing.T) {
	honest := newPeerCfg(t, Config{MaxServed: 1})
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	honest.svc.now = func() time.Time { return time.Unix(0, clock.Load()) }
	x := vaulttest.NewAuthor(t)
	held := x.Next(t, "note", "", nil)
	put(t, honest.v, held)
	// open starts a session that reaches the block turn: the peer holds
	// nothing, so the answerer waits for blocks.
	open := func() (network.Stream, *bufio.Reader, Code) {
		st, r := rawStream(t, bare(t, honest), honest, SyncProtocol, nil)
		st.Write(frames(t, message{N: []node{{P: []byte{}}}}))
		_, code := answer(t, r)
		return st, r, code
	}
	for _, bad := range []message{{M: true}, {B: [][]byte{held.Data, held.Data}, M: true}} {
		st, r, code := open()
		if code != 0 {
			t.Fatalf("session refused: %v", code)
		}
		st.Write(frames(t, bad))
		if c := readFailure(t, r); c != CodeMalformed {
			t.Errorf("keep-alive %d blocks, more %v: code %v, want malformed", len(bad.B), bad.M, c)
		}
	}
	read := make(chan struct{}, 64)
	honest.svc.onLength = func() { read <- struct{}{} }
	st, r, _ := open()
	<-read // the root summary
	for range 3 {
		st.Write(frames(t, message{B: [][]byte{held.Data}, M: true}))
		<-read
		clock.Add(int64(stallGrace))
	}
	if _, _, code := open(); code != 0 {
		t.Fatalf("a new session behind one resending a held block: code %v, want answered", code)
	}
	var m message
	if err := readMsg(r, &m); err == nil && m.E == nil {
		t.Error("the session resending a held block kept its slot")
	}
}

// TestAttackHalfSentStreams (finding 3): streams that announce 1 MiB and
// send a few bytes hold a few KiB each, not the announced size; a message
// that outgrows the stream's memory limit is refused.
func TestAttackHalfSentStreams(t *testing.T) {
	t.Run("announced", func(t *testing.T) {
		honest := newPeer(t)
		const k = 48
		read := make(chan struct{}, k)
		honest.svc.onLength = func() { read <- struct{}{} }
		var evils []*peerT // fetchPerPeer streams each
		for range k / fetchPerPeer {
			evils = append(evils, bare(t, honest))
		}
		prefix := binary.AppendUvarint(nil, MaxMessage)
		inuse0, _ := heap()
		for i := range k {
			st, _ := rawStream(t, evils[i/fetchPerPeer], honest, FetchProtocol, nil)
			st.Write(append(prefix, make([]byte, 64)...))
		}
		for range k {
			select {
			case <-read:
			case <-time.After(10 * time.Second):
				t.Fatal("the streams were not read")
			}
		}
		inuse1, _ := heap()
		grew := int64(inuse1) - int64(inuse0)
		t.Logf("%d streams announcing %d MiB: heap +%.2f MiB, %.1f KiB per stream", k, k*MaxMessage>>20, float64(grew)/(1<<20), float64(grew)/k/1024)
		if grew > k*MaxMessage/16 {
			t.Errorf("heap +%d KiB, want under %d KiB", grew>>10, k*MaxMessage/16>>10)
		}
	})
	t.Run("reserved", func(t *testing.T) {
		limits := rcmgr.PartialLimitConfig{Stream: rcmgr.ResourceLimits{Memory: 64 << 10}}
		rm, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(limits.Build(rcmgr.DefaultLimits.AutoScale())))
		if err != nil {
			t.Fatal(err)
		}
		honest := newPeerCfg(t, Config{}, libp2p.ResourceManager(rm))
		st, r := rawStream(t, bare(t, honest), honest, SyncProtocol, nil)
		go st.Write(append(binary.AppendUvarint(nil, MaxMessage), make([]byte, 256<<10)...))
		st.SetReadDeadline(time.Now().Add(5 * time.Second))
		if code := readFailure(t, r); code != CodeFull {
			t.Errorf("code %s, want full", code)
		}
	})
}

// silent is a peer whose handler for proto reads nothing and never answers.
func silent(t *testing.T, proto string) *peerT {
	done := make(chan struct{})
	evil := newPeer(t)
	evil.svc.Close()
	evil.h.SetStreamHandler(protocol.ID(proto), func(st network.Stream) {
		<-done
		st.Reset()
	})
	t.Cleanup(func() { close(done) })
	return evil
}

// within fails the test unless f returns within d; it returns f's error.
func within(t *testing.T, d time.Duration, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- f() }()
	select {
	case err := <-done:
		t.Logf("returned after %v: %v", time.Since(start).Round(time.Millisecond), err)
		return err
	case <-time.After(d):
		t.Fatalf("still waiting after %v", d)
		return nil
	}
}

// TestAttackDeadlines (finding 12): an outgoing sync or fetch with a
// peer that never answers ends without a deadline on ctx; a served
// stream that stalls mid-message is cut after Config.Idle; a session
// that trickles is cut after Config.Timeout.
func TestAttackDeadlines(t *testing.T) {
	cfg := Config{Idle: 300 * time.Millisecond}
	t.Run("silent sync", func(t *testing.T) {
		honest, evil := newPeerCfg(t, cfg), silent(t, SyncProtocol)
		connect(t, honest.h, evil.h)
		err := within(t, 5*time.Second, func() error {
			_, err := honest.svc.Sync(context.Background(), evil.h.ID())
			return err
		})
		if err == nil {
			t.Error("sync with a silent peer succeeded")
		}
	})
	t.Run("silent fetch", func(t *testing.T) {
		honest, evil := newPeerCfg(t, cfg), silent(t, FetchProtocol)
		connect(t, honest.h, evil.h)
		err := within(t, 5*time.Second, func() error {
			_, err := honest.svc.Fetch(context.Background(), evil.h.ID(), []cid.Cid{cid.Undef})
			return err
		})
		if err == nil {
			t.Error("fetch from a silent peer succeeded")
		}
	})
	t.Run("trickle", func(t *testing.T) {
		honest := newPeerCfg(t, Config{Timeout: 700 * time.Millisecond, Idle: time.Minute})
		evil := hostileResponder(t, SyncProtocol, func(st network.Stream, r *bufio.Reader) {
			st.Write(binary.AppendUvarint(nil, 100))
			tick := time.NewTicker(50 * time.Millisecond)
			defer tick.Stop()
			for range 99 {
				<-tick.C
				if _, err := st.Write([]byte{0}); err != nil {
					return
				}
			}
		})
		connect(t, honest.h, evil.h)
		if err := within(t, 6*time.Second, func() error {
			_, err := honest.svc.Sync(context.Background(), evil.h.ID())
			return err
		}); err == nil {
			t.Error("a trickling sync succeeded")
		}
	})
	t.Run("stalled mid-message", func(t *testing.T) {
		honest := newPeerCfg(t, cfg)
		st, r := rawStream(t, bare(t, honest), honest, SyncProtocol, nil)
		st.Write(append(binary.AppendUvarint(nil, 100), make([]byte, 10)...))
		st.SetReadDeadline(time.Now().Add(5 * time.Second))
		within(t, 5*time.Second, func() error {
			if code := readFailure(t, r); code != CodeTimeout {
				t.Errorf("code %s, want timeout", code)
			}
			return nil
		})
	})
}

// TestAttackListLimits (finding 12): every list of a message holds at
// most maxList elements; a length varint that overflows, or is not the
// shortest encoding, is malformed.
func TestAttackListLimits(t *testing.T) {
	long := maxList + 1
	cids := make([][]byte, long)
	for i := range cids {
		cids[i] = []byte{1}
	}
	cases := map[string]any{
		"n":       message{N: make([]node, long)},
		"s":       message{S: make([]split, long)},
		"s.c":     message{S: []split{{C: make([]child, long)}}},
		"i":       message{I: make([]items, long)},
		"i.f":     message{I: []items{{F: make([]fp, long)}}},
		"f":       message{F: make([]forkSet, long)},
		"f.c":     message{F: []forkSet{{C: cids}}},
		"b":       message{B: cids},
		"request": request{C: cids},
	}
	for name, m := range cases {
		data := frames(t, m)
		want, err := ErrTooLarge, error(nil)
		if _, ok := m.(request); ok {
			var req request
			want, err = ErrTooManyCIDs, readMsg(bufio.NewReader(bytes.NewReader(data)), &req)
		} else {
			var got message
			err = readMsg(bufio.NewReader(bytes.NewReader(data)), &got)
		}
		if !errors.Is(err, want) {
			t.Errorf("%s of %d elements: %v, want %v", name, long, err, want)
		}
	}
	for name, data := range map[string][]byte{
		"overflow":    append(bytes.Repeat([]byte{0xff}, 10), 1),
		"non-minimal": {0x81, 0x00, 0xa0},
	} {
		var m message
		err := readMsg(bufio.NewReader(bytes.NewReader(data)), &m)
		if !errors.Is(err, ErrMalformed) || codeOf(err) != CodeMalformed {
			t.Errorf("%s varint: %v (code %s), want malformed", name, err, codeOf(err))
		}
	}
	// And over a stream: the abort says malformed.
	honest := newPeer(t)
	st, r := rawStream(t, bare(t, honest), honest, SyncProtocol, nil)
	st.Write(append(bytes.Repeat([]byte{0xff}, 10), 1))
	if code := readFailure(t, r); code != CodeMalformed {
		t.Errorf("overflowing varint over a stream: code %s, want malformed", code)
	}
}
