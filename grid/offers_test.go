package grid

import (
	"testing"

	"github.com/mesocosm/mycel/settle"
)

// TestOffers: the latest offer entry stands until it expires or is
// withdrawn; an earlier one never stands in for it.
func TestOffers(t *testing.T) {
	a, b := newAuthor(t, 2), newAuthor(t, 3)
	a1 := a.offer(t, 3, "credit")
	a2 := a.next(t, KindOffer, &Offer{Runtime: Runtime, MemoryMiB: 512, MaxSeconds: 60, Price: 4, Unit: "credit", Expires: 5000})
	b1 := b.offer(t, 1, "kWh")
	b2 := b.next(t, KindOffer, &Offer{Withdrawn: true})
	v := viewOf(a2, b2, a1, b1)
	cur := v.Offers(4999)
	if len(cur) != 1 || cur[0].Provider != a.ID || cur[0].Offer.Price != 4 || cur[0].Seq != 2 {
		t.Fatalf("offers at 4999: %+v", cur)
	}
	if len(v.Offers(5000)) != 0 {
		t.Fatal("an expired offer stands, or an earlier one stands in for it")
	}
	if _, ok := v.Offer(b.ID, 0); ok {
		t.Fatal("a withdrawn offer stands")
	}
	if o := goodOffer(); !o.Fits(goodJob()) || o.Serves("elsewhere") || !(&Offer{Runtime: Runtime}).Serves("x") {
		t.Fatal("Fits or Serves")
	}
}

// TestDuePrice: the price is the offer's in force when the result was
// written; nothing is due above the job's maximum, in another unit, for
// a free offer or after a withdrawal.
func TestDuePrice(t *testing.T) {
	cases := []struct {
		name   string
		before []*Offer // offers before the result
		after  *Offer   // an offer after it
		want   uint64   // 0: nothing due
	}{
		{"offer price", []*Offer{offerAt(3, "credit")}, nil, 3},
		{"later offer ignored", []*Offer{offerAt(3, "credit")}, offerAt(5, "credit"), 3},
		{"latest before", []*Offer{offerAt(9, "credit"), offerAt(4, "credit")}, nil, 4},
		{"above max", []*Offer{offerAt(6, "credit")}, nil, 0},
		{"at max", []*Offer{offerAt(5, "credit")}, nil, 5},
		{"other unit", []*Offer{offerAt(3, "kWh")}, nil, 0},
		{"free", []*Offer{offerAt(0, "credit")}, nil, 0},
		{"withdrawn", []*Offer{offerAt(3, "credit"), {Withdrawn: true}}, nil, 0},
		{"offer only after", nil, offerAt(3, "credit"), 0},
	}
	for i, c := range cases {
		req, p := newAuthor(t, byte(100+2*i)), newAuthor(t, byte(101+2*i))
		var recs []*settle.Record
		for _, o := range c.before {
			recs = append(recs, p.next(t, KindOffer, o))
		}
		job := req.job(t, 1, 5, "in")
		recs = append(recs, job, p.result(t, job, "x"))
		if c.after != nil {
			recs = append(recs, p.next(t, KindOffer, c.after))
		}
		v := viewOf(recs...)
		if st, _ := v.Status(job.CID); st.State != Verified {
			t.Fatalf("%s: job %v", c.name, st.State)
		}
		due := Due(v, req.ID)
		switch {
		case c.want == 0 && len(due) != 0:
			t.Errorf("%s: due %+v, want nothing", c.name, due)
		case c.want != 0 && (len(due) != 1 || due[0].Amount != c.want || due[0].Unit != "credit"):
			t.Errorf("%s: due %+v, want %d credit", c.name, due, c.want)
		}
	}
}

func offerAt(price uint64, unit string) *Offer {
	return &Offer{Runtime: Runtime, MemoryMiB: 256, MaxSeconds: 30, Price: price, Unit: unit}
}
