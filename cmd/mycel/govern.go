package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/govern"
)

func (a *app) governService(cmd *cobra.Command, n need) (api.GovernService, func(), error) {
	svc, done, err := a.service(cmd.Context(), n)
	if err != nil {
		return nil, nil, err
	}
	g, ok := svc.(api.GovernService)
	if !ok {
		done()
		return nil, nil, fmt.Errorf("this daemon has no governance API: upgrade it")
	}
	return g, done, nil
}

func (a *app) proposeCmd() *cobra.Command {
	var req api.ProposeRequest
	cmd := &cobra.Command{
		Use:   "propose mip REF | retire REF | steward add|remove PEER | verifier add|remove PEER | limit UNIT=N [--district D] [--note TEXT]",
		Short: "Propose one change to a district's rules, for its stewards to vote on; prints its CID",
		Args:  cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := proposal(&req, args); err != nil {
				return err
			}
			var err error
			if req.District, err = a.district(cmd, req.District); err != nil {
				return err
			}
			g, done, err := a.governService(cmd, needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := g.Propose(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	cmd.Flags().StringVar(&req.District, "district", "", "the district (default: the config's)")
	cmd.Flags().StringVar(&req.Note, "note", "", "why, for the stewards")
	return cmd
}

// proposal reads a proposal's words into req.
func proposal(req *api.ProposeRequest, args []string) error {
	what := strings.Join(args, " ")
	switch {
	case len(args) == 2 && args[0] == "mip":
		req.Change, req.MIP = govern.Activate, args[1]
	case len(args) == 2 && args[0] == "retire":
		req.Change, req.MIP = govern.Retire, args[1]
	case len(args) == 3 && (args[0] == "steward" || args[0] == "verifier") && (args[1] == "add" || args[1] == "remove"):
		req.Change, req.Peer = map[string]string{
			"steward add": govern.AddSteward, "steward remove": govern.RemoveSteward,
			"verifier add": govern.AddVerifier, "verifier remove": govern.RemoveVerifier,
		}[args[0]+" "+args[1]], args[2]
	case len(args) == 2 && args[0] == "limit":
		unit, n, ok := strings.Cut(args[1], "=")
		amount, err := parseAmount("limit", n)
		if !ok || err != nil {
			return usageErr("limit %q: write UNIT=N, e.g. credit=1000000", args[1])
		}
		req.Change, req.Unit, req.Amount = govern.Limit, unit, amount
	default:
		return usageErr("propose %q: say mip REF, retire REF, steward add|remove PEER, verifier add|remove PEER or limit UNIT=N", what)
	}
	return nil
}

func (a *app) voteCmd() *cobra.Command {
	var req api.VoteRequest
	var yes, no bool
	cmd := &cobra.Command{
		Use:   "vote PROPOSAL --yes|--no [--note TEXT]",
		Short: "Vote on a proposal as a steward (your latest vote counts); prints its CID",
		Args:  oneArg("proposal CID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if yes == no {
				return usageErr("say --yes or --no")
			}
			req.Proposal, req.Yes = args[0], yes
			g, done, err := a.governService(cmd, needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := g.Vote(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	cmd.Flags().BoolVar(&yes, "yes", false, "vote for")
	cmd.Flags().BoolVar(&no, "no", false, "vote against")
	cmd.Flags().StringVar(&req.Note, "note", "", "why")
	return cmd
}

func (a *app) proposalsCmd() *cobra.Command {
	var district string
	cmd := &cobra.Command{
		Use:   "proposals [--district D]",
		Short: "List a district's proposals as judged: votes counted, threshold, ratified or why not",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, done, err := a.governService(cmd, needRead)
			if err != nil {
				return err
			}
			defer done()
			rows, err := g.Proposals(cmd.Context(), district)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, rows)
			}
			t := a.newTable("PROPOSAL", "DISTRICT", "CHANGE", "WHAT", "YES", "NO", "NEEDED", "RATIFIED")
			for _, r := range rows {
				what := r.MIP + short(r.Peer)
				if r.Unit != "" {
					what = fmt.Sprintf("%s=%d", r.Unit, r.Amount)
				}
				t.row(r.CID, r.District, r.Change, what, fmt.Sprint(len(r.Yes)), fmt.Sprint(len(r.No)), fmt.Sprintf("%d of %d", r.Threshold, r.Stewards), yesNo(r.Ratified))
			}
			return t.flush()
		},
	}
	cmd.Flags().StringVar(&district, "district", "", "only this district")
	return cmd
}

func (a *app) mipStatusCmd() *cobra.Command {
	var district string
	cmd := &cobra.Command{
		Use:   "status REF [--district D]",
		Short: "Whether a MIP version is ratified in a district, with the votes",
		Args:  oneArg("MIP ref"),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := a.district(cmd, district)
			if err != nil {
				return err
			}
			g, done, err := a.governService(cmd, needRead)
			if err != nil {
				return err
			}
			defer done()
			st, err := g.MIPStatus(cmd.Context(), args[0], d)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, st)
			}
			fmt.Fprintf(a.stdout, "%s in %s: ratified %s (%d proposals)\n", st.Ref, st.District, yesNo(st.Ratified), len(st.Votes))
			for _, v := range st.Votes {
				fmt.Fprintf(a.stdout, "  %s %s: %d yes, %d no, %d needed of %d stewards; ratified %s %s\n", v.Change, v.CID, len(v.Yes), len(v.No), v.Threshold, v.Stewards, yesNo(v.Ratified), v.Why)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&district, "district", "", "the district (default: the config's)")
	return cmd
}
