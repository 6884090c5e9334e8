package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/doctor"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// Doctor is the --json answer of `mycel doctor`.
type Doctor struct {
	OK     bool            `json:"ok"`    // no check failed
	Worst  string          `json:"worst"` // ok, warn or fail
	Checks []doctor.Result `json:"checks"`
}

// dialTimeout bounds doctor's dial of each listen address.
const dialTimeout = 2 * time.Second

func (a *app) doctorCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check ports, LAN discovery, NAT, relays, DHT, clock, config, pins, vault, key and backups: one line each with a remedy",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return a.doctor(cmd.Context()) },
	}
}

func (a *app) doctor(ctx context.Context) error {
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	if _, err := os.Stat(h.Vault()); err != nil {
		if cerr := h.Check(); cerr != nil {
			return noHomeErr(h)
		}
	}
	f := a.gather(ctx, h)
	rs := doctor.Run(f)
	out := Doctor{Worst: doctor.Worst(rs), Checks: rs}
	out.OK = out.Worst != doctor.Fail
	if a.json {
		if err := printJSON(a.stdout, out); err != nil {
			return err
		}
	} else {
		for _, r := range rs {
			fmt.Fprintln(a.stdout, r)
		}
	}
	if !out.OK {
		return &failure{code: exitError, err: errors.New("doctor: at least one check failed; see its remedy above")}
	}
	return nil
}

// gather collects the facts: from the daemon when one runs, else from
// the files and by binding the ports for a moment.
func (a *app) gather(ctx context.Context, h home.Home) doctor.Facts {
	f := doctor.Facts{Now: time.Now(), DHTPeers: -1, Multicast: multicastInterfaces()}
	cfg, err := home.LoadConfig(h.Config())
	if err != nil {
		f.ConfigErr = oneLine(err.Error())
		cfg = home.DefaultConfig("", home.Laptop)
	}
	f.MDNS, f.PortMap, f.Relays = cfg.Network.MDNS, cfg.Profile != home.Offline, len(cfg.Network.Relays)
	f.Offline = cfg.Profile == home.Offline
	pins, _ := cfg.SettlePins()
	if c, ok := a.running(ctx, h); ok {
		if df, err := c.Doctor(ctx); err == nil {
			f.DaemonRunning = true
			fromDaemon(&f, df)
			f.Reaches = dialAll(ctx, df.Listen)
			return f
		}
	}
	f.Ports = bindAll(cfg)
	v, err := vault.Open(h.Vault(), vault.Options{ReadOnly: true, FullCheckMax: -1, Timeout: 500 * time.Millisecond})
	if err != nil {
		f.VaultErr, f.VaultChecked = oneLine(err.Error()), true
		if d, ok := damageText(err); ok {
			f.VaultErr = d // the check's remedy says what to do
		}
		return f
	}
	defer v.Close()
	fromVault(&f, vaultFacts(v, pins))
	return f
}

func fromDaemon(f *doctor.Facts, df api.DoctorFacts) {
	f.MDNS, f.PortMap, f.Offline = df.MDNS, df.PortMap, df.Offline
	f.Reach, f.Relays, f.Reserved = df.Reachability, df.Relays, df.Reserved
	f.DHTPeers, f.Peers, f.ClockSkews = df.DHTPeers, df.Peers, df.ClockSkewMS
	fromVault(f, df.Vault)
}

func fromVault(f *doctor.Facts, vf api.VaultFacts) {
	f.VaultErr, f.VaultChecked = vf.PageError, vf.Checked
	f.KeyKnown, f.KeyEncrypted, f.Restored, f.PinErr = true, vf.KeyEncrypted, vf.Restored, vf.PinError
	if vf.Backup != nil {
		f.Backup = *vf.Backup
	}
	if vf.KeyExport != nil {
		f.KeyExport = *vf.KeyExport
	}
}

// vaultFacts runs the page check and reads the key state, the marks and
// the pins of an open vault.
func vaultFacts(v *vault.Bolt, pins settle.Pins) api.VaultFacts {
	var out api.VaultFacts
	_, err := v.CheckPages()
	out.Checked = true
	if err != nil {
		out.PageError = oneLine(err.Error())
		if d, ok := damageLine(err); ok {
			out.PageError = d
		}
		return out
	}
	out.KeyEncrypted, _ = v.KeyEncrypted()
	if m, err := v.Marks(); err == nil {
		_, out.Restored = m[vault.MarkRestored]
		if t, ok := m[vault.MarkBackup]; ok {
			out.Backup = &t
		}
		if t, ok := m[vault.MarkKeyExport]; ok {
			out.KeyExport = &t
		}
	}
	if err := pinProblem(v, pins); err != nil {
		out.PinError = oneLine(err.Error())
	}
	return out
}

// bindAll binds the configured listen and API ports for a moment.
func bindAll(cfg home.Config) []doctor.Port {
	var out []doctor.Port
	try := func(network, hostport string) {
		if _, port, _ := net.SplitHostPort(hostport); port == "0" {
			return
		}
		p := doctor.Port{Addr: network + " " + hostport}
		if err := tryBind(network, hostport); err != nil {
			p.Err = unwrapOp(err).Error()
		}
		out = append(out, p)
	}
	for _, s := range cfg.Network.Listen {
		m, err := ma.NewMultiaddr(s)
		if err != nil {
			continue
		}
		if network, hostport, err := manet.DialArgs(m); err == nil {
			try(network, hostport)
		}
	}
	if cfg.API.Address != "" {
		try("tcp", cfg.API.Address)
	}
	return out
}

// dialAll dials each TCP listen address of the running daemon, on
// loopback and on this machine's network interfaces.
func dialAll(ctx context.Context, addrs []string) []doctor.Reach {
	var out []doctor.Reach
	seen := map[string]bool{}
	for _, s := range addrs {
		m, err := ma.NewMultiaddr(s)
		if err != nil {
			continue
		}
		network, hostport, err := manet.DialArgs(m)
		if err != nil || !strings.HasPrefix(network, "tcp") || seen[hostport] {
			continue
		}
		host, _, _ := net.SplitHostPort(hostport)
		ip := net.ParseIP(host)
		var scope string
		switch {
		case ip == nil:
			continue
		case ip.IsLoopback():
			scope = "loopback"
		default: // an address of one of this machine's interfaces
			scope = "lan"
		}
		seen[hostport] = true
		r := doctor.Reach{Addr: hostport, Scope: scope}
		d := net.Dialer{Timeout: dialTimeout}
		c, err := d.DialContext(ctx, network, hostport)
		if err != nil {
			r.Err = unwrapOp(err).Error()
		} else {
			c.Close()
		}
		out = append(out, r)
	}
	return out
}

// multicastInterfaces lists up, non-loopback interfaces that can
// multicast and hold an IPv4 address: what mDNS needs.
func multicastInterfaces() []string {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []string
	for _, i := range ifs {
		if i.Flags&net.FlagUp == 0 || i.Flags&net.FlagMulticast == 0 || i.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, _ := i.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
				out = append(out, i.Name)
				break
			}
		}
	}
	return out
}
