package main

import (
	"testing"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
)

// TestOfflineProfile: the offline profile is LAN-only (listening, mDNS,
// no bootstrap, relays or port mapping); --offline listens nowhere.
func TestOfflineProfile(t *testing.T) {
	cfg := home.DefaultConfig("meso-valley/north", home.Offline)
	cfg.Network.Bootstrap = []string{"/ip4/10.0.0.1/tcp/4811/p2p/12D3KooWGRUVh2YSGNHBMP9GWLGGuvuq5NS3ga7T4ZqCdS2ntUiE"}
	cfg.Network.Relays = cfg.Network.Bootstrap
	nc, _, err := nodeConfig(cfg, daemonFlags{})
	if err != nil {
		t.Fatal(err)
	}
	if len(nc.Listen) != 2 || !nc.MDNS || len(nc.Bootstrap) != 0 || len(nc.Relays) != 0 || !nc.NoPortMap || nc.Server || nc.DHTServer {
		t.Fatalf("offline profile: %+v", nc)
	}
	nc, _, err = nodeConfig(cfg, daemonFlags{offline: true})
	if err != nil || len(nc.Listen) != 0 || nc.MDNS || len(nc.Bootstrap) != 0 {
		t.Fatalf("--offline: %+v %v", nc, err)
	}
	lap := home.DefaultConfig("", home.Laptop)
	lap.Network.Bootstrap = cfg.Network.Bootstrap
	if nc, _, _ := nodeConfig(lap, daemonFlags{}); len(nc.Bootstrap) != 1 || nc.NoPortMap {
		t.Fatalf("laptop: %+v", nc)
	}
}
