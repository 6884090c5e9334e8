package node

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// chain signs one author's log in order.
type chain struct {
	key  crypto.PrivKey
	id   peer.ID
	seq  uint64
	prev cid.Cid
}

func newChain(t testing.TB) *chain {
	k := newKey(t)
	id, _ := peer.IDFromPrivateKey(k)
	return &chain{key: k, id: id}
}

// at signs an entry of kind at seq without advancing the chain.
func (c *chain) at(t testing.TB, seq uint64, prev cid.Cid, kind string, body protocol.Body) protocol.Block {
	t.Helper()
	e := entry(t, kind, body)
	e.Seq, e.Prev = seq, prev
	b, err := protocol.Sign(c.key, e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (c *chain) next(t testing.TB, kind string, body protocol.Body) protocol.Block {
	b := c.at(t, c.seq+1, c.prev, kind, body)
	c.seq, c.prev = c.seq+1, b.CID
	return b
}

// world signs a district with a steward and two verifiers, and n entries
// among five clinics and the verifiers: proofs, attestations of them,
// receipts between clinics, in an order that keeps every prefix joined.
func world(t testing.TB, n int) []protocol.Block {
	steward, v1, v2 := newChain(t), newChain(t), newChain(t)
	clinics := make([]*chain, 5)
	for i := range clinics {
		clinics[i] = newChain(t)
	}
	out := []protocol.Block{steward.next(t, settle.KindDistrict, genesis([]peer.ID{steward.id}, v1.id, v2.id))}
	return append(out, traffic(t, n-1, clinics, v1, v2)...)
}

// traffic signs n entries: a proof by a clinic, an attestation of it by
// each verifier, a receipt from one clinic to the next.
func traffic(t testing.TB, n int, clinics []*chain, v1, v2 *chain) []protocol.Block {
	var out []protocol.Block
	var proof cid.Cid
	for i := 0; len(out) < n; i++ {
		c := clinics[i%len(clinics)]
		switch i % 4 {
		case 0:
			b := c.next(t, protocol.KindProof, hltProof(t, i))
			proof = b.CID
			out = append(out, b)
		case 1:
			out = append(out, v1.next(t, protocol.KindAttest, valid(proof)))
		case 2:
			out = append(out, v2.next(t, protocol.KindAttest, valid(proof)))
		default:
			to := clinics[(i+1)%len(clinics)]
			out = append(out, c.next(t, protocol.KindReceipt, &settle.Receipt{Payee: []byte(to.id), Amount: 1, Unit: unit}))
		}
	}
	return out
}

// costNode starts a node over a vault holding blocks and a pledge of its
// own that no proof meets, so each settler round plans in full.
func costNode(t testing.TB, blocks []protocol.Block) *Node {
	t.Helper()
	v := newVault(t)
	for i := 0; i < len(blocks); i += 1000 {
		if _, err := v.Put(blocks[i:min(i+1000, len(blocks))]...); err != nil {
			t.Fatal(err)
		}
	}
	p := hltPledge(5, 500)
	p.Where[0].Value = int64(1 << 40)
	appendTo(t, v, protocol.KindPledge, p)
	n, err := New(context.Background(), Config{Listen: loopback(), Districts: []string{district}, NoPortMap: true}, v)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// cpu returns the process's user plus system time.
func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// settled ingests blocks and waits until the settler is idle; it returns
// the CPU time spent.
func settled(t testing.TB, ctx context.Context, n *Node, blocks ...protocol.Block) time.Duration {
	t.Helper()
	c := ingestCost(t, ctx, n, blocks...)
	return c.store + c.node
}

// split is the CPU of one ingest: the vault's put, and the node's part
// (views, settler, events) until the settler is idle.
type split struct{ store, node time.Duration }

// ingestCost does what Ingest does after the check, timing the vault's
// part and the node's apart. Callers run it with GOMAXPROCS 1: the kernel
// counts the time of a thread running on another core only at its clock
// ticks (4 ms), so with one thread running Go code each reading is exact.
func ingestCost(t testing.TB, ctx context.Context, n *Node, blocks ...protocol.Block) split {
	t.Helper()
	for _, b := range blocks {
		if v := n.check(b); v.Outcome != protocol.Accept {
			t.Fatalf("check: %v", v.Reason)
		}
	}
	c0 := cpu()
	rs, err := n.store.Put(blocks...)
	if err != nil {
		t.Fatal(err)
	}
	c1 := cpu()
	for i, r := range rs {
		n.stored(blocks[i], r, Import, "")
	}
	if err := n.settler.quiet(ctx); err != nil {
		t.Fatal(err)
	}
	return split{store: c1 - c0, node: cpu() - c1}
}

// perEntry stores blocks one at a time, in groups of group, and returns
// the CPU per entry of the cheapest group (vault put and node part
// apart). A group costs a few milliseconds, far above the clock's grain;
// the least of several is what garbage collection and other work on the
// shared cores cannot lower, so it is the figure to compare.
func perEntry(t testing.TB, ctx context.Context, n *Node, blocks []protocol.Block, group int) split {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // see ingestCost
	best := split{time.Hour, time.Hour}
	for i := 0; i+group <= len(blocks); i += group {
		runtime.GC() // start each group on a collected heap
		var sum split
		for _, b := range blocks[i : i+group] {
			c := ingestCost(t, ctx, n, b)
			sum = split{sum.store + c.store, sum.node + c.node}
		}
		best = split{min(best.store, sum.store), min(best.node, sum.node)}
	}
	return split{best.store / time.Duration(group), best.node / time.Duration(group)}
}

// forkCost stores forks one at a time: forks by one author at seq 1, and
// throwaway keys that each fork at seq 1, alternately. It returns the CPU
// per fork (see perEntry).
func forkCost(t testing.TB, ctx context.Context, n *Node, forks int) split {
	firsts, seconds := forkFlood(t, forks)
	settled(t, ctx, n, firsts...)
	return perEntry(t, ctx, n, seconds, 100)
}

// forkFlood signs the first entries of one author and of forks throwaway
// keys, and the forks to store after them.
func forkFlood(t testing.TB, forks int) (firsts, seconds []protocol.Block) {
	one := newChain(t)
	firsts = append(firsts, one.at(t, 1, cid.Undef, protocol.KindAttest, valid(protocol.Sum([]byte("one")))))
	for i := range forks {
		k := newChain(t)
		firsts = append(firsts, k.at(t, 1, cid.Undef, protocol.KindAttest, valid(protocol.Sum([]byte("a")))))
		seconds = append(seconds,
			one.at(t, 1, cid.Undef, protocol.KindAttest, valid(protocol.Sum([]byte(fmt.Sprint("one", i))))),
			k.at(t, 1, cid.Undef, protocol.KindAttest, valid(protocol.Sum([]byte("b")))))
	}
	return firsts, seconds
}

// mipCost stores mip entries one at a time, from one author: the
// built-in MIP-HLT@1 published again (the check accepts it; it changes
// nothing) and new MIPs no proof names, alternately. It returns the CPU
// per entry (see perEntry).
func mipCost(t testing.TB, ctx context.Context, n *Node, count int) split {
	hlt, _ := mip.Builtins().Lookup("MIP-HLT@1")
	k := newChain(t)
	var blocks []protocol.Block
	for i := range count {
		m := hlt
		if i%2 == 1 {
			m.ID = fmt.Sprintf("MIP-N%d", i)
		}
		d := mip.DocOf(m)
		blocks = append(blocks, k.next(t, protocol.KindMIP, &d))
	}
	return perEntry(t, ctx, n, blocks, 20)
}

// batchCost ingests batches of fresh authors' entries; it returns the
// least CPU of five.
func batchCost(t testing.TB, ctx context.Context, n *Node, size int) split {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1)) // see ingestCost
	best := split{time.Hour, time.Hour}
	for range 5 { // CPU time is noisy on a shared machine
		clinics := []*chain{newChain(t), newChain(t), newChain(t)}
		blocks := traffic(t, size, clinics, newChain(t), newChain(t))
		runtime.GC()
		c := ingestCost(t, ctx, n, blocks...)
		best = split{min(best.store, c.store), min(best.node, c.node)}
	}
	return best
}

// TestCostIndependentOfVault: the node's part of storing one fork, one
// mip entry, and one batch of 1,000 entries (views, settler, events: all
// but the vault's put) costs within 2x as much CPU on a vault of 40,000
// entries as on one of 1,000, measured in the same run, one node at a
// time. The node holds a pledge, so the settler plans.
func TestCostIndependentOfVault(t *testing.T) {
	ctx := ctxT(t, 120*time.Second)
	const small, large, forks, mips, batch = 1000, 40_000, 300, 160, 1000
	all := world(t, large)
	type cost struct{ fork, mip, batch split }
	measure := func(size int) cost {
		n := costNode(t, all[:size])
		defer n.Close() // the other size is measured alone
		c := cost{forkCost(t, ctx, n, forks), mipCost(t, ctx, n, mips), batchCost(t, ctx, n, batch)}
		if held := n.Views().Entries(); held < size {
			t.Fatalf("views hold %d entries, want over %d", held, size)
		}
		return c
	}
	s, l := measure(small), measure(large)
	for _, c := range []struct {
		what string
		s, l split
	}{{"one fork", s.fork, l.fork}, {"one mip entry", s.mip, l.mip}, {fmt.Sprintf("a %d-entry batch", batch), s.batch, l.batch}} {
		r := ratio(c.l.node, c.s.node)
		t.Logf("%s, node part: %v at %d entries, %v at %d: ratio %.2f (vault put %v and %v)",
			c.what, c.s.node, small, c.l.node, large, r, c.s.store, c.l.store)
		if r > 2 {
			t.Errorf("%s costs the node %.1fx more at %d entries than at %d", c.what, r, large, small)
		}
	}
}

// TestCostRoleEntry: a role entry by an author who is no steward costs
// the node as much with 3,100 forked authors (not followed) and 3,100
// such role entries held as with 100 of each, within 2x, in the same
// run: forks are judged once, and a roster is recomputed only for an
// entry that changes it.
func TestCostRoleEntry(t *testing.T) {
	ctx := ctxT(t, 120*time.Second)
	n := peerNode(t)
	steward := newChain(t)
	settled(t, ctx, n, steward.next(t, settle.KindDistrict, genesis([]peer.ID{steward.id})))
	role := func() protocol.Block {
		by := newChain(t)
		return by.next(t, settle.KindRole, &settle.Role{Subject: []byte(steward.id), Role: settle.RoleVerifier, Grant: true})
	}
	hold := func(forkers, roles int) {
		var flood []protocol.Block
		for range forkers {
			flood = append(flood, forkAt(t, newChain(t), 1, cid.Undef)...)
		}
		for range roles {
			flood = append(flood, role())
		}
		settled(t, ctx, n, flood...)
	}
	measure := func() time.Duration {
		var blocks []protocol.Block
		for range 600 {
			blocks = append(blocks, role())
		}
		return perEntry(t, ctx, n, blocks, 100).node
	}
	hold(100, 100)
	s := measure()
	hold(3000, 3000)
	l := measure()
	r := ratio(l, s)
	t.Logf("one role entry, node part: %v with 100 forked authors and 100 role entries held, %v with 3,100 of each: ratio %.2f", s, l, r)
	if r > 2 {
		t.Errorf("a role entry costs the node %.1fx more with 3,100 forks and role entries held than with 100", r)
	}
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(max(b, 1)) }
