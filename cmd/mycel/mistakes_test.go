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
