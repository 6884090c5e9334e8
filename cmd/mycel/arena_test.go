package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// TestArenaCommands: a poster posts a problem with a bounty; a solver's
// home learns it by bundle, solves it; the poster learns the solution
// and accepts it: problems, problem show and agency tell each step. The solver
// cannot accept, and a solution of a problem not held is refused.
func TestArenaCommands(t *testing.T) {
	poster, solver := newHome(t), newHome(t)
	var w api.Written
	out := must(t, "--home", poster, "problem", "post", "--title", "pump keeps failing", "--mip", "MIP-AGR@1",
		"--criteria", "runs a season", "--bounty", "100", "--unit", "credit", "--json")
	if err := json.Unmarshal([]byte(out), &w); err != nil || w.Kind != "problem" {
		t.Fatalf("post: %s %v", out, err)
	}
	problem := w.CID
	carry := func(from, to string) {
		file := filepath.Join(t.TempDir(), "carry.car")
		must(t, "--home", from, "bundle", "export", file)
		must(t, "--home", to, "bundle", "import", file)
	}
	fails(t, 1, "no entry", "--home", solver, "solve", problem, "--summary", "new seal")
	carry(poster, solver)
	var rows []api.ProblemRow
	if err := json.Unmarshal([]byte(must(t, "--home", solver, "problems", "--open", "--json")), &rows); err != nil || len(rows) != 1 || rows[0].CID != problem || rows[0].Bounty != 100 {
		t.Fatalf("problems on the solver: %+v, %v", rows, err)
	}
	out = must(t, "--home", solver, "solve", problem, "--summary", "new seal and a filter", "--json")
	if err := json.Unmarshal([]byte(out), &w); err != nil || w.Kind != "solution" {
		t.Fatalf("solve: %s %v", out, err)
	}
	solution := w.CID
	fails(t, 1, "only its poster's accept pays", "--home", solver, "accept", solution)
	carry(solver, poster)
	must(t, "--home", poster, "accept", solution+"=100")
	var p api.ProblemRow
	if err := json.Unmarshal([]byte(must(t, "--home", poster, "problem", "show", problem, "--json")), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != "solved" || len(p.Solutions) != 1 || !p.Solutions[0].Accepted || p.Solutions[0].Share != 100 {
		t.Fatalf("problem show after accept: %+v", p)
	}
	if table := must(t, "--home", poster, "problems"); !strings.Contains(table, "solved") || !strings.Contains(table, "pump keeps failing") {
		t.Fatalf("problems table: %s", table)
	}
	var id api.Identity
	json.Unmarshal([]byte(must(t, "--home", solver, "id", "--json")), &id)
	var ag api.AgencyRow
	if err := json.Unmarshal([]byte(must(t, "--home", poster, "agency", id.PeerID, "--json")), &ag); err != nil || ag.Accepted["MIP-AGR"] != 1 {
		t.Fatalf("the solver's agency as the poster sees it: %+v, %v", ag, err)
	}
	var own api.AgencyRow
	if err := json.Unmarshal([]byte(must(t, "--home", poster, "agency", "--json")), &own); err != nil || len(own.Accepted) != 0 {
		t.Fatalf("the poster's own agency: %+v, %v", own, err)
	}
}
