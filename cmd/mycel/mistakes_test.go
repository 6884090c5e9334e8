package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// TestPledgeWhereMistakes: a mistyped operator is a usage error naming it
// with the fix; a field the MIP does not have is refused with the near
// name; neither writes an entry.
func TestPledgeWhereMistakes(t *testing.T) {
	dir := newHome(t)
	pledge := []string{"pledge", "--mip", "MIP-HLT@1", "--amount", "1", "--unit", "credit", "--cap", "5", "--home", dir}
	fails(t, exitUsage, `operator "=>" is not one of >= <= = > < !=: did you mean cohort_size>=5?`, append(pledge, "--where", "cohort_size=>5")...)
	fails(t, exitError, "did you mean cohort_size?", append(pledge, "--where", "cohort>=5")...)
	fails(t, exitError, "did you mean hba1c?", append(pledge, "--where", "measure=hba1x")...)
	if n := logLen(t, dir); n != 0 {
		t.Fatalf("refused pledges wrote %d entries", n)
	}
	must(t, append(pledge, "--where", "cohort_size>=5", "--where", "measure=hba1c")...)
}

// TestPledgesWithdraw: mycel pledges lists a pledge as open with its cap
// left; mycel pledge withdraw ends it; a second withdraw is refused.
func TestPledgesWithdraw(t *testing.T) {
	dir := newHome(t)
	cid := strings.TrimSpace(must(t, "pledge", "--mip", "MIP-HLT@1", "--amount", "5", "--unit", "credit", "--cap", "50", "--where", "cohort_size>=100", "--home", dir))
	var ps []api.PledgeRow
	if err := json.Unmarshal([]byte(must(t, "pledges", "--json", "--home", dir)), &ps); err != nil || len(ps) != 1 || ps[0].CID != cid || ps[0].Left != 50 || ps[0].State != "open" {
		t.Fatalf("pledges %+v %v", ps, err)
	}
	must(t, "pledge", "withdraw", cid, "--reason", "moved", "--home", dir)
	table := must(t, "pledges", "--home", dir)
	if !strings.Contains(table, cid) || !strings.Contains(table, "withdrawn") {
		t.Fatalf("pledges table after withdraw:\n%s", table)
	}
	fails(t, exitError, "already withdrawn", "pledge", "withdraw", cid, "--home", dir)
}

// TestPayBeyondLimit: a payment the district's credit limit does not back
// is refused with the limit, balance and shortfall unless
// --allow-uncovered; balance shows the payee's uncovered income apart.
// Amounts that are not positive integers are usage errors.
func TestPayBeyondLimit(t *testing.T) {
	payer, payee := newHome(t), newHome(t)
	to := homePeer(t, payee)
	must(t, "district", "create", "meso-valley/north", "--home", payer, "--steward", homePeer(t, payer), "--limit", "credit=100")
	must(t, "pay", to, "40", "credit", "--home", payer)
	fails(t, exitError, "limit 100, covered balance -40, shortfall 10; pay at most 60", "pay", to, "70", "credit", "--home", payer)
	for _, bad := range []string{"-5", "0", "1.5", "ten"} {
		fails(t, exitUsage, "AMOUNT must be a positive integer", "pay", to, bad, "credit", "--home", payer)
	}
	if n := logLen(t, payer); n != 2 {
		t.Fatalf("refused payments wrote entries: log has %d", n)
	}
	must(t, "pay", to, "70", "credit", "--allow-uncovered", "--home", payer)
	var bs []api.Balance
	if err := json.Unmarshal([]byte(must(t, "balance", "--json", "--home", payer)), &bs); err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Account == to && (b.Balance != 110 || b.Covered != 40 || b.Uncovered != 70) {
			t.Fatalf("payee balance %+v, want 110 = 40 covered + 70 uncovered", b)
		}
	}
	if table := must(t, "balance", "--home", payer); !strings.Contains(table, "UNCOVERED") {
		t.Fatalf("balance table:\n%s", table)
	}
}
