// Package doctor judges a Mycel peer's health from facts gathered
// elsewhere: every check is a pure function of Facts that returns one
// Result, ok, warn or fail, with a remedy when it is not ok.
//
//	facts := gather(...)          // I/O: sockets, the vault, the daemon
//	for _, r := range doctor.Run(facts) { fmt.Println(r) }
package doctor

import (
	"fmt"
	"strings"
	"time"
)

// Statuses of a Result.
const (
	OK   = "ok"
	Warn = "warn"
	Fail = "fail"
	Skip = "skip" // the check could not run; Detail says why
)

// Result is one check's verdict.
type Result struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Remedy string `json:"remedy,omitempty"`
}

func (r Result) String() string {
	s := fmt.Sprintf("%-4s  %-9s  %s", r.Status, r.Name, r.Detail)
	if r.Remedy != "" {
		s += "; " + r.Remedy
	}
	return s
}

// Port is a listen address and whether it could be bound (daemon not
// running) or dialled (daemon running).
type Port struct {
	Addr string // host:port and transport, e.g. "tcp 0.0.0.0:4811"
	Err  string // empty: free, or reachable
}

// Reach is a dial of the running daemon's listen address.
type Reach struct {
	Addr  string // ip:port dialled
	Scope string // "loopback" or "lan"
	Err   string // empty: reached
}

// Facts are what the checks judge. Zero values mean "not known"; the
// gatherer sets Known* flags for facts that can be absent.
type Facts struct {
	Now time.Time

	ConfigErr string // config.toml does not load: the error, one line

	DaemonRunning bool
	Ports         []Port  // daemon not running: listen and API ports bound for a moment
	Reaches       []Reach // daemon running: its listen addresses dialled

	MDNS       bool     // config (or daemon) has mDNS on
	Multicast  []string // up, non-loopback interfaces with multicast and an IPv4 address
	PortMap    bool     // UPnP/NAT-PMP asked for
	Offline    bool     // profile offline or daemon --offline: no NAT, relays or DHT expected
	Reach      string   // daemon's reachability word; "" when not running
	Relays     int      // relays configured
	Reserved   []string // relays reserved on
	DHTPeers   int      // routing table size; -1 unknown
	Peers      int      // connected peers
	ClockSkews []int64  // ms, one per connected peer that has one

	PinErr string // pins that name no district entry held

	VaultErr     string // the page check failed: one line
	VaultChecked bool   // the page check ran
	Restored     bool   // the vault is marked restored, head not confirmed
	KeyKnown     bool
	KeyEncrypted bool
	Backup       time.Time // last backup; zero: never
	KeyExport    time.Time // last key export; zero: never
}

// Check is one pure check.
type Check func(Facts) Result

// Checks lists the checks in the order doctor prints them.
var Checks = []Check{Config, Ports, Multicast, NAT, Relays, DHT, Clock, Pins, Vault, Key, Backup}

// Run runs every check.
func Run(f Facts) []Result {
	out := make([]Result, 0, len(Checks))
	for _, c := range Checks {
		out = append(out, c(f))
	}
	return out
}

// Worst is the most severe status in rs: fail, warn or ok.
func Worst(rs []Result) string {
	worst := OK
	for _, r := range rs {
		switch {
		case r.Status == Fail:
			return Fail
		case r.Status == Warn:
			worst = Warn
		}
	}
	return worst
}

func ok(name, detail string) Result { return Result{Name: name, Status: OK, Detail: detail} }
func warn(name, detail, remedy string) Result {
	return Result{Name: name, Status: Warn, Detail: detail, Remedy: remedy}
}
func fail(name, detail, remedy string) Result {
	return Result{Name: name, Status: Fail, Detail: detail, Remedy: remedy}
}
func skip(name, detail string) Result { return Result{Name: name, Status: Skip, Detail: detail} }

// Config: config.toml loads and validates.
func Config(f Facts) Result {
	if f.ConfigErr != "" {
		return fail("config", f.ConfigErr, "fix config.toml (or rewrite a missing one: mycel init --repair)")
	}
	return ok("config", "config.toml is valid")
}

// Ports: with the daemon stopped its ports are free; running, its listen
// addresses answer on loopback and on the LAN.
func Ports(f Facts) Result {
	if !f.DaemonRunning {
		var busy []string
		for _, p := range f.Ports {
			if p.Err != "" {
				busy = append(busy, p.Addr+" ("+p.Err+")")
			}
		}
		if len(busy) > 0 {
			return fail("ports", "in use: "+strings.Join(busy, ", "), "stop the program holding them, or pick other ports: --listen /ip4/0.0.0.0/tcp/PORT, --api 127.0.0.1:PORT")
		}
		if len(f.Ports) == 0 {
			return skip("ports", "no listen address to test")
		}
		return ok("ports", fmt.Sprintf("%d listen and API ports free (daemon not running)", len(f.Ports)))
	}
	var loop, lan, bad []string
	for _, r := range f.Reaches {
		switch {
		case r.Err != "":
			bad = append(bad, r.Scope+" "+r.Addr+" ("+r.Err+")")
		case r.Scope == "loopback":
			loop = append(loop, r.Addr)
		default:
			lan = append(lan, r.Addr)
		}
	}
	switch {
	case len(f.Reaches) == 0:
		if f.Offline {
			return ok("ports", "the daemon runs offline: it listens nowhere")
		}
		return warn("ports", "the daemon lists no TCP address to dial", "check --listen and config.toml [network] listen")
	case len(loop) == 0 && len(lan) == 0:
		return fail("ports", "no listen address answers: "+strings.Join(bad, ", "), "check a firewall on this machine, and --listen")
	case len(bad) > 0:
		return warn("ports", "some listen addresses do not answer: "+strings.Join(bad, ", "), "check a firewall on this machine")
	case len(lan) == 0:
		return warn("ports", "answers on loopback only ("+strings.Join(loop, ", ")+"): peers on the LAN cannot dial it", "listen on 0.0.0.0 (--listen /ip4/0.0.0.0/tcp/PORT) to be reached on the LAN")
	}
	return ok("ports", fmt.Sprintf("listen addresses answer on loopback (%d) and the LAN (%d)", len(loop), len(lan)))
}

// Multicast: mDNS needs an interface that is up and multicast-capable.
func Multicast(f Facts) Result {
	switch {
	case !f.MDNS:
		return ok("multicast", "mDNS is off: LAN peers are found only through bootstrap peers or mycel connect")
	case len(f.Multicast) == 0:
		return warn("multicast", "no interface is up with multicast: mDNS cannot find LAN peers", "connect Wi-Fi or Ethernet, or start with --no-mdns and add peers by mycel connect")
	}
	return ok("multicast", "mDNS can use "+strings.Join(f.Multicast, ", "))
}

// NAT: how this peer is reached, and whether a port mapping is asked for.
func NAT(f Facts) Result {
	pm := "port mapping (UPnP/NAT-PMP) off"
	if f.PortMap {
		pm = "port mapping (UPnP/NAT-PMP) on"
	}
	switch {
	case f.Offline:
		return ok("nat", "offline profile: no NAT traversal needed")
	case !f.DaemonRunning:
		return skip("nat", "daemon not running: reachability is known only while it runs; "+pm)
	case f.Reach == "public":
		return ok("nat", "reachable directly (public); "+pm)
	case f.Reach == "lan":
		return ok("nat", "LAN only: no public address, peers on this network dial it directly; "+pm)
	case f.Reach == "private" && len(f.Reserved) > 0:
		return ok("nat", fmt.Sprintf("behind NAT, reached through %d relay(s); %s", len(f.Reserved), pm))
	case f.Reach == "private":
		remedy := "forward TCP and UDP port 4811 on the router, or add a relay under [network] relays"
		if !f.PortMap {
			remedy = "drop --no-port-map so the router is asked to forward the port, or add a relay under [network] relays"
		}
		return warn("nat", "behind NAT and no relay reserved: peers outside this network cannot dial it; "+pm, remedy)
	}
	return warn("nat", fmt.Sprintf("reachability %q: not settled yet; %s", f.Reach, pm), "wait a minute, then run mycel doctor again")
}

// Relays: configured relays are reserved on while the peer is private.
func Relays(f Facts) Result {
	switch {
	case f.Offline:
		return ok("relays", "offline profile: no relays")
	case !f.DaemonRunning:
		return skip("relays", fmt.Sprintf("daemon not running; %d relay(s) configured", f.Relays))
	case f.Relays > 0 && len(f.Reserved) == 0 && f.Reach != "public":
		return warn("relays", fmt.Sprintf("%d relay(s) configured, none reserved", f.Relays), "check the relays' multiaddrs in config.toml and that they run (mycel status)")
	case len(f.Reserved) > 0:
		return ok("relays", fmt.Sprintf("reserved on %d relay(s)", len(f.Reserved)))
	}
	return ok("relays", "none needed or configured")
}

// DHT: the routing table holds peers, so records can be found.
func DHT(f Facts) Result {
	switch {
	case f.Offline:
		return ok("dht", "offline profile: no DHT")
	case !f.DaemonRunning || f.DHTPeers < 0:
		return skip("dht", "daemon not running: the routing table exists only while it runs")
	case f.DHTPeers == 0:
		return warn("dht", "routing table empty: authors outside the LAN cannot be looked up", "add a bootstrap peer ([network] bootstrap or --bootstrap) or connect one: mycel connect MULTIADDR")
	}
	return ok("dht", fmt.Sprintf("routing table holds %d peer(s)", f.DHTPeers))
}

// ClockSkewLimit is the skew past which entries' times mislead peers.
const ClockSkewLimit = 2 * time.Minute

// Clock: this machine's clock against connected peers' clocks.
func Clock(f Facts) Result {
	if !f.DaemonRunning {
		return skip("clock", "daemon not running: skew is measured against connected peers")
	}
	if len(f.ClockSkews) == 0 {
		return skip("clock", "no connected peer has sent an entry yet to compare clocks")
	}
	worst := int64(0)
	for _, s := range f.ClockSkews {
		if abs(s) > abs(worst) {
			worst = s
		}
	}
	d := time.Duration(worst) * time.Millisecond
	if abs(worst) > ClockSkewLimit.Milliseconds() {
		return fail("clock", fmt.Sprintf("a peer's clock is %v off this one's (%d peers compared)", d.Round(time.Second), len(f.ClockSkews)), "set the clock (enable NTP: timedatectl set-ntp true); if only one peer is off, tell its owner")
	}
	return ok("clock", fmt.Sprintf("within %v of %d peer(s)", d.Round(time.Millisecond), len(f.ClockSkews)))
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Pins: every pin names a district entry held in the vault.
func Pins(f Facts) Result {
	if f.PinErr != "" {
		return fail("pins", f.PinErr, "fix [pins] in config.toml: each must be the CID of the district entry (mycel district show NAME), or fetch it first")
	}
	return ok("pins", "every pin names a district entry held")
}

// Vault: the page check passed; a restored vault waits for a peer.
func Vault(f Facts) Result {
	switch {
	case f.VaultErr != "":
		return fail("vault", f.VaultErr, "restore a backup: mycel restore FILE --home NEWDIR")
	case !f.VaultChecked:
		return skip("vault", "the page check did not run")
	case f.Restored:
		return warn("vault", "pages ok; restored from a backup: writes wait until a peer holding this identity's entries confirms the head", "start the daemon connected to such a peer, or if no other copy ever wrote: mycel daemon --trust-head")
	}
	return ok("vault", "every page checked")
}

// Key: the identity key is encrypted at rest.
func Key(f Facts) Result {
	switch {
	case !f.KeyKnown:
		return skip("key", "the vault could not be read")
	case !f.KeyEncrypted:
		return warn("key", "the identity key is stored unencrypted: whoever reads vault.db holds this identity", "add a passphrase: mycel passphrase set --new-passphrase-file FILE")
	}
	return ok("key", "the identity key is encrypted with a passphrase")
}

// BackupAge is how old the last backup or key export may be before
// doctor warns.
const BackupAge = 30 * 24 * time.Hour

// Backup: a backup or key export was made, and recently.
func Backup(f Facts) Result {
	last, what := f.Backup, "backup"
	if f.KeyExport.After(last) {
		last, what = f.KeyExport, "key export"
	}
	switch {
	case !f.KeyKnown:
		return skip("backup", "the vault could not be read")
	case last.IsZero():
		return warn("backup", "no backup or key export was ever made: losing this disk loses the identity", "mycel backup FILE (and keep FILE on another device)")
	case f.Now.Sub(last) > BackupAge:
		return warn("backup", fmt.Sprintf("last %s %s, %d days ago", what, last.Format("2006-01-02"), int(f.Now.Sub(last).Hours()/24)), "mycel backup FILE")
	}
	return ok("backup", fmt.Sprintf("last %s %s", what, last.Format("2006-01-02 15:04")))
}
