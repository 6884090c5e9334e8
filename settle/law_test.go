package settle

import (
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	"pgregory.net/rapid"

	"github.com/mesocosm/mycel/protocol"
)

// universes are pre-signed worlds (signing is the slow part); rapid draws
// subsets, orders and partitions of them.
var universes = sync.OnceValue(func() [][]*Record {
	var out [][]*Record
	for seed := range 12 {
		out = append(out, universe(seed))
	}
	return out
})

// universe signs a small district: a genesis with credit limits and two
// verifiers, receipts between five authors in two units (one author
// forks a receipt, sometimes), fraud entries (one of them itself forked
// with a role entry), a steward's forked role entry (sometimes), entries
// of an unknown kind, proofs and attestations.
func universe(seed int) []*Record {
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	tb := &testing.T{}
	as := make([]*author, 5)
	for i := range as {
		as[i] = newAuthor(tb, byte(10*seed+i+1))
	}
	g := as[0]
	recs := []*Record{g.next(tb, KindDistrict, "meso", &District{
		Name: "meso", Stewards: ids(g), Verifiers: ids(as[1], as[2]),
		Limits: map[string]uint64{"credit": uint64(20 + rng.IntN(60))},
	})}
	var proofs []*Record
	for range 40 {
		a := as[rng.IntN(len(as))]
		switch x := rng.IntN(10); {
		case x < 6:
			to := as[rng.IntN(len(as))]
			d := []string{"", "meso"}[rng.IntN(2)]
			recs = append(recs, a.pay(tb, d, to, uint64(1+rng.IntN(20)), []string{"credit", "kWh"}[rng.IntN(2)]))
		case x < 7:
			recs = append(recs, a.next(tb, "note", "", map[string]any{"n": uint64(rng.IntN(9))}))
		case x < 8:
			p := a.next(tb, protocol.KindProof, "meso", proofBody("MIP-HLT@1", map[string]any{"n": uint64(1)}))
			proofs = append(proofs, p)
			recs = append(recs, p)
		case len(proofs) > 0:
			p := proofs[rng.IntN(len(proofs))]
			v := []string{protocol.Valid, protocol.Valid, protocol.Invalid}[rng.IntN(3)]
			if rng.IntN(4) > 0 {
				a = as[1+rng.IntN(2)] // mostly the district's verifiers
			}
			recs = append(recs, attest(tb, a, p, v, ""))
		}
	}
	for range 3 { // role entries: by the steward (they count) and by others (they do not)
		by, who := as[[]int{0, 0, 4}[rng.IntN(3)]], as[1+rng.IntN(4)]
		role := []string{RoleVerifier, RoleSteward}[rng.IntN(2)]
		recs = append(recs, by.next(tb, KindRole, "meso", &Role{Subject: []byte(who.id), Role: role, Grant: rng.IntN(3) > 0}))
	}
	if seed%3 != 0 { // a forks: a second receipt at one of its seqs
		f := as[3]
		seq := uint64(1 + rng.IntN(int(max(f.seq, 1))))
		fork := f.at(tb, seq, prevOf(recs, f, seq), protocol.KindReceipt, "meso",
			&Receipt{Payee: []byte(as[4].id), Amount: 99, Unit: "credit"})
		recs = append(recs, fork)
		if pair := f.heldAt(recs, seq); len(pair) == 2 {
			fraud := NewFraud(pair[0].Block, pair[1].Block)
			if seed%2 == 0 {
				recs = append(recs, as[4].next(tb, protocol.KindFraud, "", fraud))
			}
			// d, who pays no one, forks at seq 1: a role entry and a
			// fraud entry on a's pair, so a fraud entry may arrive as the
			// second entry at its (author, seq).
			d := newAuthor(tb, byte(10*seed+6))
			recs = append(recs,
				d.at(tb, 1, cid.Undef, KindRole, "meso", &Role{Subject: []byte(as[4].id), Role: RoleVerifier, Grant: true}),
				d.at(tb, 1, cid.Undef, protocol.KindFraud, "", fraud))
		}
	}
	if seed%4 == 1 { // the steward forks a role entry: a grant and a revocation at one seq
		who := as[1+rng.IntN(4)]
		grant := g.next(tb, KindRole, "meso", &Role{Subject: []byte(who.id), Role: RoleVerifier, Grant: true})
		recs = append(recs, grant, g.at(tb, grant.ID.Seq, prevOf(recs, g, grant.ID.Seq), KindRole, "meso",
			&Role{Subject: []byte(who.id), Role: RoleVerifier, Grant: false}))
	}
	if tb.Failed() {
		panic("universe signing failed")
	}
	return recs
}

func prevOf(recs []*Record, a *author, seq uint64) cid.Cid {
	if seq == 1 {
		return cid.Undef
	}
	return a.heldAt(recs, seq-1)[0].CID
}

func (a *author) heldAt(recs []*Record, seq uint64) []*Record {
	var out []*Record
	for _, r := range recs {
		if r.Author() == a.id && r.ID.Seq == seq {
			out = append(out, r)
		}
	}
	return out
}

// draw picks a universe and a subset of it in a random order.
func draw(t *rapid.T) []*Record {
	u := rapid.SampledFrom(universes()).Draw(t, "universe")
	keep := rapid.SliceOfN(rapid.Bool(), len(u), len(u)).Draw(t, "keep")
	var sub []*Record
	for i, r := range u {
		if keep[i] || i == 0 {
			sub = append(sub, r)
		}
	}
	return rapid.Permutation(sub).Draw(t, "order")
}

// partitioned builds the set by splitting recs among k replicas, filling
// each in order, then merging them in a random order.
func partitioned(t *rapid.T, recs []*Record) *Set {
	k := rapid.IntRange(1, 4).Draw(t, "replicas")
	parts := make([]*Set, k)
	for i := range parts {
		parts[i] = NewSet()
	}
	for i, r := range recs {
		parts[rapid.IntRange(0, k-1).Draw(t, "part"+string(rune('a'+i%26)))].Insert(r)
	}
	order := rapid.Permutation(parts).Draw(t, "merge order")
	s := order[0]
	for _, p := range order[1:] {
		s = Union(s, p)
	}
	return s
}

// view is everything the views show, for comparison.
type view struct {
	Balances []Balance
	Lines    []Line
	Flags    []string
	Digest   [32]byte
	Verified []Status
}

func viewOf(l *Ledger) view {
	v := view{Balances: l.Balances(), Lines: l.Lines(), Digest: l.Digest(), Verified: Verify(l.Set(), policy, nil).All()}
	for _, f := range l.Flags() {
		v.Flags = append(v.Flags, f.String())
	}
	return v
}

func cids(s *Set) []cid.Cid {
	var out []cid.Cid
	for _, r := range s.Records() {
		out = append(out, r.CID)
	}
	return out
}

func TestLawMerge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b, c := setOf(draw(t)...), setOf(draw(t)...), setOf(draw(t)...)
		eq := func(name string, x, y *Set) {
			if !reflect.DeepEqual(cids(x), cids(y)) || x.Len() != y.Len() {
				t.Fatalf("%s: sets differ", name)
			}
		}
		eq("commutative", Union(a, b), Union(b, a))
		eq("associative", Union(Union(a, b), c), Union(a, Union(b, c)))
		eq("idempotent", Union(a, a), a)
	})
}

func TestLawViewsIgnoreOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		incremental := ledgerOf(recs...)
		full := Compute(partitioned(t, rapid.Permutation(recs).Draw(t, "again")), nil)
		vi, vf := viewOf(incremental), viewOf(full)
		if !reflect.DeepEqual(vi, vf) {
			t.Fatalf("views differ:\nincremental %+v\nfull        %+v", vi, vf)
		}
		checkOracle(t, full)
	})
}

func TestLawCoverageMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		recs := draw(t)
		l := NewLedger(nil)
		for _, r := range recs {
			before := l.Lines()
			flags := len(l.Flags())
			l.Add(r)
			if len(l.Flags()) < flags {
				t.Fatal("a flag disappeared")
			}
			if len(l.Flags()) != flags {
				continue // flags are the one exception to monotone coverage
			}
			for _, ln := range before {
				if ln.Covered && !l.Covered(ln.Payer, ln.Seq) {
					t.Fatalf("receipt %s uncovered by adding %s", ln.CID, r.CID)
				}
			}
		}
	})
}

// checkOracle recomputes balances and coverage naively: repeat "cover
// every receipt whose need is met" until nothing changes.
func checkOracle(t *rapid.T, l *Ledger) {
	s := l.Set()
	flags := Flagged(s)
	gen := geneses(s.Each, nil)
	type acct struct {
		id   peer.ID
		unit string
	}
	bal := map[acct]int64{}
	type rc struct {
		r    *Record
		body *Receipt
		need int64
	}
	var live []rc
	sent := map[acct]int64{}
	for _, r := range s.Records() {
		body, ok := r.Receipt()
		if !ok || flags[r.Author()] {
			continue
		}
		bal[acct{r.Author(), body.Unit}] -= int64(body.Amount)
		bal[acct{body.To(), body.Unit}] += int64(body.Amount)
		if r.ID.Seq > s.Head(r.Author()) {
			continue
		}
		k := acct{r.Author(), body.Unit}
		sent[k] += int64(body.Amount)
		var limit int64
		if g := gen[r.Entry.District]; g != nil {
			limit = int64(g.Body.(*District).Limits[body.Unit])
		}
		live = append(live, rc{r, body, sent[k] - limit})
	}
	covered := map[*Record]bool{}
	for changed := true; changed; {
		changed = false
		recv := map[acct]int64{}
		for _, x := range live {
			if covered[x.r] {
				recv[acct{x.body.To(), x.body.Unit}] += int64(x.body.Amount)
			}
		}
		for _, x := range live {
			if !covered[x.r] && x.need <= recv[acct{x.r.Author(), x.body.Unit}] {
				covered[x.r], changed = true, true
			}
		}
	}
	for _, b := range l.Balances() {
		if bal[acct{b.Account, b.Unit}] != b.Balance {
			t.Fatalf("balance %s %s = %d, oracle %d", b.Account, b.Unit, b.Balance, bal[acct{b.Account, b.Unit}])
		}
	}
	for _, ln := range l.Lines() {
		r := s.At(ln.Payer, ln.Seq)[0]
		if ln.Covered != covered[r] {
			t.Fatalf("receipt %s covered=%v, oracle %v", ln.CID, ln.Covered, covered[r])
		}
	}
}
