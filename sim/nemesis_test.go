package sim

import (
	"sync"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// step is one thing the run does: a workload entry or a fault.
type step struct {
	name   string
	weight int
	do     func(w *world)
}

// steps are the nemesis's faults beside the workload, with weights.
var steps = []step{
	{"proof", 6, (*world).proof},
	{"attest", 8, (*world).attest},
	{"partition", 2, (*world).partition},
	{"heal", 2, (*world).heal},
	{"kill", 1, (*world).kill},
	{"restart", 2, (*world).restart},
	{"churn", 2, (*world).churn},
	{"snapshot", 1, (*world).snapshot},
	{"restore", 1, (*world).restore},
}

// pick chooses a step by weight.
func (w *world) pick() step {
	total := 0
	for _, s := range steps {
		total += s.weight
	}
	r := w.rng.IntN(total)
	for _, s := range steps {
		if r -= s.weight; r < 0 {
			return s
		}
	}
	return steps[0]
}

// run plays n steps, each after a pause of up to max. With message
// faults on (world.lossy), about one step in sixteen also turns them on
// or off; their own generator draws that, so the steps a seed plays are
// the same with them off.
func (w *world) run(n int, max time.Duration) {
	for range n {
		time.Sleep(time.Duration(w.rng.Int64N(int64(max))))
		if w.lossy && w.faults.intN(16) == 0 {
			w.toggleFaults()
		}
		w.pick().do(w)
	}
}

// partition splits the peers in two random sides.
func (w *world) partition() {
	w.side = make([]bool, len(w.peers))
	for i := range w.side {
		w.side[i] = w.rng.IntN(2) == 0
	}
	w.logf("partition %v", w.side)
	w.reconcile()
}

// heal ends the partition.
func (w *world) heal() {
	if w.side == nil {
		return
	}
	w.side = nil
	w.logf("heal")
	w.reconcile()
}

// kill stops a random peer's node; its store survives.
func (w *world) kill() {
	p := w.peers[w.rng.IntN(len(w.peers))]
	if p.node == nil {
		return
	}
	w.logf("kill %d", p.i)
	w.stopNode(p)
	w.reconcile()
}

// restart starts a stopped peer over its store.
func (w *world) restart() {
	for _, p := range w.peers {
		if p.node == nil {
			w.logf("restart %d", p.i)
			w.startNode(p)
			w.reconcile()
			return
		}
	}
}

// churn closes the connection along a random linked edge; the nodes'
// redial opens another. In-flight messages on it are lost.
func (w *world) churn() {
	e := w.edges[w.rng.IntN(len(w.edges))]
	if !w.linked[e] {
		return
	}
	w.logf("churn %d-%d", e[0], e[1])
	_ = w.mn.DisconnectPeers(w.peers[e[0]].id, w.peers[e[1]].id)
}

// snapshot copies a random funder's or clinic's store, as a backup of
// its home.
func (w *world) snapshot() {
	p := w.peers[3+w.rng.IntN(len(w.peers)-3)]
	if p.snap != nil || w.restored[p.id] {
		return
	}
	w.logf("snapshot %d", p.i)
	p.snap = p.store.Clone()
}

// restore stops a peer with a snapshot and starts it over the old copy.
// Entries of its own that no other peer holds are lost with the newer
// copy: they leave the acknowledged set, as the operator's doing.
func (w *world) restore() {
	for _, p := range w.peers {
		if p.snap == nil {
			continue
		}
		w.logf("restore %d", p.i)
		w.stopNode(p)
		w.reconcile() // a restart drops the process's connections
		w.forget(p)
		p.store, p.snap = p.snap, nil
		w.restored[p.id] = true
		w.startNode(p)
		w.reconcile()
		return
	}
}

// forget drops from the acknowledged set p's entries that only p holds.
func (w *world) forget(p *simPeer) {
	for c, author := range w.acked {
		if author != p.id {
			continue
		}
		if old, _ := p.snap.Has(c); old || w.heldElsewhere(p, c) {
			continue
		}
		w.logf("lost with the newer copy of %d: %s", p.i, c)
		delete(w.acked, c)
	}
}

func (w *world) heldElsewhere(p *simPeer, c cid.Cid) bool {
	for _, q := range w.peers {
		if ok, _ := q.store.Has(c); q != p && ok {
			return true
		}
	}
	return false
}

// faults drops and duplicates a seeded fraction of the gossip messages
// every peer receives (node.WithGossipFaults), while the nemesis has it
// on: a dropped message is lost at that peer, which must get the entry
// by sync; a duplicate is stored twice. Messages on different links
// overtake each other through the links' latencies.
type faults struct {
	mu        sync.Mutex
	rng       interface{ IntN(int) int }
	drop, dup int // per thousand messages
}

// fault is the node's hook: how many times to store one message.
func (f *faults) fault(peer.ID) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.drop == 0 && f.dup == 0 {
		return 1
	}
	switch r := f.rng.IntN(1000); {
	case r < f.drop:
		return 0
	case r < f.drop+f.dup:
		return 2
	}
	return 1
}

func (f *faults) set(drop, dup int) {
	f.mu.Lock()
	f.drop, f.dup = drop, dup
	f.mu.Unlock()
}

// toggleFaults turns message faults on at a random rate (up to 20%
// dropped and 20% duplicated) or, when on, off.
func (w *world) toggleFaults() {
	f := &w.faults
	f.mu.Lock()
	on := f.drop > 0 || f.dup > 0
	f.mu.Unlock()
	if on {
		w.logf("lossless")
		f.set(0, 0)
		return
	}
	drop, dup := 1+f.intN(200), f.intN(200)
	w.logf("lossy: drop %d, duplicate %d per thousand gossip messages", drop, dup)
	f.set(drop, dup)
}

func (f *faults) intN(n int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rng.IntN(n)
}
