package replicate

import (
	"bytes"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Bucket sizes: a differing bucket with at most leafMax elements on either
// side is sent in full (fingerprints) rather than split, unless the sender
// holds more than itemsCap elements there.
const (
	leafMax  = 4
	itemsCap = 4096
)

// Push tells the sending side of a session to stream Author's log from
// seq From. When Check > 0 the peer's head is at Check with digest prefix
// Want: if the local entry at Check differs, the logs fork there and the
// stream starts at Check instead, so the peer records the fork.
type Push struct {
	Author peer.ID
	From   uint64
	Check  uint64
	Want   []byte
}

// Reconciler runs one side of a vector reconciliation. It is a pure state
// machine: Open makes the initiator's first turn, Step answers each turn
// of the peer, and a side that answers with an empty turn ends the
// exchange. Plan then says what this side must send.
type Reconciler struct {
	local    Vector
	byKey    map[uint64]elem
	sent     map[[2]uint64]bool // buckets whose items this side sent
	resolved map[[2]uint64]bool // buckets whose items this side received
	pushes   map[peer.ID]Push
	forks    map[cid.Cid]bool
	turns    int
}

// NewReconciler returns a reconciler over the local vector.
func NewReconciler(local Vector) *Reconciler {
	r := &Reconciler{
		local: local, byKey: make(map[uint64]elem, local.Len()),
		sent: map[[2]uint64]bool{}, resolved: map[[2]uint64]bool{},
		pushes: map[peer.ID]Push{}, forks: map[cid.Cid]bool{},
	}
	for _, e := range local.elems {
		r.byKey[e.key] = e
	}
	return r
}

// Open returns the initiator's first turn: the root summary.
func (r *Reconciler) Open() message {
	n, h := r.local.summary(prefix{})
	return message{N: []node{{P: []byte{}, N: uint64(n), H: h}}}
}

// Step processes the peer's turn and returns the answer. An empty answer
// (or an empty turn received) ends reconciliation.
func (r *Reconciler) Step(in message) (message, error) {
	var out message
	if r.turns++; r.turns > MaxTurns/2 {
		return out, ErrTooManyRounds
	}
	for _, n := range in.N {
		p, err := parsePrefix(n.P)
		if err != nil {
			return out, err
		}
		r.compare(p, n.N, n.H, &out)
	}
	for _, s := range in.S {
		if err := r.split(s, &out); err != nil {
			return out, err
		}
	}
	if err := r.items(in.I, &out); err != nil {
		return out, err
	}
	return out, r.forkSets(in.F)
}

// Plan returns the logs and fork entries this side must send.
func (r *Reconciler) Plan() ([]Push, []cid.Cid) {
	pushes := make([]Push, 0, len(r.pushes))
	for _, e := range r.local.elems { // key order: deterministic
		if p, ok := r.pushes[e.ver.Author]; ok {
			pushes = append(pushes, p)
		}
	}
	var forks []cid.Cid
	for _, e := range r.local.elems {
		for _, c := range e.ver.Forks {
			if r.forks[c] {
				forks = append(forks, c)
			}
		}
	}
	return pushes, forks
}

// compare answers the peer's summary (n, h) of bucket p.
func (r *Reconciler) compare(p prefix, n uint64, h []byte, out *message) {
	mine := r.local.bucket(p)
	m, hm := summarize(mine)
	switch {
	case uint64(m) == n && bytes.Equal(hm, h):
	case n == 0:
		r.pushAll(mine)
	case m == 0:
		r.sendItems(p, nil, out)
	case (m <= leafMax || n <= leafMax || p.depth == maxDepth) && m <= itemsCap,
		p.depth == maxDepth:
		r.sendItems(p, mine, out)
	default:
		s := split{P: p.nibbles()}
		for x := range fanout {
			if c, ch := r.local.summary(p.child(x)); c > 0 {
				s.C = append(s.C, child{X: uint64(x), N: uint64(c), H: ch})
			}
		}
		out.S = append(out.S, s)
	}
}

// split answers the peer's split of a bucket: every child either side
// holds is compared; children the peer did not list are empty there.
func (r *Reconciler) split(s split, out *message) error {
	p, err := parsePrefix(s.P)
	if err != nil || p.depth == maxDepth || len(s.C) > fanout {
		return fmt.Errorf("%w: split of %x", ErrMalformed, s.P)
	}
	var theirs [fanout]*child
	for i := range s.C {
		c := &s.C[i]
		if c.X >= fanout || theirs[c.X] != nil || c.N == 0 {
			return fmt.Errorf("%w: split child %d", ErrMalformed, c.X)
		}
		theirs[c.X] = c
	}
	for x := range fanout {
		if t := theirs[x]; t != nil {
			r.compare(p.child(x), t.N, t.H, out)
		} else if len(r.local.bucket(p.child(x))) > 0 {
			r.compare(p.child(x), 0, nil, out)
		}
	}
	return nil
}

func (r *Reconciler) sendItems(p prefix, mine []elem, out *message) {
	r.sent[p.id()] = true
	it := items{P: p.nibbles(), F: make([]fp, 0, len(mine))}
	for _, e := range mine {
		it.F = append(it.F, e.fingerprint())
	}
	out.I = append(out.I, it)
}

func (r *Reconciler) pushAll(mine []elem) {
	for _, e := range mine {
		r.push(Push{Author: e.ver.Author, From: 1})
		for _, c := range e.ver.Forks {
			r.forks[c] = true
		}
	}
}

// push records p, keeping the earliest start per author.
func (r *Reconciler) push(p Push) {
	if old, ok := r.pushes[p.Author]; ok && old.From <= p.From {
		return
	}
	r.pushes[p.Author] = p
}

func (e elem) fingerprint() fp {
	return fp{K: e.key, S: e.ver.Seq, D: e.ver.Digest[:hashSize], F: e.forkSum}
}
