package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// Initialized is the --json answer of `mycel init`.
type Initialized struct {
	Home     string `json:"home"`
	PeerID   string `json:"peer_id"`
	DID      string `json:"did"`
	District string `json:"district"`
	Profile  string `json:"profile"`
	// KeyEncrypted: the identity key is stored age-encrypted with the
	// passphrase; false: unencrypted in the 0600 vault file.
	KeyEncrypted bool `json:"key_encrypted"`
}

func (a *app) initCmd() *cobra.Command {
	var district, profile string
	var repair bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a home: identity key, config, vault and API token (--repair: rewrite a missing config or token)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if repair {
				return a.repair(district, profile)
			}
			return a.init(district, profile)
		},
	}
	cmd.Flags().StringVar(&district, "district", "", `default district to publish into, e.g. meso-valley/north ("" is global)`)
	cmd.Flags().StringVar(&profile, "profile", home.Laptop, "laptop, server or offline")
	cmd.Flags().BoolVar(&repair, "repair", false, "keep the existing vault and key; write config.toml and api.token where they are missing")
	return cmd
}

// checkInitFlags checks the flags that shape a new home's config.
func checkInitFlags(district, profile string) error {
	if !protocol.ValidDistrict(district) {
		return usageErr("district %q is not a lowercase path like meso-valley/north", district)
	}
	if !slices.Contains(home.Profiles, profile) {
		return usageErr("profile %q, want one of %s", profile, strings.Join(home.Profiles, ", "))
	}
	return nil
}

func (a *app) init(district, profile string) error {
	if err := checkInitFlags(district, profile); err != nil {
		return err
	}
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	pass, err := a.passphrase()
	if err != nil {
		return err
	}
	var out Initialized
	err = home.Create(h, home.DefaultConfig(district, profile), func(tmp home.Home) error {
		v, err := vault.Create(tmp.Vault(), vault.Options{Passphrase: pass})
		if err != nil {
			return err
		}
		defer v.Close()
		out.PeerID = v.ID().String()
		out.DID, err = protocol.DID(v.ID())
		return err
	})
	if errors.Is(err, home.ErrExists) {
		return withRemedy(fmt.Errorf("a home already exists at %s", h.Dir), "use it as it is, rewrite a missing config.toml or api.token with mycel init --repair, or pick another with --home DIR")
	}
	if err != nil {
		return fmt.Errorf("init %s: %w", h.Dir, err)
	}
	out.Home, out.District, out.Profile, out.KeyEncrypted = h.Dir, district, profile, pass != nil
	if a.json {
		return printJSON(a.stdout, out)
	}
	fmt.Fprintf(a.stdout, "initialized mycel home %s (%s profile)\n", out.Home, profile)
	fmt.Fprintf(a.stdout, "peer id:  %s\ndid:      %s\n", out.PeerID, out.DID)
	if district != "" {
		fmt.Fprintf(a.stdout, "district: %s\n", district)
	}
	if pass == nil {
		fmt.Fprintln(a.stdout, "key:      stored unencrypted in vault.db: whoever reads the file holds this identity (add a passphrase: mycel passphrase set)")
	} else {
		fmt.Fprintln(a.stdout, "key:      encrypted with the passphrase")
	}
	fmt.Fprintln(a.stdout, "back it up: mycel backup FILE")
	fmt.Fprintf(a.stdout, "\nnext, run: %s\n", daemonHint(a.homeFlag))
	return nil
}

func daemonHint(homeFlag string) string {
	if homeFlag != "" {
		return "mycel daemon --home " + homeFlag
	}
	return "mycel daemon"
}

// Repaired is the --json answer of `mycel init --repair`.
type Repaired struct {
	Home   string   `json:"home"`
	PeerID string   `json:"peer_id"`
	Wrote  []string `json:"wrote"` // files written; empty when nothing was missing
}

// repair writes a missing config.toml or api.token next to an existing
// vault, keeping the identity.
func (a *app) repair(district, profile string) error {
	if err := checkInitFlags(district, profile); err != nil {
		return err
	}
	h, err := home.Resolve(a.homeFlag)
	if err != nil {
		return err
	}
	v, err := vault.Open(h.Vault(), vault.Options{ReadOnly: true, Timeout: 500 * time.Millisecond})
	if errors.Is(err, fs.ErrNotExist) {
		return withRemedy(fmt.Errorf("no vault.db in %s: nothing to repair", h.Dir), "restore a backup into it (mycel restore FILE --home DIR), or make a new home: mycel init")
	}
	if err != nil && !errors.Is(err, vault.ErrInUse) {
		return vaultErr(err)
	}
	out := Repaired{Home: h.Dir, Wrote: []string{}}
	if v != nil {
		out.PeerID = v.ID().String()
		v.Close()
	}
	wrote, err := home.Repair(h, home.DefaultConfig(district, profile))
	out.Wrote = append(out.Wrote, wrote...)
	if err != nil {
		return err
	}
	if a.json {
		return printJSON(a.stdout, out)
	}
	if len(wrote) == 0 {
		fmt.Fprintf(a.stdout, "nothing to repair in %s: config.toml and api.token are there\n", h.Dir)
		return nil
	}
	for _, f := range wrote {
		fmt.Fprintf(a.stdout, "wrote %s\n", filepath.Join(h.Dir, f))
	}
	if slices.Contains(wrote, home.TokenFile) {
		fmt.Fprintln(a.stdout, "a running daemon still uses the old token: restart it")
	}
	fmt.Fprintf(a.stdout, "kept vault.db and its identity %s\n", out.PeerID)
	return nil
}
