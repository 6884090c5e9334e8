package replicate

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// authorIDs returns n deterministic Ed25519 peer IDs.
func authorIDs(t testing.TB, n int) []peer.ID {
	t.Helper()
	ids := make([]peer.ID, n)
	for i := range ids {
		seed := sha256.Sum256(binary.BigEndian.AppendUint64(nil, uint64(i)))
		priv, _, err := crypto.GenerateEd25519Key(bytes.NewReader(append(seed[:], seed[:]...)))
		if err != nil {
			t.Fatal(err)
		}
		if ids[i], err = peer.IDFromPrivateKey(priv); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func digest(a peer.ID, seq uint64, branch byte) [32]byte {
	return sha256.Sum256(append(binary.BigEndian.AppendUint64([]byte(a), seq), branch))
}

// wireTrip encodes a turn as the stream would and decodes it back,
// returning the decoded turn and the bytes it took.
func wireTrip(t testing.TB, m message) (message, int) {
	t.Helper()
	var buf bytes.Buffer
	if err := writeTurn(&buf, m); err != nil {
		t.Fatal(err)
	}
	n := buf.Len()
	got, err := readTurn(bufio.NewReader(&buf))
	if err != nil {
		t.Fatal(err)
	}
	return got, n
}

// exchange runs a whole reconciliation between two vectors in memory.
func exchange(t testing.TB, a, b Vector) (ra, rb *Reconciler, bytesOut, turns int) {
	t.Helper()
	ra, rb = NewReconciler(a), NewReconciler(b)
	msg, n := wireTrip(t, ra.Open())
	bytesOut, turns = n, 1
	side := []*Reconciler{rb, ra}
	for i := 0; ; i++ {
		out, err := side[i%2].Step(msg)
		if err != nil {
			t.Fatalf("turn %d: %v", turns, err)
		}
		msg, n = wireTrip(t, out)
		bytesOut, turns = bytesOut+n, turns+1
		if msg.empty() {
			return ra, rb, bytesOut, turns
		}
	}
}

type vecCase struct {
	name string
	a, b []Version
	// wantA and wantB: author index -> From, for the pushes each side plans
	wantA, wantB map[int]uint64
}

func chain(ids []peer.ID, seqs ...uint64) []Version {
	vs := make([]Version, len(seqs))
	for i, s := range seqs {
		vs[i] = Version{Author: ids[i], Seq: s, Digest: digest(ids[i], s, 0)}
	}
	return vs
}

func TestReconcilePlans(t *testing.T) {
	ids := authorIDs(t, 3)
	forked := chain(ids, 5, 5, 5)
	forked[1].Digest = digest(ids[1], 5, 1)
	cases := []vecCase{
		{name: "equal", a: chain(ids, 3, 4, 5), b: chain(ids, 3, 4, 5)},
		{name: "both empty"},
		{name: "b empty", a: chain(ids, 3, 4, 5), wantA: map[int]uint64{0: 1, 1: 1, 2: 1}},
		{name: "a empty", b: chain(ids, 3), wantB: map[int]uint64{0: 1}},
		{name: "each ahead", a: chain(ids, 7, 4, 5), b: chain(ids, 3, 9, 5),
			wantA: map[int]uint64{0: 4}, wantB: map[int]uint64{1: 5}},
		{name: "author only on b", a: chain(ids, 1, 1), b: chain(ids, 1, 1, 2), wantB: map[int]uint64{2: 1}},
		{name: "head fork", a: chain(ids, 5, 5, 5), b: forked,
			wantA: map[int]uint64{1: 5}, wantB: map[int]uint64{1: 5}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ra, rb, _, _ := exchange(t, NewVector(c.a), NewVector(c.b))
			checkPlan(t, "a", ra, ids, c.wantA)
			checkPlan(t, "b", rb, ids, c.wantB)
		})
	}
}

func checkPlan(t *testing.T, side string, r *Reconciler, ids []peer.ID, want map[int]uint64) {
	t.Helper()
	pushes, _ := r.Plan()
	got := map[int]uint64{}
	for _, p := range pushes {
		for i, id := range ids {
			if id == p.Author {
				got[i] = p.From
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s pushes %v, want %v", side, got, want)
	}
}

func TestReconcileForkSets(t *testing.T) {
	ids := authorIDs(t, 2)
	c1, c2, c3 := protocol.NameKey("x"), protocol.NameKey("y"), protocol.NameKey("z")
	a := chain(ids, 4, 4)
	b := chain(ids, 4, 4)
	a[0].Forks = []cid.Cid{c1, c2}
	b[0].Forks = []cid.Cid{c1, c3}
	b[1].Forks = []cid.Cid{c2}
	ra, rb, _, _ := exchange(t, NewVector(a), NewVector(b))
	if _, f := ra.Plan(); len(f) != 1 || f[0] != c2 {
		t.Errorf("a sends forks %v, want [%s]", f, c2)
	}
	if _, f := rb.Plan(); len(f) != 2 {
		t.Errorf("b sends forks %v, want %s and %s", f, c3, c2)
	}
}

// sharedVectors builds two vectors over `authors` authors holding
// `entries` entries in all; b lacks `missing` of them, the last entries of
// the first authors, spread round-robin.
func sharedVectors(t testing.TB, authors, entries, missing int) (Vector, Vector) {
	ids := authorIDs(t, authors)
	var a, b []Version
	for i, id := range ids {
		seq := uint64(entries / authors)
		a = append(a, Version{Author: id, Seq: seq, Digest: digest(id, seq, 0)})
		seq -= uint64(missing / authors)
		if i < missing%authors {
			seq--
		}
		if seq > 0 {
			b = append(b, Version{Author: id, Seq: seq, Digest: digest(id, seq, 0)})
		}
	}
	return NewVector(a), NewVector(b)
}

func TestReconcileCostOneDifference(t *testing.T) {
	for _, authors := range []int{10, 20, 2000, 5000} {
		a, b := sharedVectors(t, authors, 10000, 1)
		ra, rb, n, turns := exchange(t, a, b)
		pa, _ := ra.Plan()
		pb, _ := rb.Plan()
		if len(pa) != 1 || len(pb) != 0 {
			t.Fatalf("%d authors: pushes %d and %d, want 1 and 0", authors, len(pa), len(pb))
		}
		t.Logf("%d authors: %d bytes in %d turns", authors, n, turns)
		if n >= 1500 {
			t.Errorf("%d authors: reconciliation took %d bytes, want < 1500", authors, n)
		}
	}
}

// readTurn reads messages up to one without M and merges them, as an
// in-memory or hostile peer may; a message carrying an abort returns a
// *RemoteError.
func readTurn(r *bufio.Reader) (message, error) {
	var t message
	for i := 0; ; i++ {
		if i == maxTurn {
			return t, fmt.Errorf("%w: turn of more than %d messages", ErrTooLarge, maxTurn)
		}
		var m message
		if err := readMsg(r, &m); err != nil {
			return t, err
		}
		if m.E != nil {
			return t, &RemoteError{Code: Code(m.E.C), Reason: m.E.R}
		}
		if len(m.B) > 0 {
			return t, fmt.Errorf("%w: blocks during reconciliation", ErrMalformed)
		}
		t.N, t.S = append(t.N, m.N...), append(t.S, m.S...)
		t.I, t.F = append(t.I, m.I...), append(t.F, m.F...)
		if !m.M {
			return t, nil
		}
	}
}
