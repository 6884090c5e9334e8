package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
)

var districts = []string{"meso-valley/north", "river-delta/south"}

// site starts a peer of one village, following both districts, that
// publishes one proof in its own; it returns the peer and the proof.
func site(t *testing.T, ctx context.Context, district string) (*embed.Peer, cid.Cid) {
	t.Helper()
	v, err := embed.OpenVault(filepath.Join(t.TempDir(), "vault.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	p, err := embed.Start(ctx, v, embed.Options{Districts: districts, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, LAN: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	ev, err := p.AddEvidence(ctx, []byte("weights of "+district), "weights.csv")
	if err != nil {
		t.Fatal(err)
	}
	claim, _ := json.Marshal(map[string]any{"cohort_size": 30, "measure": "body_weight", "unit": "kg",
		"baseline_x10": 812, "outcome_x10": 790, "period_days": 120, "method": "pre_post_cohort"})
	pub, err := p.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: claim, Evidence: []string{ev.ID}, District: district})
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.ParseCID(pub.CID)
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

// TestTravellingLaptop: two villages that never connect each publish a
// proof; the laptop visits north, south, north, south and each village
// ends holding the other's proof, which only the laptop could carry.
func TestTravellingLaptop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	north, northProof := site(t, ctx, districts[0])
	south, southProof := site(t, ctx, districts[1])
	o := options{dir: t.TempDir(), districts: districts, visits: []string{north.Addrs()[0], south.Addrs()[0]}, rounds: 2}
	var seen []visit
	if err := run(ctx, o, func(v visit) { seen = append(seen, v) }); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 {
		t.Fatalf("%d visits, want 4", len(seen))
	}
	for _, c := range []struct {
		at    *embed.Peer
		proof cid.Cid
	}{{south, northProof}, {north, southProof}} {
		if _, err := c.at.Vault.Get(c.proof); err != nil {
			t.Fatalf("%s does not hold %s after the visits: %v", c.at.ID(), c.proof, err)
		}
	}
	for _, p := range north.Mesh().Peers() {
		if p.PeerID == south.ID().String() {
			t.Fatal("the villages met directly: the test proves nothing")
		}
	}
}

// TestOptions: the command refuses what it cannot do.
func TestOptions(t *testing.T) {
	for _, o := range []options{{districts: districts, rounds: 1}, {districts: districts[:1], visits: []string{"x"}, rounds: 1}, {districts: districts, visits: []string{"x"}}} {
		if err := run(context.Background(), o, nil); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
}
