package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mesocosm/mycel/api"
)

// TestProofsPages: mycel proofs --limit stops at the limit and prints on
// stderr the command that goes on; --after continues where it stopped;
// without --limit every page is read and one JSON array streamed.
func TestProofsPages(t *testing.T) {
	dir := newHome(t)
	if out := must(t, "--home", dir, "proofs", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("no proofs: %q, want []", out)
	}
	claimFile := writeFile(t, "claim.json", claim)
	want := map[string]bool{}
	for range 3 {
		var pub api.Published
		out := must(t, "--home", dir, "proof", "publish", "--mip", "MIP-HLT@1", "--claim", claimFile, "--no-evidence", "--json")
		if err := json.Unmarshal([]byte(out), &pub); err != nil {
			t.Fatal(err)
		}
		want[pub.CID] = true
	}
	r := runCLI(t, "--home", dir, "proofs", "--json", "--limit", "2")
	var first []api.Proof
	if err := json.Unmarshal([]byte(r.stdout), &first); r.code != 0 || err != nil || len(first) != 2 {
		t.Fatalf("--limit 2: exit %d, %d proofs, %v: %s", r.code, len(first), err, r.stderr)
	}
	_, hint, ok := strings.Cut(r.stderr, "more follow: ")
	if !ok || !strings.Contains(hint, "--limit=2") || !strings.Contains(hint, "--after ") {
		t.Fatalf("--limit 2 said %q, want the command that goes on", r.stderr)
	}
	cursor := strings.Fields(hint[strings.Index(hint, "--after ")+len("--after "):])[0]
	var rest []api.Proof
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "proofs", "--json", "--after", cursor)), &rest); err != nil || len(rest) != 1 {
		t.Fatalf("--after: %d proofs, %v", len(rest), err)
	}
	for _, p := range append(first, rest...) {
		if !want[p.CID] {
			t.Fatalf("listed %s, not published", p.CID)
		}
		delete(want, p.CID)
	}
	if len(want) != 0 {
		t.Fatalf("never listed: %v", want)
	}
	var all []api.Proof
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "proofs", "--json")), &all); err != nil || len(all) != 3 {
		t.Fatalf("all: %d proofs, %v", len(all), err)
	}
	table := must(t, "--home", dir, "proofs", "--limit", "1")
	if lines := strings.Split(strings.TrimSpace(table), "\n"); len(lines) != 2 || !strings.HasPrefix(lines[0], "CID ") {
		t.Fatalf("--limit 1 table: %q", table)
	}
	var log []api.LogEntry
	r = runCLI(t, "--home", dir, "log", "--json", "--limit", "1")
	if err := json.Unmarshal([]byte(r.stdout), &log); r.code != 0 || err != nil || len(log) != 1 || !strings.Contains(r.stderr, "mycel log ") {
		t.Fatalf("log --limit 1: exit %d, %d entries, %v, stderr %q", r.code, len(log), err, r.stderr)
	}
	if err := json.Unmarshal([]byte(must(t, "--home", dir, "log", "--json")), &log); err != nil || len(log) != 3 {
		t.Fatalf("log: %d entries, %v", len(log), err)
	}
	fails(t, 2, "--limit", "--home", dir, "proofs", "--limit", "-1")
	fails(t, 1, "cursor", "--home", dir, "proofs", "--after", "nonsense")
}
