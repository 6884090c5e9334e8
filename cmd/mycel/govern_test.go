package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// TestGovernanceCommands: the sole steward of a district proposes to
// activate a MIP version there and votes yes: proposals and mip status
// show it ratified (one vote of one steward is more than two thirds);
// a malformed proposal is a usage error.
func TestGovernanceCommands(t *testing.T) {
	dir := newHome(t)
	var id api.Identity
	json.Unmarshal([]byte(must(t, "--home", dir, "id", "--json")), &id)
	must(t, "--home", dir, "district", "create", "meso-valley/north", "--steward", id.PeerID)
	var w api.Written
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "propose", "mip", "MIP-AGR@1", "--note", "farms asked", "--json")), &w); err != nil || w.Kind != "proposal" {
		t.Fatalf("propose: %+v %v", w, err)
	}
	var st api.MIPStatus
	json.Unmarshal([]byte(must(t, "--home", dir, "mip", "status", "MIP-AGR@1", "--json")), &st)
	if st.Ratified || len(st.Votes) != 1 {
		t.Fatalf("before the vote: %+v", st)
	}
	must(t, "--home", dir, "vote", w.CID, "--yes", "--note", "yes")
	json.Unmarshal([]byte(must(t, "--home", dir, "mip", "status", "MIP-AGR@1", "--json")), &st)
	if !st.Ratified || len(st.Votes) != 1 || len(st.Votes[0].Yes) != 1 {
		t.Fatalf("after the vote: %+v", st)
	}
	if table := must(t, "--home", dir, "proposals"); !strings.Contains(table, "activate") || !strings.Contains(table, "yes") {
		t.Fatalf("proposals: %s", table)
	}
	fails(t, 2, "propose", "--home", dir, "propose", "mip")
	fails(t, 2, "--yes or --no", "--home", dir, "vote", w.CID)
}
