package settle

import (
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
)

func TestLedgerBalancesAndCoverage(t *testing.T) {
	st, a, b, c := newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3), newAuthor(t, 4)
	gen := st.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(st), Limits: map[string]uint64{"credit": 10}})
	ab := a.pay(t, "meso", b, 10, "credit") // within a's limit
	ab2 := a.pay(t, "meso", b, 1, "credit") // beyond it: a received nothing
	bc := b.pay(t, "", c, 11, "credit")     // global: no limit, backed by a's covered 10 only
	ca := c.pay(t, "", a, 5, "credit")      // c received 0 covered... until bc is covered

	l := ledgerOf(gen, ab, ab2, bc, ca)
	want := map[*author]int64{a: -6, b: 0, c: 6}
	for who, bal := range want {
		if got := l.Balance(who.id, "credit"); got != bal {
			t.Errorf("balance %d, want %d", got, bal)
		}
	}
	cov := func(r *Record) bool { return l.Covered(r.Author(), r.ID.Seq) }
	if !cov(ab) || cov(ab2) || cov(bc) || cov(ca) {
		t.Fatalf("coverage ab=%v ab2=%v bc=%v ca=%v; want true false false false", cov(ab), cov(ab2), cov(bc), cov(ca))
	}
	// c pays a 5: a now has received 5 covered... but ca is not covered, so
	// nothing moves. A payment to b of 1 from st (limit 0, global) does not
	// cover either. Give b one covered credit from st in meso instead.
	stb := st.pay(t, "meso", b, 1, "credit")
	l.Add(stb)
	if !cov(stb) || !cov(bc) || !cov(ca) || !cov(ab2) {
		t.Fatalf("after st pays b: stb=%v bc=%v ca=%v ab2=%v; want all covered", cov(stb), cov(bc), cov(ca), cov(ab2))
	}
	if got, full := l.Digest(), Compute(setOf(gen, ab, ab2, bc, ca, stb), nil).Digest(); got != full {
		t.Fatal("incremental digest differs from full recompute")
	}
}

func TestLedgerGapWaits(t *testing.T) {
	a, b := newAuthor(t, 1), newAuthor(t, 2)
	g := newAuthor(t, 9)
	gen := g.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(g), Limits: map[string]uint64{"kWh": 100}})
	r1 := a.pay(t, "meso", b, 60, "kWh")
	r2 := a.pay(t, "meso", b, 30, "kWh")
	l := ledgerOf(gen, r2)
	if l.Covered(a.id, 2) || l.Balance(b.id, "kWh") != 30 {
		t.Fatal("a receipt after a gap is covered, or not counted in the balance")
	}
	l.Add(r1)
	if !l.Covered(a.id, 1) || !l.Covered(a.id, 2) {
		t.Fatal("filling the gap did not cover both")
	}
}

func TestLedgerEquivocation(t *testing.T) {
	g, a, b, c := newAuthor(t, 9), newAuthor(t, 1), newAuthor(t, 2), newAuthor(t, 3)
	gen := g.next(t, KindDistrict, "meso", &District{Name: "meso", Stewards: ids(g), Limits: map[string]uint64{"credit": 100}})
	x := a.at(t, 1, cid.Undef, protocol.KindReceipt, "meso", &Receipt{Payee: []byte(b.id), Amount: 100, Unit: "credit"})
	y := a.at(t, 1, cid.Undef, protocol.KindReceipt, "meso", &Receipt{Payee: []byte(c.id), Amount: 100, Unit: "credit"})
	bc := b.pay(t, "", c, 50, "credit")
	l := ledgerOf(gen, x, bc)
	if !l.Covered(b.id, 1) {
		t.Fatal("b's receipt backed by a's covered receipt is not covered")
	}
	l.Add(y)
	if !l.Flagged(a.id) || l.Covered(a.id, 1) || l.Covered(b.id, 1) {
		t.Fatal("after the fork: a not flagged, or coverage it backed survives")
	}
	if l.Balance(b.id, "credit") != -50 || l.Balance(c.id, "credit") != 50 {
		t.Fatalf("balances %v: a's receipts still counted", l.Balances())
	}
	lines := l.Lines()
	if len(lines) != 3 {
		t.Fatalf("lines %+v", lines)
	}
	for _, ln := range lines {
		if ln.Counted != (ln.Payer != a.id) {
			t.Errorf("line of %s counted=%v", ln.Payer, ln.Counted)
		}
	}
}
