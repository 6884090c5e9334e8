package api

import (
	"errors"
	"strings"
	"testing"
)

// TestPledgesAndWithdraw: a pledge lists as open with its whole cap left;
// its author's withdraw ends it (state withdrawn, nothing left); a second
// withdraw, a withdraw of a pledge not held and one of another author's
// pledge are refused; --all lists others' pledges.
func TestPledgesAndWithdraw(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	req := PledgeRequest{MIP: "MIP-HLT@1", Amount: 5, Unit: "credit", Cap: 50, District: "meso-valley/north", Where: []string{"cohort_size>=100"}}
	w, err := f.client.Pledge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := f.client.Pledges(ctx, PledgeQuery{})
	if err != nil || len(ps) != 1 || ps[0].CID != w.CID || ps[0].State != PledgeOpen || ps[0].Left != 50 || ps[0].Paid != 0 ||
		len(ps[0].Where) != 1 || ps[0].Where[0] != "cohort_size>=100" {
		t.Fatalf("pledges %+v, %v", ps, err)
	}
	end, err := f.client.Withdraw(ctx, WithdrawRequest{Pledge: w.CID, Reason: "budget moved"})
	if err != nil || end.Kind != "withdraw" || end.Seq != 2 {
		t.Fatalf("withdraw %+v, %v", end, err)
	}
	ps, _ = f.client.Pledges(ctx, PledgeQuery{})
	if len(ps) != 1 || ps[0].State != PledgeWithdrawn || !ps[0].Withdrawn || ps[0].Left != 0 {
		t.Fatalf("after withdraw %+v", ps)
	}
	if _, err := f.client.Withdraw(ctx, WithdrawRequest{Pledge: w.CID}); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "already withdrawn") {
		t.Fatalf("second withdraw: %v", err)
	}
	if _, err := f.client.Withdraw(ctx, WithdrawRequest{Pledge: end.CID}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("withdraw of a non-pledge: %v", err)
	}

	other, ov := newLocal(t)
	theirs, err := other.Pledge(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := ParseCID(theirs.CID)
	b, _ := ov.Get(c)
	if _, err := f.vault.Put(b); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Withdraw(ctx, WithdrawRequest{Pledge: theirs.CID}); !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), "only a pledge's author") {
		t.Fatalf("withdraw of another's pledge: %v", err)
	}
	if mine, _ := f.client.Pledges(ctx, PledgeQuery{}); len(mine) != 1 {
		t.Fatalf("own pledges %+v", mine)
	}
	if all, _ := f.client.Pledges(ctx, PledgeQuery{All: true}); len(all) != 2 {
		t.Fatalf("all pledges %+v", all)
	}
}
