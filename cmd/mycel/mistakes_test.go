package main

import "testing"

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
