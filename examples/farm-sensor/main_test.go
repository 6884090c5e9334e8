package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
)

// TestFarmSensor runs three batches on loopback against a buyer's peer:
// the command exits after the third, and the buyer holds the three
// MIP-AGR proofs.
func TestFarmSensor(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	district := "meso-valley/north"
	bv, err := embed.OpenVault(filepath.Join(t.TempDir(), "buyer.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bv.Close()
	buyer, err := embed.Start(ctx, bv, embed.Options{Districts: []string{district}, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, LAN: true})
	if err != nil {
		t.Fatal(err)
	}
	defer buyer.Close()
	o := options{dir: t.TempDir(), district: district, listen: "/ip4/127.0.0.1/tcp/0", connect: buyer.Addrs()[0],
		seed: 7, batches: 3, plots: 5, every: 10 * time.Millisecond, baselineKgHa: 1800}
	var proofs []api.Published
	if err := run(ctx, o, func(_ int, p api.Published) { proofs = append(proofs, p) }); err != nil {
		t.Fatal(err)
	}
	if len(proofs) != 3 {
		t.Fatalf("%d proofs, want 3", len(proofs))
	}
	for _, p := range proofs {
		c, err := api.ParseCID(p.CID)
		if err != nil {
			t.Fatal(err)
		}
		if err := buyer.AwaitEntry(ctx, c); err != nil {
			t.Fatalf("the buyer never received %s: %v", p.CID, err)
		}
		if p.MIP != "MIP-AGR@1" {
			t.Fatalf("proof under %s", p.MIP)
		}
	}
}

// TestSensorsSeeded: one seed gives one stream; another seed another.
func TestSensorsSeeded(t *testing.T) {
	a, b, c := newSensors(7, 4, 1800), newSensors(7, 4, 1800), newSensors(8, 4, 1800)
	for range 3 {
		x, y, z := a.batch().csv(), b.batch().csv(), c.batch().csv()
		if !bytes.Equal(x, y) || bytes.Equal(x, z) {
			t.Fatalf("seed 7: %q and %q; seed 8: %q", x, y, z)
		}
	}
}

// TestBounds: the command refuses batch counts and sizes out of bounds.
func TestBounds(t *testing.T) {
	for _, o := range []options{{batches: 0, plots: 1, every: time.Second}, {batches: 1, plots: maxPlots + 1, every: time.Second}, {batches: 1, plots: 1}} {
		if err := run(context.Background(), o, nil); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
