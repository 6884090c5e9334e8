package demo

import (
	"context"
	"fmt"
)

// settle waits until the funder's own node has paid every verified proof
// its pledges cover, and shows the receipts as the clinic sees them.
func (d *district) settle(ctx context.Context) error {
	v, err := viewsOf(d.funder.vault)
	if err != nil {
		return err
	}
	for _, st := range v.Verification().All() {
		by := d.nameOf(st.Author.String())
		verdict := "not verified"
		if st.Verified {
			verdict = "VERIFIED"
		}
		d.say.say("%s proof %s by %s: %d of %d valid attestations -> %s", st.MIP, short(st.Proof.String()), by, st.Valid, st.K, verdict)
		for _, a := range st.Attestations {
			if !a.Counted {
				d.say.detail("%s: %s (%s) — %s", d.nameOf(a.Verifier.String()), a.Verdict, a.Why, a.Note)
			}
		}
	}
	want := len(v.Verification().Verified())
	d.say.say("the funder's node pays each verified proof by itself, exactly once…")
	paid := func(p *peer) bool {
		pv, err := viewsOf(p.vault)
		if err != nil {
			return false
		}
		n := 0
		for _, l := range pv.Lines() {
			if l.Payer == d.funder.vault.ID() {
				n++
			}
		}
		return n >= want
	}
	for _, p := range d.online {
		if err := p.waitUntil(ctx, func() bool { return paid(p) }); err != nil {
			return fmt.Errorf("waiting for receipts: %w", err)
		}
	}
	cv, err := viewsOf(d.clinic.vault)
	if err != nil {
		return err
	}
	for _, l := range cv.Lines() {
		d.say.say("receipt %s: %s pays %s %d %s (covered: %v)", short(l.CID.String()), d.nameOf(l.Payer.String()), d.nameOf(l.Payee.String()), l.Amount, l.Unit, l.Covered)
	}
	return nil
}

// nameOf returns the demo name of a peer ID.
func (d *district) nameOf(id string) string {
	for _, p := range d.all {
		if p.vault.ID().String() == id {
			return p.name
		}
	}
	return short(id)
}
