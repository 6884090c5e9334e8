package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) districtCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "district",
		Short: "Create a district (its genesis), grant or revoke roles in it, show it, pin its genesis",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(a.districtCreateCmd(), a.roleCmd(true), a.roleCmd(false), a.districtShowCmd(), a.districtPinCmd())
	return cmd
}

func (a *app) districtCreateCmd() *cobra.Command {
	var req api.DistrictRequest
	var limits []string
	cmd := &cobra.Command{
		Use:   "create NAME --steward PEER... [--verifier PEER]... [--limit UNIT=N]...",
		Short: "Publish a district's genesis: its stewards, verifiers and credit limits; prints its CID",
		Args:  oneArg("district name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Name = args[0]
			req.Limits = map[string]uint64{}
			for _, l := range limits {
				u, n, ok := strings.Cut(l, "=")
				if !ok {
					return usageErr("--limit %q: write UNIT=N, e.g. credit=1000", l)
				}
				v, err := parseAmount("--limit "+u, n)
				if err != nil {
					return err
				}
				req.Limits[u] = v
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.CreateDistrict(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&req.Stewards, "steward", nil, "steward peer ID or did:key (repeatable, at least one)")
	fl.StringArrayVar(&req.Verifiers, "verifier", nil, "verifier peer ID or did:key (repeatable)")
	fl.StringArrayVar(&limits, "limit", nil, "credit limit UNIT=N (repeatable)")
	cmd.MarkFlagRequired("steward")
	return cmd
}

// roleCmd is `district grant` (grant true) or `district revoke`.
func (a *app) roleCmd(grant bool) *cobra.Command {
	req := api.RoleRequest{Grant: grant}
	verb, short := "grant", "As a steward, grant a peer a role in a district; prints the entry's CID"
	if !grant {
		verb, short = "revoke", "As a steward, revoke a peer's role in a district; prints the entry's CID"
	}
	cmd := &cobra.Command{
		Use:   verb + " NAME PEER --role verifier|steward [--anyway]",
		Short: short,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErr("%s needs NAME and PEER (see: %s --help)", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			req.District, req.Subject = args[0], args[1]
			if req.Role != "verifier" && req.Role != "steward" {
				return usageErr("--role %q: want verifier or steward", req.Role)
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.Grant(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	cmd.Flags().StringVar(&req.Role, "role", "verifier", "verifier or steward")
	cmd.Flags().BoolVar(&req.Anyway, "anyway", false, "sign it even though you are not a steward who may set this role (it would not count)")
	return cmd
}
