package replicate

import (
	"bufio"
	"errors"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"

	mycel "github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

// badBlocks returns more than MaxRejects blocks that must not open.
func badBlocks(t *testing.T) [][]byte {
	x, y := vaulttest.NewAuthor(t), vaulttest.NewAuthor(t)
	var out [][]byte
	for i := range MaxRejects + 2 {
		good := x.Next(t, "note", "", nil)
		e := good.Entry
		switch i % 3 {
		case 0: // mis-signed
			e.Sig = append([]byte{}, e.Sig...)
			e.Sig[0] ^= 1
		case 1: // forged author: x's signature under y's name
			e.Author = y.ID
		}
		if i%3 == 2 {
			out = append(out, append([]byte("\xa1\x61xgarbage"), byte(i)))
			continue
		}
		data, err := mycel.Encode(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// hostileStream opens a raw sync stream from a bare host to honest.
func hostileStream(t *testing.T, honest *peerT) (network.Stream, *bufio.Reader) {
	evil := newPeer(t)
	evil.svc.Close() // a bare host: no handlers of its own
	connect(t, evil.h, honest.h)
	st, err := evil.h.NewStream(t.Context(), honest.h.ID(), protocol.ID(SyncProtocol))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Reset() })
	return st, bufio.NewReader(st)
}

func readFailure(t *testing.T, r *bufio.Reader) Code {
	t.Helper()
	for {
		var m message
		if err := readMsg(r, &m); err != nil {
			t.Fatalf("no abort reason before %v", err)
		}
		if m.E != nil {
			t.Logf("abort reason: %s", m.E.R)
			return Code(m.E.C)
		}
	}
}

func TestSyncHostileInitiator(t *testing.T) {
	t.Run("garbage", func(t *testing.T) {
		honest := newPeer(t)
		st, r := hostileStream(t, honest)
		st.Write([]byte("\x07garbage"))
		if c := readFailure(t, r); c != CodeMalformed {
			t.Errorf("code %s, want malformed", c)
		}
	})
	t.Run("bad blocks", func(t *testing.T) {
		honest := newPeer(t)
		publish(t, honest.v, vaulttest.NewAuthor(t), 3)
		before := digestOf(t, honest.v)
		st, r := hostileStream(t, honest)
		if err := writeMsg(st, message{N: []node{{P: []byte{}}}}); err != nil {
			t.Fatal(err)
		}
		if err := writeMsg(st, message{B: badBlocks(t)}); err != nil {
			t.Fatal(err)
		}
		if c := readFailure(t, r); c != CodeRejects {
			t.Errorf("code %s, want too many rejects", c)
		}
		if digestOf(t, honest.v) != before {
			t.Error("hostile blocks changed the vault")
		}
	})
}

// hostileResponder makes a bare peer whose sync handler is answer.
func hostileResponder(t *testing.T, proto string, answer func(network.Stream, *bufio.Reader)) *peerT {
	evil := newPeer(t)
	evil.svc.Close()
	evil.h.SetStreamHandler(protocol.ID(proto), func(st network.Stream) {
		defer st.Close()
		answer(st, bufio.NewReader(st))
	})
	return evil
}

func TestSyncHostileResponder(t *testing.T) {
	cases := []struct {
		name   string
		answer func(network.Stream, *bufio.Reader)
		want   error
	}{
		{"bad prefix", func(st network.Stream, r *bufio.Reader) {
			readTurn(r)
			writeMsg(st, message{I: []items{{P: []byte{99}}}})
		}, ErrMalformed},
		{"bad blocks", func(st network.Stream, r *bufio.Reader) {
			readTurn(r)
			writeMsg(st, message{})
			for more := true; more; {
				var m message
				more = readMsg(r, &m) == nil && m.M
			}
			writeMsg(st, message{B: badBlocks(t)})
		}, ErrTooManyRejects},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			honest := newPeer(t)
			publish(t, honest.v, vaulttest.NewAuthor(t), 3)
			before := digestOf(t, honest.v)
			evil := hostileResponder(t, SyncProtocol, c.answer)
			connect(t, honest.h, evil.h)
			_, err := honest.svc.Sync(t.Context(), evil.h.ID())
			if !errors.Is(err, c.want) {
				t.Errorf("sync error %v, want %v", err, c.want)
			}
			if digestOf(t, honest.v) != before {
				t.Error("hostile blocks changed the vault")
			}
		})
	}
}

func TestFetch(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	x := vaulttest.NewAuthor(t)
	publish(t, a.v, x, 3)
	connect(t, b.h, a.h)
	missing := mycel.NameKey("nothing")
	got, err := b.svc.Fetch(t.Context(), a.h.ID(), []cid.Cid{x.Log[2].CID, missing, x.Log[0].CID})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].CID != x.Log[2].CID || got[1].CID != x.Log[0].CID {
		t.Fatalf("fetched %d blocks, want entries 3 and 1", len(got))
	}
	if ok, _ := b.v.Has(x.Log[2].CID); !ok {
		t.Error("fetched block not stored")
	}
	_, err = b.svc.Fetch(t.Context(), a.h.ID(), make([]cid.Cid, MaxFetch+1))
	if !errors.Is(err, ErrTooManyCIDs) {
		t.Errorf("oversized fetch: %v, want ErrTooManyCIDs", err)
	}
}

func TestFetchHostile(t *testing.T) {
	x := vaulttest.NewAuthor(t)
	good := x.Next(t, "note", "", nil)
	bad := badBlocks(t)[0] // mis-signed
	cases := []struct {
		name  string
		ask   cid.Cid
		serve []byte
		want  error
	}{
		{"wrong CID", mycel.NameKey("asked"), good.Data, ErrUnexpected},
		{"mis-signed", mycel.Sum(bad), bad, mycel.ErrBadSignature},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			honest := newPeer(t)
			before := digestOf(t, honest.v)
			evil := hostileResponder(t, FetchProtocol, func(st network.Stream, r *bufio.Reader) {
				var req request
				readMsg(r, &req)
				writeMsg(st, message{B: [][]byte{c.serve}})
			})
			connect(t, honest.h, evil.h)
			_, err := honest.svc.Fetch(t.Context(), evil.h.ID(), []cid.Cid{c.ask})
			if !errors.Is(err, c.want) {
				t.Errorf("fetch error %v, want %v", err, c.want)
			}
			if digestOf(t, honest.v) != before {
				t.Error("hostile block stored")
			}
		})
	}
}

// A block the check Ignores (an entry dated far ahead, an unknown MIP) is
// neither stored nor returned, as on gossip.
func TestFetchIgnored(t *testing.T) {
	a, b := newPeer(t), newPeer(t)
	x := vaulttest.NewAuthor(t)
	publish(t, a.v, x, 2)
	ignored := x.Log[1].CID
	b.svc.Close()
	b.svc = New(b.h, b.v, Config{Check: func(blk mycel.Block) mycel.Verdict {
		if blk.CID == ignored {
			return mycel.Ignored(mycel.ErrFuture)
		}
		return mycel.Accepted
	}})
	connect(t, b.h, a.h)
	got, err := b.svc.Fetch(t.Context(), a.h.ID(), []cid.Cid{x.Log[0].CID, ignored})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].CID != x.Log[0].CID {
		t.Fatalf("fetched %d blocks, want only entry 1", len(got))
	}
	if ok, _ := b.v.Has(ignored); ok {
		t.Error("an ignored block was stored")
	}
}
