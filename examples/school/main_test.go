package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// peer is where a started verifier is.
type peer struct {
	id    string
	addrs []string
}

// startVerifier runs a verifier until the test ends and returns where
// it is.
func startVerifier(t *testing.T, ctx context.Context, o options) peer {
	t.Helper()
	s, d := make(chan peer, 1), make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		d <- runVerifier(ctx, o, func(id string, addrs []string) { s <- peer{id, addrs} }, func(string, string) {})
	}()
	t.Cleanup(func() { cancel(); <-d })
	select {
	case p := <-s:
		return p
	case err := <-d:
		t.Fatalf("the verifier stopped: %v", err)
	}
	return peer{}
}

// TestSchool runs the school and two verifiers on loopback (the second
// verifier dials the first, the school dials the first): the school
// founds the district naming them, publishes a proof per subject, and
// returns once both proofs are verified by the verifiers' attestations.
func TestSchool(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	district := "meso-valley/north"
	vo := options{verify: true, district: district, listen: "/ip4/127.0.0.1/tcp/0"}
	vo.dir = t.TempDir()
	first := startVerifier(t, ctx, vo)
	vo.dir, vo.connect = t.TempDir(), first.addrs[0]
	second := startVerifier(t, ctx, vo)

	var rows strings.Builder
	rows.WriteString("learner,subject,baseline,outcome\n")
	for i := range 12 {
		fmt.Fprintf(&rows, "l%02d,literacy,%d,%d\nl%02d,numeracy,%d,%d\n", i, 30+i, 45+i, i, 40+i, 52+i)
	}
	csv := filepath.Join(t.TempDir(), "term1.csv")
	if err := os.WriteFile(csv, []byte(rows.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	o := options{dir: t.TempDir(), csv: csv, district: district, listen: "/ip4/127.0.0.1/tcp/0",
		connect: first.addrs[0], verifiers: []string{first.id, second.id}, scoreMax: 100, periodDays: 90}
	var verified []string
	if err := runSchool(ctx, o, func(string, []string) {}, func(c string) { verified = append(verified, c) }); err != nil {
		t.Fatalf("school: %v (verified %v)", err, verified)
	}
	if len(verified) != 2 {
		t.Fatalf("verified %v, want the literacy and numeracy proofs", verified)
	}
}

// TestGroups reads the assessments and refuses bad ones.
func TestGroups(t *testing.T) {
	gs, err := groupsOf([]byte("l,s,b,o\na,literacy,40,60\nb,literacy,50,70\nc,numeracy,10,20\n"), 100)
	if err != nil || len(gs) != 2 {
		t.Fatalf("%v, %v", gs, err)
	}
	c := gs[0].claim(100, 90)
	if c["learners"] != 2 || c["baseline_mean_x10"] != 450 || c["outcome_mean_x10"] != 650 {
		t.Fatalf("claim %v", c)
	}
	for _, bad := range []string{"l,s,b,o\n", "l,s,b,o\na,literacy,40,101\n", "l,s,b,o\na,literacy,x,1\n", "l,s,b\n"} {
		if _, err := groupsOf([]byte(bad), 100); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if v, _ := judge(map[string]any{"learners": 3.0, "score_max": 100.0, "baseline_mean_x10": 400.0, "outcome_mean_x10": 1001.0}); v != "invalid" {
		t.Error("a mean above the scale judged", v)
	}
}
