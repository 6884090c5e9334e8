package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/cmd/mycel/internal/home"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

func (a *app) districtShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Show a district: genesis, stewards, verifiers, credit limits, role entries and pin",
		Args:  oneArg("district name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !protocol.ValidDistrict(args[0]) || args[0] == "" {
				return usageErr("district %q is not a lowercase path like meso-valley/north", args[0])
			}
			fetch := func(svc api.Service, ctx context.Context) (api.DistrictInfo, error) {
				return svc.District(ctx, args[0])
			}
			return show(a, cmd, needRead, fetch, a.printDistrict)
		},
	}
}

func (a *app) printDistrict(d api.DistrictInfo) error {
	w := a.stdout
	fmt.Fprintf(w, "district:   %s\n", d.Name)
	if d.Genesis == nil {
		fmt.Fprintln(w, "genesis:    none held (no stewards, verifiers or limits count)")
	} else {
		fmt.Fprintf(w, "genesis:    %s (by %s, seq %d, %s)\n", d.Genesis.CID, d.Genesis.Author, d.Genesis.Seq, clock(d.Genesis.Time))
	}
	fmt.Fprintf(w, "candidates: %d district entries held\n", d.Candidates)
	switch {
	case d.Pin == "":
		fmt.Fprintln(w, "pin:        none (the earliest district entry is the genesis)")
	case d.PinProblem != "":
		fmt.Fprintf(w, "pin:        %s\nwarning:    %s\n", d.Pin, d.PinProblem)
	default:
		fmt.Fprintf(w, "pin:        %s\n", d.Pin)
	}
	fmt.Fprintf(w, "stewards:   %s\n", orDash(strings.Join(d.Stewards, ", ")))
	fmt.Fprintf(w, "verifiers:  %s\n", orDash(strings.Join(d.Verifiers, ", ")))
	var limits []string
	for _, u := range slices.Sorted(maps.Keys(d.Limits)) {
		limits = append(limits, u+"="+strconv.FormatUint(d.Limits[u], 10))
	}
	fmt.Fprintf(w, "limits:     %s\n", orDash(strings.Join(limits, ", ")))
	if len(d.Roles) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	t := newTable(w, "AUTHOR", "SEQ", "ACTION", "ROLE", "SUBJECT", "COUNTS")
	for _, r := range d.Roles {
		action := "grant"
		if !r.Grant {
			action = "revoke"
		}
		t.row(short(r.Author), strconv.FormatUint(r.Seq, 10), action, r.Role, short(r.Subject), yesNo(r.BySteward))
	}
	return t.flush()
}

// Pinned is the answer of `mycel district pin --json`.
type Pinned struct {
	District string `json:"district"`
	Pin      string `json:"pin"`
	Config   string `json:"config"`
}

func (a *app) districtPinCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "pin NAME CID",
		Short: "Pin a district's genesis in config.toml to a district entry held in the vault",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErr("%s needs NAME and CID (see: %s --help)", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if !protocol.ValidDistrict(name) || name == "" {
				return usageErr("district %q is not a lowercase path like meso-valley/north", name)
			}
			c, err := api.ParseCID(args[1])
			if err != nil {
				return usageErr("%v", err)
			}
			h, err := home.Resolve(a.homeFlag)
			if err != nil {
				return err
			}
			svc, done, err := a.service(cmd.Context(), needRead)
			if err != nil {
				return err
			}
			data, err := svc.Block(cmd.Context(), c)
			done()
			var b protocol.Block
			held := err == nil
			if held {
				if b, err = protocol.OpenCID(c, data); err != nil {
					return fmt.Errorf("block %s: %w", c, err)
				}
			} else if !errors.Is(err, api.ErrNotFound) {
				return err
			}
			if err := settle.CheckPin(name, c, b.Entry, held); err != nil {
				return err
			}
			if _, err := home.SetPin(h.Config(), name, c.String()); err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, Pinned{District: name, Pin: c.String(), Config: h.Config()})
			}
			fmt.Fprintf(a.stdout, "pinned %s = %s in %s\n", name, c, h.Config())
			fmt.Fprintln(a.stderr, "mycel: a running daemon applies the pin when it next starts")
			return nil
		},
	}
}
