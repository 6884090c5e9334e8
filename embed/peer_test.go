package embed

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/node"
)

// TestOptionsConflict: options that contradict each other are refused
// before anything starts; a bad address is named.
func TestOptionsConflict(t *testing.T) {
	for name, o := range map[string]Options{
		"config and fields":  {Config: &node.Config{}, Districts: []string{"a"}},
		"offline and listen": {Offline: true, Listen: []string{"/ip4/127.0.0.1/tcp/0"}},
		"grid and cache":     {Grid: node.WasmRunner(nil), GridCache: "x"},
	} {
		if _, err := o.nodeConfig(); !errors.Is(err, errConflict) {
			t.Errorf("%s: %v, want a conflict", name, err)
		}
	}
	if _, err := (Options{Listen: []string{"nowhere"}}).nodeConfig(); err == nil {
		t.Error("a listen address that is no multiaddr: no error")
	}
	if _, err := (Options{Bootstrap: []string{"/ip4/127.0.0.1/tcp/1"}}).nodeConfig(); err == nil {
		t.Error("a bootstrap address with no peer: no error")
	}
	cfg, err := Options{}.nodeConfig()
	if err != nil || cfg.Listen == nil || len(cfg.Listen) != 0 || !cfg.NoPortMap || cfg.MDNS {
		t.Fatalf("zero options: %+v, %v; want no listening, no port map, no mDNS", cfg, err)
	}
}

// TestTwoPeersAwait: a proof published on one peer reaches the other,
// and Await returns once the other's views hold its status; an offline
// peer refuses to connect and still writes.
func TestTwoPeersAwait(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	district := "meso-valley/north"
	start := func(o Options) *Peer {
		v, err := OpenVault(filepath.Join(t.TempDir(), "vault.db"), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { v.Close() })
		p, err := Start(ctx, v, o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		return p
	}
	o := Options{Districts: []string{district}, Listen: []string{"/ip4/127.0.0.1/tcp/0"}, LAN: true}
	a, b := start(o), start(o)
	if _, err := b.Connect(ctx, a.Addrs()[0]); err != nil {
		t.Fatal(err)
	}
	claim := []byte(`{"cohort_size": 3, "measure": "hba1c", "unit": "mmol_mol", "baseline_x10": 700, "outcome_x10": 600, "period_days": 90, "method": "pre_post_cohort"}`)
	pub, err := a.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: claim, District: district, NoEvidence: true})
	if err != nil {
		t.Fatal(err)
	}
	c, err := api.ParseCID(pub.CID)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Await(ctx, func(v *node.Views) bool {
		_, ok := v.Status(c)
		return ok
	})
	if err != nil {
		t.Fatalf("the other peer's views never held the proof: %v", err)
	}
	off := start(Options{Districts: []string{district}, Offline: true})
	if _, err := off.Connect(ctx, a.Addrs()[0]); !errors.Is(err, ErrNoNetwork) {
		t.Fatalf("an offline peer's connect: %v, want ErrNoNetwork", err)
	}
	if len(off.Addrs()) != 0 {
		t.Fatalf("an offline peer listens on %v", off.Addrs())
	}
	if _, err := off.AddEvidence(ctx, []byte("kept"), "note"); err != nil {
		t.Fatal(err)
	}
}
