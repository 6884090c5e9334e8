package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/vault"
)

// daemonFlags override config.toml for one run.
type daemonFlags struct {
	listen, bootstrap []string
	api               string
	metrics           string // a loopback address for /metrics without the token
	noMDNS, offline   bool
	noPortMap         bool
	syncInterval      time.Duration
	log               logFlags
	trustHead         bool // restored home: write without a peer confirming the head
}

func (a *app) daemonCmd() *cobra.Command {
	var f daemonFlags
	cmd := &cobra.Command{
		Use:   "daemon",
		Short: "Run the peer: serve the mesh and the local API until interrupted",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.daemon(cmd.Context(), f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.listen, "listen", nil, "multiaddr to listen on, replacing the config's (repeatable); /tcp/0 picks a free port")
	fl.StringArrayVar(&f.bootstrap, "bootstrap", nil, "peer to dial at start, full multiaddr (repeatable; added to the config's)")
	fl.StringVar(&f.api, "api", "", "local API address, loopback only (default: the config's); port 0 picks a free one")
	fl.StringVar(&f.metrics, "metrics", "", "also serve /metrics without the API token on this loopback address, for a local Prometheus (e.g. 127.0.0.1:9811)")
	fl.BoolVar(&f.noMDNS, "no-mdns", false, "do not look for peers on the local network")
	fl.BoolVar(&f.noPortMap, "no-port-map", false, "do not ask the router to forward a port (UPnP, NAT-PMP)")
	fl.BoolVar(&f.offline, "offline", false, "no network at all: run the peer (settler, fraud entries) over the vault with the local API only; entries travel by bundles")
	fl.StringVar(&f.log.level, "log-level", "", logFlagHelp.level)
	fl.StringVar(&f.log.format, "log-format", "", logFlagHelp.format)
	fl.DurationVar(&f.syncInterval, "sync-interval", 0, "time between anti-entropy rounds with connected peers (default 30s, at least 1s)")
	fl.BoolVar(&f.trustHead, "trust-head", false, "a restored home: no other copy of this identity ever wrote, so write without a peer confirming the head")
	return cmd
}

// errNoNetwork: the daemon runs with --offline.
var errNoNetwork = errors.New("the daemon runs with --offline: restart it without --offline to reach peers")

// daemon runs until ctx ends (SIGINT, SIGTERM).
func (a *app) daemon(ctx context.Context, f daemonFlags) error {
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	if err := h.Check(); err != nil {
		return noHomeErr(h)
	}
	cfg, err := home.LoadConfig(h.Config())
	if err != nil {
		return withRemedy(err, "fix "+h.Config())
	}
	ncfg, apiAddr, err := nodeConfig(cfg, f)
	if err != nil {
		return err
	}
	logger, err := newLogger(a.stderr, f.log, cfg.Log)
	if err != nil {
		return err
	}
	quietLibraries(logger)
	token, err := home.ReadToken(h.Token())
	if err != nil {
		return withRemedy(err, "write a new one next to the vault: mycel init --repair")
	}
	lock, err := home.Acquire(h.Lock())
	if errors.Is(err, home.ErrLocked) {
		return withRemedy(fmt.Errorf("a mycel daemon is already running on %s", h.Dir), "stop it first, or run another peer with --home DIR")
	}
	if err != nil {
		return err
	}
	defer lock.Release()
	return a.serve(ctx, h, ncfg, apiAddr, token, f, logger)
}

// serve opens the vault, the API listener and the node, in that order, and
// tears them down in reverse.
func (a *app) serve(ctx context.Context, h home.Home, ncfg node.Config, apiAddr, token string, f daemonFlags, logger *slog.Logger) error {
	offline := f.offline
	pass, err := a.passphrase()
	if err != nil {
		return err
	}
	v, err := vault.Open(h.Vault(), vault.Options{Passphrase: pass})
	if err != nil {
		return vaultErr(err)
	}
	defer v.Close()
	if err := pinProblem(v, ncfg.Pins); err != nil {
		return err
	}
	if f.trustHead {
		if err := v.ConfirmHead(); err != nil {
			return err
		}
	}
	ln, err := api.Listen(apiAddr)
	if err != nil {
		return listenErr(err, "API address "+apiAddr, "pick another with --api 127.0.0.1:PORT (port 0 picks a free one)")
	}
	defer ln.Close()
	if !offline {
		if err := checkPorts(ncfg.Listen); err != nil {
			return err
		}
	}
	var n *node.Node
	met := newMetrics(&n, h.Vault())
	p, err := embed.Start(ctx, v, embed.Options{Config: &ncfg, Offline: offline, OfflineErr: errNoNetwork, Logger: logger,
		GridCache: filepath.Join(h.Dir, "grid-cache"), NodeOptions: []node.Option{gossipMetrics(met)}})
	if err != nil && !offline {
		return listenErr(err, "mesh", "pick other addresses with --listen MULTIADDR (e.g. /ip4/0.0.0.0/tcp/0)")
	}
	if err != nil {
		return err
	}
	defer p.Close()
	n = p.Node()
	m := p.Mesh()
	srv := p.Server(token, currentVersion())
	srv.SetDoctor(daemonDoctor(n, m, v, ncfg, offline))
	defer met.Follow(n.Subscribe(1024))()
	dash := mountExtras(srv, met, n, ln.Addr().String(), token, ncfg.Districts)
	defer dash.Close()
	if f.metrics != "" {
		_, stopMetrics, err := serveMetrics(f.metrics, met)
		if err != nil {
			return listenErr(err, "metrics address "+f.metrics, "pick another with --metrics 127.0.0.1:PORT")
		}
		defer stopMetrics()
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if err := home.WriteAPIAddr(h.API(), ln.Addr().String()); err != nil {
		srv.Shutdown(context.Background())
		<-served
		return err
	}
	defer os.Remove(h.API())
	a.banner(h, v.ID().String(), m, ln.Addr().String())
	logger.Info("ready", "peer", v.ID().String(), "api", ln.Addr().String(), "reachability", reachWords(m.Reachability(), m.Relays()))
	defer watchOwnLog(n, ownSayer(a.stderr, logger))()
	select {
	case <-ctx.Done():
	case <-srv.Stopping(): // mycel shutdown
	case err = <-served:
		return fmt.Errorf("api stopped: %w", err)
	case <-v.Damaged(): // a read met a damaged page: serve nothing more
		return v.Err()
	}
	fmt.Fprintln(a.stdout, "shutting down")
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	dash.Close() // live feeds end: the shutdown need not wait for them
	srv.Shutdown(sctx)
	<-served
	return nil
}

func (a *app) banner(h home.Home, id string, m api.Mesh, apiAddr string) {
	w := a.stdout
	fmt.Fprintf(w, "mycel %s\n", currentVersion())
	fmt.Fprintf(w, "home:         %s\n", h.Dir)
	fmt.Fprintf(w, "peer id:      %s\n", id)
	addrs := m.Addrs()
	if len(addrs) == 0 {
		fmt.Fprintln(w, "listening:    nowhere (offline)")
	}
	for i, addr := range addrs {
		label := "listening:   "
		if i > 0 {
			label = "             "
		}
		fmt.Fprintf(w, "%s %s\n", label, addr)
	}
	fmt.Fprintf(w, "api:          http://%s\n", apiAddr)
	fmt.Fprintf(w, "reachability: %s\n", reachWords(m.Reachability(), m.Relays()))
	fmt.Fprintln(w, "ready")
}

// listenErr turns "address already in use" into cause and remedy.
func listenErr(err error, what, remedy string) error {
	if errors.Is(err, api.ErrBadInput) || errors.Is(err, vault.ErrCorrupt) {
		return err // not about the addresses: report words it
	}
	if errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use") {
		return withRemedy(fmt.Errorf("%s: address already in use", what), remedy)
	}
	return withRemedy(fmt.Errorf("%s: %w", what, err), remedy)
}

// nodeConfig merges config.toml and the flags into a node config and the
// API address.
func nodeConfig(cfg home.Config, f daemonFlags) (node.Config, string, error) {
	listen := cfg.Network.Listen
	if f.listen != nil {
		listen = f.listen
	}
	bootstrap := append(slices.Clone(cfg.Network.Bootstrap), f.bootstrap...)
	pins, _ := cfg.SettlePins() // LoadConfig validated them
	nc := node.Config{
		Pins:      pins,
		Districts: cfg.Districts(),
		MDNS:      cfg.Network.MDNS && !f.noMDNS && !f.offline,
		Server:    cfg.Profile == home.Server,
		Listen:    []ma.Multiaddr{},
		NoPortMap: f.noPortMap,
		// A LAN-only district finds its peers at private addresses.
		AllowPrivateProviders: cfg.Network.PrivateProviders || cfg.Profile == home.Offline,
	}
	relays := cfg.Network.Relays
	if f.syncInterval != 0 {
		if f.syncInterval < time.Second {
			return nc, "", usageErr("--sync-interval %s is under 1s", f.syncInterval)
		}
		nc.SyncInterval = f.syncInterval
	}
	if cfg.Profile == home.Offline { // LAN only: no bootstrap, relays or port mapping
		bootstrap, relays, nc.NoPortMap = nil, nil, true
	}
	if f.offline { // no host at all
		listen, bootstrap, relays = nil, nil, nil
	}
	var err error
	for _, s := range listen {
		a, perr := ma.NewMultiaddr(s)
		if perr != nil {
			return nc, "", usageErr("--listen %q is not a multiaddr", s)
		}
		nc.Listen = append(nc.Listen, a)
	}
	if nc.Bootstrap, err = addrInfos("--bootstrap", bootstrap); err != nil {
		return nc, "", err
	}
	if nc.Relays, err = addrInfos("relays", relays); err != nil {
		return nc, "", err
	}
	apiAddr := cfg.API.Address
	if f.api != "" {
		apiAddr = f.api
	}
	if err := api.CheckLoopback(apiAddr); err != nil {
		return nc, "", usageErr("%v", err)
	}
	return nc, apiAddr, nil
}

func addrInfos(what string, addrs []string) ([]peer.AddrInfo, error) {
	var out []peer.AddrInfo
	for _, s := range addrs {
		info, err := peer.AddrInfoFromString(s)
		if err != nil {
			return nil, usageErr("%s %q is not a peer multiaddr ending in /p2p/<peer id>", what, s)
		}
		out = append(out, *info)
	}
	return out, nil
}
