package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/vault"
)

// TestClinic runs the clinic on loopback against a funder's peer: the
// funder receives the MIP-HLT proof with the cohort's means, and holds no
// byte of the readings, in any entry or anywhere in its vault file.
func TestClinic(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var rows strings.Builder
	rows.WriteString("patient,baseline_x10,outcome_x10\n")
	for i := range 40 {
		fmt.Fprintf(&rows, "patient-%03d,%d,%d\n", i, 650+i, 560+i)
	}
	readings := []byte(rows.String())
	csvPath := filepath.Join(t.TempDir(), "readings.csv")
	if err := os.WriteFile(csvPath, readings, 0o600); err != nil {
		t.Fatal(err)
	}
	funderPath := filepath.Join(t.TempDir(), "funder.db")
	fv, err := embed.OpenVault(funderPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer fv.Close()
	district := "meso-valley/north"
	funder, err := embed.Start(ctx, fv, embed.Options{Districts: []string{district}, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, LAN: true})
	if err != nil {
		t.Fatal(err)
	}
	defer funder.Close()

	published := make(chan api.Published, 1)
	done := make(chan error, 1)
	o := options{dir: t.TempDir(), csv: csvPath, district: district, listen: "/ip4/127.0.0.1/tcp/0", connect: funder.Addrs()[0], periodDays: 180}
	go func() { done <- run(ctx, o, func(_ *embed.Peer, p api.Published) { published <- p }) }()
	var proof api.Published
	select {
	case proof = <-published:
	case err := <-done:
		t.Fatalf("the clinic stopped: %v", err)
	}
	c, err := api.ParseCID(proof.CID)
	if err != nil {
		t.Fatal(err)
	}
	if err := funder.AwaitEntry(ctx, c); err != nil {
		t.Fatalf("the funder never received the proof: %v", err)
	}
	st, err := funder.ProofStatus(ctx, proof.CID)
	if err != nil || st.MIP != "MIP-HLT@1" || st.Author != proof.Author {
		t.Fatalf("proof status at the funder: %+v, %v", st, err)
	}
	blocks, err := fv.Query(vault.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if bytes.Contains(b.Data, []byte("patient-0")) || bytes.Contains(b.Data, readings) {
			t.Fatalf("entry %s at the funder holds readings", b.CID)
		}
	}
	if ev, err := funder.Evidence(ctx); err != nil || len(ev) != 0 {
		t.Fatalf("the funder holds evidence %v, %v", ev, err)
	}
	cancel()
	<-done
	funder.Close()
	fv.Close()
	raw, err := os.ReadFile(funderPath)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("patient-0")) {
		t.Fatal("the funder's vault file holds the readings")
	}
}

// TestCohort computes the means and refuses bad rows.
func TestCohort(t *testing.T) {
	c, err := cohortOf([]byte("patient,b,o\na,700,600\nb,680,580\n"))
	if err != nil {
		t.Fatal(err)
	}
	cl := c.claim(90)
	if cl["cohort_size"] != 2 || cl["baseline_x10"] != int64(690) || cl["outcome_x10"] != int64(590) {
		t.Fatalf("claim %v", cl)
	}
	for _, bad := range []string{"", "h,b,o\n", "h,b,o\na,x,1\n", "h,b,o\na,1\n", "h,b,o\na,1,99999\n"} {
		if _, err := cohortOf([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
