package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

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
}

func (a *app) initCmd() *cobra.Command {
	var district, profile string
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create a home: identity key, config, vault and API token",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.init(district, profile)
		},
	}
	cmd.Flags().StringVar(&district, "district", "", `default district to publish into, e.g. meso-valley/north ("" is global)`)
	cmd.Flags().StringVar(&profile, "profile", home.Laptop, "laptop, server or offline")
	return cmd
}

func (a *app) init(district, profile string) error {
	if !protocol.ValidDistrict(district) {
		return usageErr("district %q is not a lowercase path like meso-valley/north", district)
	}
	if !slices.Contains(home.Profiles, profile) {
		return usageErr("profile %q, want one of %s", profile, strings.Join(home.Profiles, ", "))
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
		return withRemedy(fmt.Errorf("a home already exists at %s", h.Dir), "use it as it is, or pick another with --home DIR")
	}
	if err != nil {
		return fmt.Errorf("init %s: %w", h.Dir, err)
	}
	out.Home, out.District, out.Profile = h.Dir, district, profile
	if a.json {
		return printJSON(a.stdout, out)
	}
	fmt.Fprintf(a.stdout, "initialized mycel home %s (%s profile)\n", out.Home, profile)
	fmt.Fprintf(a.stdout, "peer id:  %s\ndid:      %s\n", out.PeerID, out.DID)
	if district != "" {
		fmt.Fprintf(a.stdout, "district: %s\n", district)
	}
	fmt.Fprintf(a.stdout, "\nnext, run: %s\n", daemonHint(a.homeFlag))
	return nil
}

func daemonHint(homeFlag string) string {
	if homeFlag != "" {
		return "mycel daemon --home " + homeFlag
	}
	return "mycel daemon"
}
