package replicate

import (
	"bytes"
	"fmt"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Bucket sizes: a differing bucket with at most leafMax elements here is
// sent in full (fingerprints), a larger one is split; a peer's bucket is
// accepted with at most itemsCap elements.
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
//
// A Reconciler answers only what it asked: a split or items for a bucket
// it summarized (or whose items it sent), each bucket once, and fork sets
// for authors it sent fingerprints of, each author once. Anything else is
// malformed. So every answer is bounded by the local tree, and by a
// constant times the peer's input (at most a split of fanout children per
// summary, at most one fingerprint per fingerprint received).
type Reconciler struct {
	local    Vector
	byKey    map[uint64]elem
	opened   bool               // this side sent the root summary
	rooted   bool               // the peer's root summary was answered
	asked    map[[2]uint64]bool // buckets this side summarized
	answered map[[2]uint64]bool // asked buckets the peer answered
	sent     map[[2]uint64]bool // buckets whose items this side sent
	resolved map[[2]uint64]bool // buckets whose items this side received
	keys     map[uint64]bool    // author keys this side sent fingerprints of
	forked   map[uint64]bool    // author keys whose fork set the peer sent
	pushes   map[peer.ID]Push
	forks    map[cid.Cid]bool
	turns    int
	inTurn   bool
	bucket   *bucketIn  // the peer's items being received
	forkIn   *forkSetIn // the peer's fork set being received
}

// NewReconciler returns a reconciler over the local vector.
func NewReconciler(local Vector) *Reconciler {
	r := &Reconciler{
		local: local, byKey: make(map[uint64]elem, local.Len()),
		asked: map[[2]uint64]bool{}, answered: map[[2]uint64]bool{},
		sent: map[[2]uint64]bool{}, resolved: map[[2]uint64]bool{},
		keys: map[uint64]bool{}, forked: map[uint64]bool{},
		pushes: map[peer.ID]Push{}, forks: map[cid.Cid]bool{},
	}
	for _, e := range local.elems {
		r.byKey[e.key] = e
	}
	return r
}

// Open returns the initiator's first turn: the root summary.
func (r *Reconciler) Open() message {
	r.opened = true
	r.asked[prefix{}.id()] = true
	n, h := r.local.summary(prefix{})
	return message{N: []node{{P: []byte{}, N: uint64(n), H: h}}}
}

// Step processes the peer's turn and returns the answer. An empty answer
// (or an empty turn received) ends reconciliation.
func (r *Reconciler) Step(in message) (message, error) {
	var out message
	err := r.add(in, &out)
	r.end(&out)
	return out, err
}

// add processes one message of the peer's turn, appending the answers to
// out; end finishes the turn.
func (r *Reconciler) add(in message, out *message) error {
	if !r.inTurn {
		if r.turns++; r.turns > MaxTurns/2 {
			return ErrTooManyRounds
		}
		r.inTurn = true
	}
	for _, n := range in.N {
		if err := r.root(n, out); err != nil {
			return err
		}
	}
	for _, s := range in.S {
		if err := r.split(s, out); err != nil {
			return err
		}
	}
	for _, it := range in.I {
		if err := r.items(it, out); err != nil {
			return err
		}
	}
	for _, fs := range in.F {
		if err := r.forkSet(fs); err != nil {
			return err
		}
	}
	return nil
}

// end finishes the peer's turn: the last bucket and fork set received
// are complete.
func (r *Reconciler) end(out *message) {
	r.inTurn = false
	r.endForkSet()
	r.endBucket(out)
}

// root answers the initiator's root summary: once, in the first turn.
func (r *Reconciler) root(n node, out *message) error {
	if r.opened || r.rooted || r.turns > 1 || len(n.P) != 0 {
		return fmt.Errorf("%w: summary of %x: only the root, once, opens a session", ErrMalformed, n.P)
	}
	r.rooted = true
	r.compare(prefix{}, n.N, n.H, out)
	return nil
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
	case m <= leafMax || p.depth == maxDepth:
		r.sendItems(p, mine, out)
	default:
		s := split{P: p.nibbles()}
		for x := range fanout {
			if c, ch := r.local.summary(p.child(x)); c > 0 {
				s.C = append(s.C, child{X: uint64(x), N: uint64(c), H: ch})
				r.asked[p.child(x).id()] = true
			}
		}
		out.S = append(out.S, s)
	}
}

// split answers the peer's split of a bucket this side summarized: every
// child either side holds is compared; children the peer did not list
// are empty there.
func (r *Reconciler) split(s split, out *message) error {
	p, err := parsePrefix(s.P)
	if err != nil || p.depth == maxDepth || len(s.C) > fanout {
		return fmt.Errorf("%w: split of %x", ErrMalformed, s.P)
	}
	if err := r.answer(p); err != nil {
		return err
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

// answer records the peer's answer (split or items) to this side's
// summary of p: only a summarized bucket is answered, and only once.
func (r *Reconciler) answer(p prefix) error {
	if !r.asked[p.id()] || r.answered[p.id()] {
		return fmt.Errorf("%w: answer for bucket %x, which was not asked or was answered", ErrMalformed, p.nibbles())
	}
	r.answered[p.id()] = true
	return nil
}

func (r *Reconciler) sendItems(p prefix, mine []elem, out *message) {
	r.sent[p.id()] = true
	it := items{P: p.nibbles(), F: make([]fp, 0, len(mine))}
	for _, e := range mine {
		it.F = append(it.F, e.fingerprint())
		r.keys[e.key] = true
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
