package node

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/gossip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

func newKey(t testing.TB) crypto.PrivKey {
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// signed returns a valid first entry of key's log.
func signed(t testing.TB, key crypto.PrivKey, e protocol.Entry) protocol.Block {
	t.Helper()
	e.Seq = 1
	b, err := protocol.Sign(key, e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawSign signs e without the size check, as a hostile peer can.
func rawSign(t testing.TB, key crypto.PrivKey, e protocol.Entry) []byte {
	t.Helper()
	e.V, e.Seq = protocol.Version, 1
	e.Author, _ = peer.IDFromPrivateKey(key)
	p, err := protocol.Payload(e)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := key.Sign(append([]byte("mycel/entry/v1\x00"), p...))
	if err != nil {
		t.Fatal(err)
	}
	data, err := protocol.Marshal(map[string]any{
		"v": e.V, "author": []byte(e.Author), "seq": e.Seq, "time": e.Time, "kind": e.Kind,
		"district": e.District, "body": cbor.RawMessage(e.Body), "sig": sig,
	})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// hostileInputs returns the bad messages of the hostile test by name.
func hostileInputs(t testing.TB, victim peer.ID) map[string][]byte {
	key := newKey(t)
	good := signed(t, key, attest(t, "genuine"))
	out := map[string][]byte{"garbage": []byte("\xa1\x61x\xff not cbor at all")}

	bad := good.Entry
	bad.Sig = append([]byte{}, bad.Sig...)
	bad.Sig[0] ^= 0xff
	out["mis-signed"] = mustSeal(t, bad)

	forged := good.Entry
	forged.Author = victim
	out["forged-author"] = mustSeal(t, forged)

	big := attest(t, "big")
	huge, _ := protocol.Marshal(map[string]any{"pad": make([]byte, protocol.MaxEntrySize)})
	big.Body = huge
	out["oversized"] = rawSign(t, key, big)

	type reordered struct { // sig first: not length-first key order
		Sig      []byte          `cbor:"sig"`
		V        uint64          `cbor:"v"`
		Author   []byte          `cbor:"author"`
		Seq      uint64          `cbor:"seq"`
		Time     int64           `cbor:"time"`
		Kind     string          `cbor:"kind"`
		District string          `cbor:"district"`
		Body     cbor.RawMessage `cbor:"body"`
	}
	e := good.Entry
	nc, err := cbor.Marshal(reordered{e.Sig, e.V, []byte(e.Author), e.Seq, e.Time, e.Kind, e.District, e.Body})
	if err != nil {
		t.Fatal(err)
	}
	out["non-canonical"] = nc

	claim := map[string]any{"cohort_size": 240, "measure": "hba1c"} // required fields missing
	body, err := protocol.EncodeBody(&protocol.Proof{
		MIP: "MIP-HLT@1", Claim: claim,
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1},
		Period:   protocol.Period{Start: 0, End: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	out["schema-invalid"] = signed(t, newKey(t), protocol.Entry{Kind: protocol.KindProof, District: district, Time: 1, Body: body}).Data
	return out
}

func mustSeal(t testing.TB, e protocol.Entry) []byte {
	t.Helper()
	b, err := protocol.Seal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b.Data
}

// hostilePeer is a plain libp2p host speaking gossipsub directly: no
// validator, no signatures, joined to the district's topic.
type hostilePeer struct {
	id    peer.ID
	topic *pubsub.Topic
}

// newHostile starts a hostile peer connected to b and waits until b sees
// it on the district's topic.
func newHostile(t *testing.T, ctx context.Context, b *Node, evB <-chan Event) hostilePeer {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"), libp2p.DisableMetrics())
	if err != nil {
		t.Fatal(err)
	}
	psCtx, psCancel := context.WithCancel(context.Background())
	t.Cleanup(func() { psCancel(); h.Close() })
	ps, err := pubsub.NewGossipSub(psCtx, h,
		pubsub.WithMessageSignaturePolicy(pubsub.StrictNoSign),
		pubsub.WithMessageIdFn(gossip.MessageID),
		pubsub.WithMaxMessageSize(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	topic, err := ps.Join(gossip.Topic(district))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := topic.Subscribe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sub.Cancel)
	if err := h.Connect(ctx, b.AddrInfo()); err != nil {
		t.Fatal(err)
	}
	waitJoined(t, ctx, evB, h.ID())
	return hostilePeer{id: h.ID(), topic: topic}
}

// TestHostile: plain hosts speaking gossipsub (no validator, no
// signatures) send bad entries to honest B: none is stored, each is
// rejected with a reason, the sender's score drops below zero, a replay is
// not stored twice, and honest delivery A -> B continues. Each bad input
// comes from its own hostile peer: after three invalid messages a peer's
// score is under the graylist threshold and B drops what it sends unread,
// which would hide the later inputs from the check under test.
func TestHostile(t *testing.T) {
	ctx := ctxT(t, 60*time.Second)
	scores := make(chan map[peer.ID]float64, 64)
	a := peerNode(t)
	b := peerNode(t, WithScores(func(m map[peer.ID]float64) {
		select {
		case scores <- m:
		default:
		}
	}))
	evB, stop := b.Subscribe(1024)
	defer stop()
	connect(t, ctx, a, b)
	waitJoined(t, ctx, evB, a.ID())

	hostile := map[peer.ID]bool{}
	for name, data := range hostileInputs(t, a.ID()) {
		h := newHostile(t, ctx, b, evB)
		hostile[h.id] = true
		if err := h.topic.Publish(ctx, data, pubsub.WithReadiness(pubsub.MinTopicSize(1))); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		e := waitFor(t, ctx, evB, "rejection of "+name, func(e Event) bool {
			if s, ok := e.(Stored); ok {
				t.Fatalf("B stored hostile input %s: %+v", name, s)
			}
			r, ok := e.(Rejected)
			return ok && r.From == h.id
		}).(Rejected)
		if e.Verdict.Outcome != protocol.Reject || e.Verdict.Reason == nil {
			t.Fatalf("%s: rejection %+v", name, e)
		}
		t.Logf("%s rejected: %v", name, e.Verdict.Reason)
	}
	for low := false; !low; {
		select {
		case m := <-scores:
			low = true
			for id := range hostile {
				low = low && m[id] < 0
			}
		case <-ctx.Done():
			t.Fatal("hostile scores never dropped below zero")
		}
	}

	// A replay of an entry B holds is not stored again; then honest
	// delivery goes on.
	blk, err := a.Publish(ctx, attest(t, "honest"))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, evB, "honest entry", storedCID(blk.CID))
	replayer := newHostile(t, ctx, b, evB)
	if err := replayer.topic.Publish(ctx, blk.Data, pubsub.WithReadiness(pubsub.MinTopicSize(1))); err != nil {
		t.Fatal(err)
	}
	next, err := a.Publish(ctx, attest(t, "after"))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, ctx, evB, "entry after the attack", func(e Event) bool {
		if s, ok := e.(Stored); ok && s.Block.CID == blk.CID {
			t.Fatal("replay stored twice")
		}
		return storedCID(next.CID)(e)
	})
	held, err := b.store.Query(vault.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 2 {
		t.Fatalf("B holds %d entries, want the 2 honest ones", len(held))
	}
}
