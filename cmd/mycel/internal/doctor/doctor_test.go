package doctor

import (
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)

// healthy is a running peer with nothing wrong.
func healthy() Facts {
	return Facts{
		Now: now, DaemonRunning: true,
		Reaches: []Reach{{Addr: "127.0.0.1:4811", Scope: "loopback"}, {Addr: "192.168.1.5:4811", Scope: "lan"}},
		MDNS:    true, Multicast: []string{"wlan0"}, PortMap: true, Reach: "private", Relays: 1, Reserved: []string{"12D3r"},
		DHTPeers: 12, Peers: 3, ClockSkews: []int64{120, -340},
		VaultChecked: true, KeyKnown: true, KeyEncrypted: true, Backup: now.Add(-24 * time.Hour),
	}
}

func TestHealthyIsOK(t *testing.T) {
	rs := Run(healthy())
	if len(rs) != len(Checks) {
		t.Fatalf("%d results for %d checks", len(rs), len(Checks))
	}
	for _, r := range rs {
		if r.Status != OK {
			t.Errorf("%s", r)
		}
	}
	if Worst(rs) != OK {
		t.Fatal("worst of all ok is not ok")
	}
}

// Each check's warn and fail paths, provoked one at a time from a
// healthy peer; every verdict that is not ok names a remedy.
func TestEachCheckFails(t *testing.T) {
	cases := []struct {
		name   string
		check  Check
		change func(*Facts)
		want   string
		words  string
	}{
		{"config invalid", Config, func(f *Facts) { f.ConfigErr = "bad config: profile \"x\"" }, Fail, "profile"},
		{"ports busy", Ports, func(f *Facts) {
			f.DaemonRunning = false
			f.Ports = []Port{{Addr: "tcp 0.0.0.0:4811", Err: "address already in use"}, {Addr: "tcp 127.0.0.1:5811"}}
		}, Fail, "4811"},
		{"ports unreachable", Ports, func(f *Facts) {
			f.Reaches = []Reach{{Addr: "127.0.0.1:4811", Scope: "loopback", Err: "connection refused"}}
		}, Fail, "refused"},
		{"ports loopback only", Ports, func(f *Facts) { f.Reaches = f.Reaches[:1] }, Warn, "loopback only"},
		{"ports some fail", Ports, func(f *Facts) { f.Reaches[1].Err = "timeout" }, Warn, "timeout"},
		{"no multicast", Multicast, func(f *Facts) { f.Multicast = nil }, Warn, "no interface"},
		{"nat private no relay", NAT, func(f *Facts) { f.Reserved = nil }, Warn, "behind NAT"},
		{"nat private no port map", NAT, func(f *Facts) { f.Reserved, f.PortMap = nil, false }, Warn, "port mapping (UPnP/NAT-PMP) off"},
		{"nat unknown", NAT, func(f *Facts) { f.Reach = "unknown" }, Warn, "not settled"},
		{"nat public with nothing reserved is fine, private is not", NAT, func(f *Facts) { f.Reach, f.Reserved, f.Relays = "private", nil, 0 }, Warn, "no relay reserved"},
		{"relays not reserved", Relays, func(f *Facts) { f.Reserved = nil }, Warn, "none reserved"},
		{"dht empty", DHT, func(f *Facts) { f.DHTPeers = 0 }, Warn, "routing table empty"},
		{"clock skewed", Clock, func(f *Facts) { f.ClockSkews = []int64{100, -5 * 60 * 1000} }, Fail, "5m0s"},
		{"pins bad", Pins, func(f *Facts) { f.PinErr = "pin for meso names a proof" }, Fail, "proof"},
		{"vault damaged", Vault, func(f *Facts) { f.VaultErr = "vault.db is damaged at page 7" }, Fail, "page 7"},
		{"vault restored", Vault, func(f *Facts) { f.Restored = true }, Warn, "restored"},
		{"key plain", Key, func(f *Facts) { f.KeyEncrypted = false }, Warn, "unencrypted"},
		{"no backup", Backup, func(f *Facts) { f.Backup = time.Time{} }, Warn, "no backup"},
		{"old backup", Backup, func(f *Facts) { f.Backup = now.Add(-60 * 24 * time.Hour) }, Warn, "60 days"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := healthy()
			c.change(&f)
			r := c.check(f)
			if r.Status != c.want || !strings.Contains(r.Detail, c.words) {
				t.Fatalf("%s, want %s naming %q", r, c.want, c.words)
			}
			if r.Remedy == "" {
				t.Fatalf("%s: no remedy", r)
			}
			if strings.Contains(r.String(), "\n") {
				t.Fatalf("%q is not one line", r.String())
			}
		})
	}
}

// Checks that need the daemon say so when it is not running, rather than
// guessing.
func TestStoppedDaemonSkips(t *testing.T) {
	f := healthy()
	f.DaemonRunning = false
	f.Ports = []Port{{Addr: "tcp 0.0.0.0:4811"}}
	for _, c := range []Check{NAT, Relays, DHT, Clock} {
		if r := c(f); r.Status != Skip || !strings.Contains(r.Detail, "not running") {
			t.Errorf("%s, want skip saying the daemon is not running", r)
		}
	}
	if r := Ports(f); r.Status != OK {
		t.Errorf("%s, want free ports ok", r)
	}
}
