package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/spf13/cobra"
	"os"
	"strings"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/vault"
)

// need says what a command requires when no daemon answers.
type need int

const (
	needDaemon  need = iota // fail with exit 3
	needRead                // open the vault read-only
	needWrite               // open the vault read-write
	needNothing             // the MIP registry alone
)

// pingTimeout bounds the check that a recorded daemon is alive.
const pingTimeout = 3 * time.Second

// service returns the daemon's API when one runs on the home, otherwise a
// Local service over the vault as n allows. close releases it.
func (a *app) service(ctx context.Context, n need) (svc api.Service, close func(), err error) {
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return nil, nil, err
	}
	if err := h.Check(); err != nil {
		if n == needNothing {
			return &api.Local{Registry: mip.Builtins()}, func() {}, nil
		}
		return nil, nil, noHomeErr(h)
	}
	c, ok, err := a.daemonAt(ctx, h)
	if err != nil {
		return nil, nil, err
	}
	if ok {
		return c, func() {}, nil
	}
	switch n {
	case needDaemon:
		return nil, nil, &failure{code: exitNoDaemon, err: fmt.Errorf("no daemon is running on %s", h.Dir), remedy: "start one: " + daemonHint(a.homeFlag)}
	case needNothing:
		reg, err := a.heldMIPs(h)
		if err != nil {
			return nil, nil, err
		}
		return &api.Local{Registry: reg}, func() {}, nil
	}
	cfg, err := home.LoadConfig(h.Config())
	if err != nil {
		return nil, nil, withRemedy(err, "fix "+h.Config())
	}
	pins, _ := cfg.SettlePins() // LoadConfig validated them
	v, err := a.openVault(h, n == needRead)
	if err != nil {
		return nil, nil, err
	}
	l, err := embed.Local(v, pins)
	if err != nil {
		v.Close()
		return nil, nil, err
	}
	a.you = v.ID().String()
	return l, func() { v.Close() }, nil
}

// heldMIPs is the built-in MIPs and those published in h's vault; only
// the built-ins when the vault cannot be read, unless it is damaged: then
// the damage, so that nothing is shown as if the vault held no MIP.
func (a *app) heldMIPs(h home.Home) (*mip.Registry, error) {
	v, err := a.openVault(h, true)
	if errors.Is(err, vault.ErrDamaged) {
		return nil, err
	}
	if err != nil {
		return mip.Builtins(), nil
	}
	defer v.Close()
	reg, err := api.VaultMIPs(v)
	if errors.Is(err, vault.ErrDamaged) {
		return nil, err
	}
	if err != nil {
		return mip.Builtins(), nil
	}
	return reg, nil
}

// running returns a client for the daemon recorded in h, if it answers.
func (a *app) running(ctx context.Context, h home.Home) (*api.Client, bool) {
	c, ok, _ := a.daemonAt(ctx, h)
	return c, ok
}

// daemonAt is running, but a daemon that answers and refuses the token of
// api.token (the file changed since it started) is an error that says
// so, not "no daemon".
func (a *app) daemonAt(ctx context.Context, h home.Home) (*api.Client, bool, error) {
	addr, err := home.ReadAPIAddr(h.API())
	if err != nil {
		return nil, false, nil
	}
	tok, err := home.ReadToken(h.Token())
	if err != nil {
		return nil, false, nil
	}
	c := api.NewClient(addr, tok)
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	ping, err := c.Ping(ctx)
	switch {
	case errors.Is(err, api.ErrUnauthorized):
		return nil, false, withRemedy(fmt.Errorf("the daemon on %s refused the token in %s (the file changed since the daemon started)", h.Dir, h.Token()),
			"restart the daemon so that it reads the token again: "+stopHint(h)+" (mycel shutdown needs the token it started with), then "+daemonHint(a.homeFlag))
	case err != nil:
		return nil, false, nil
	}
	a.you = ping.PeerID
	return c, true, nil
}

// openVault opens h's vault directly; a read-only vault needs no passphrase.
func (a *app) openVault(h home.Home, readOnly bool) (*vault.Bolt, error) {
	opt := vault.Options{ReadOnly: readOnly, Timeout: 500 * time.Millisecond}
	if !readOnly {
		pass, err := a.passphrase()
		if err != nil {
			return nil, err
		}
		opt.Passphrase = pass
	}
	v, err := vault.Open(h.Vault(), opt)
	return v, vaultErr(err)
}

// vaultErr turns vault errors into one line of cause and one of remedy.
func vaultErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, vault.ErrInUse):
		return withRemedy(errors.New("the vault is in use by another process"), "wait for the daemon to finish starting, or stop the other mycel process")
	case errors.Is(err, vault.ErrLocked):
		return withRemedy(errors.New("the identity key is encrypted"), "give the passphrase with --passphrase-file FILE or MYCEL_PASSPHRASE")
	case errors.Is(err, vault.ErrBadPass):
		return withRemedy(errors.New("wrong passphrase for the identity key"), "check --passphrase-file or MYCEL_PASSPHRASE")
	}
	return err
}

// passphrase reads --passphrase-file, else $MYCEL_PASSPHRASE; nil if neither.
func (a *app) passphrase() ([]byte, error) {
	if a.passFile != "" {
		data, err := os.ReadFile(a.passFile)
		if err != nil {
			return nil, fmt.Errorf("passphrase file: %w", err)
		}
		p := strings.TrimRight(string(data), "\r\n")
		if p == "" {
			return nil, fmt.Errorf("passphrase file %s is empty", a.passFile)
		}
		return []byte(p), nil
	}
	if p := os.Getenv("MYCEL_PASSPHRASE"); p != "" {
		return []byte(p), nil
	}
	return nil, nil
}

// show is the body of a read command: it opens the service the command
// needs, fetches one result, and prints it as JSON with --json or with
// table otherwise. fetch has the shape of a method expression such as
// api.Service.Balances.
func show[T any](a *app, cmd *cobra.Command, n need, fetch func(api.Service, context.Context) (T, error), table func(T) error) error {
	svc, done, err := a.service(cmd.Context(), n)
	if err != nil {
		return err
	}
	defer done()
	out, err := fetch(svc, cmd.Context())
	if err != nil {
		return err
	}
	if a.json {
		return printJSON(a.stdout, out)
	}
	return table(out)
}

// stopHint says how to stop the daemon of h without the API: by the
// process ID its lock file holds, else by signal where it runs.
func stopHint(h home.Home) string {
	if pid, ok := home.LockPID(h.Lock()); ok {
		return fmt.Sprintf("stop it with kill %d", pid)
	}
	return "stop it with Ctrl-C or SIGTERM where it runs"
}
