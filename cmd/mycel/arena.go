package main

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

// arenaService returns the arena part of the API, from the daemon or over
// the vault.
func (a *app) arenaService(cmd *cobra.Command, n need) (api.ArenaService, func(), error) {
	svc, done, err := a.service(cmd.Context(), n)
	if err != nil {
		return nil, nil, err
	}
	s, ok := svc.(api.ArenaService)
	if !ok {
		done()
		return nil, nil, fmt.Errorf("this daemon has no arena API: upgrade it")
	}
	return s, done, nil
}

func (a *app) problemCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "problem",
		Short: "Post a problem to a district's arena, or show one with its solutions",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(a.problemPostCmd(), a.problemShowCmd())
	return cmd
}

func (a *app) problemPostCmd() *cobra.Command {
	var req api.ProblemRequest
	var bounty, deadline string
	cmd := &cobra.Command{
		Use:   "post --title T --mip MIP-AGR@1 [--district D] [--description TEXT] [--criteria TEXT] [--bounty N --unit U] [--deadline 2027-03-01T00:00:00Z]",
		Short: "Post a problem, with a bounty its accepted solutions are paid from; prints its CID",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if req.Bounty, err = parseAmount("--bounty", bounty); err != nil {
				return err
			}
			if req.Bounty == 0 {
				req.Unit = ""
			}
			dl, err := parseTime("--deadline", deadline)
			if err != nil {
				return err
			}
			if !dl.IsZero() {
				req.Deadline = dl.UnixMilli()
			}
			if req.District, err = a.district(cmd, req.District); err != nil {
				return err
			}
			s, done, err := a.arenaService(cmd, needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := s.PostProblem(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&req.Title, "title", "", "the problem in one line (required)")
	fl.StringVar(&req.MIP, "mip", "", "its domain: a MIP id or ref, e.g. MIP-AGR@1 (required)")
	fl.StringVar(&req.District, "district", "", "the district's arena (default: the config's)")
	fl.StringVar(&req.Description, "description", "", "what is wanted, up to 8 KiB")
	fl.StringVar(&req.Criteria, "criteria", "", "how a solution is judged")
	fl.StringVar(&bounty, "bounty", "0", "what accepted solutions share, integer minor units of --unit")
	fl.StringVar(&req.Unit, "unit", "credit", "unit of the bounty")
	fl.StringVar(&deadline, "deadline", "", "RFC 3339 time after which a district steward may accept in the poster's place")
	cmd.MarkFlagRequired("title")
	cmd.MarkFlagRequired("mip")
	return cmd
}

func (a *app) problemsCmd() *cobra.Command {
	var q api.ProblemQuery
	cmd := &cobra.Command{
		Use:   "problems [--district D] [--mip M] [--open]",
		Short: "List the problems of the arenas held, newest first; another district's through the DHT",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, done, err := a.arenaService(cmd, needRead)
			if err != nil {
				return err
			}
			defer done()
			rows, err := s.Problems(cmd.Context(), q)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, rows)
			}
			t := a.newTable("CID", "POSTER", "DISTRICT", "MIP", "BOUNTY", "STATUS", "SOLUTIONS", "TITLE")
			for _, r := range rows {
				bounty := "-"
				if r.Bounty > 0 {
					bounty = fmt.Sprintf("%d %s", r.Bounty, r.Unit)
				}
				t.row(r.CID, short(r.Poster), r.District, r.MIP, bounty, r.Status, strconv.Itoa(len(r.Solutions)), r.Title)
			}
			return t.flush()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&q.District, "district", "", "only this district's problems; one not held here is read from its peers through the DHT (with a daemon)")
	fl.StringVar(&q.MIP, "mip", "", "only this domain: a MIP id (any version) or ref")
	fl.BoolVar(&q.Open, "open", false, "only the open problems")
	return cmd
}

func (a *app) problemShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show CID",
		Short: "Show a problem, its solutions and what was accepted",
		Args:  oneArg("problem CID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, done, err := a.arenaService(cmd, needRead)
			if err != nil {
				return err
			}
			defer done()
			p, err := s.Problem(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, p)
			}
			fmt.Fprintf(a.stdout, "problem:  %s\ntitle:    %s\nposter:   %s\ndistrict: %s (%s)\nstatus:   %s\n", p.CID, p.Title, p.Poster, p.District, p.MIP, p.Status)
			if p.Bounty > 0 {
				fmt.Fprintf(a.stdout, "bounty:   %d %s\n", p.Bounty, p.Unit)
			}
			t := a.newTable("SOLUTION", "SOLVER", "ACCEPTED", "SHARE", "SUMMARY")
			for _, s := range p.Solutions {
				t.row(s.CID, short(s.Solver), yesNo(s.Accepted), strconv.FormatUint(s.Share, 10), s.Summary)
			}
			return t.flush()
		},
	}
}

func (a *app) solveCmd() *cobra.Command {
	var req api.SolveRequest
	cmd := &cobra.Command{
		Use:   "solve PROBLEM --summary TEXT [--artifact CID]... [--proof CID]...",
		Short: "Post a solution of a problem held; prints its CID",
		Args:  oneArg("problem CID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Problem = args[0]
			s, done, err := a.arenaService(cmd, needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := s.Solve(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&req.Summary, "summary", "", "what the solution does (required)")
	fl.StringArrayVar(&req.Artifacts, "artifact", nil, "CID of an artifact: a file, a repository, a bundle (repeatable)")
	fl.StringArrayVar(&req.Proofs, "proof", nil, "CID of a proof entry that backs the solution (repeatable)")
	cmd.MarkFlagRequired("summary")
	return cmd
}

func (a *app) acceptCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "accept SOLUTION[=SHARE]...",
		Short: "Accept solutions of your problem and split its bounty (a share left out takes what is left); the bounty pays by itself",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var req api.AcceptRequest
			for _, arg := range args {
				sol, share, ok := strings.Cut(arg, "=")
				sh := api.AcceptShare{Solution: sol}
				if ok {
					n, err := parseAmount("share", share)
					if err != nil {
						return err
					}
					sh.Share = n
				}
				req.Shares = append(req.Shares, sh)
			}
			s, done, err := a.arenaService(cmd, needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := s.Accept(cmd.Context(), req)
			return a.written(w, err)
		},
	}
}

func (a *app) agencyCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "agency [PEER]",
		Short: "Show the proof of agency of a peer (default: this one): accepted solutions, verified proofs, attestations agreeing with their proof's status, verified grid results",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			who := ""
			if len(args) == 1 {
				who = args[0]
			}
			s, done, err := a.arenaService(cmd, needRead)
			if err != nil {
				return err
			}
			defer done()
			ag, err := s.Agency(cmd.Context(), who)
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, ag)
			}
			fmt.Fprintf(a.stdout, "peer: %s\n", ag.Peer)
			t := a.newTable("WHAT", "DOMAIN", "COUNT")
			for _, k := range sortedKeys(ag.Accepted) {
				t.row("accepted solutions", k, strconv.Itoa(ag.Accepted[k]))
			}
			for _, k := range sortedKeys(ag.Verified) {
				t.row("verified proofs", k, strconv.Itoa(ag.Verified[k]))
			}
			for _, k := range sortedKeys(ag.Agreed) {
				t.row("attestations agreeing", k, strconv.Itoa(ag.Agreed[k]))
			}
			t.row("verified grid results", "-", strconv.Itoa(ag.GridVerified))
			return t.flush()
		},
	}
}

func sortedKeys(m map[string]int) []string {
	return slices.Sorted(maps.Keys(m))
}
