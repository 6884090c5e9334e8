package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) attestCmd() *cobra.Command {
	var req api.AttestRequest
	cmd := &cobra.Command{
		Use:   "attest CID --verdict valid|invalid [--note TEXT] [--anyway]",
		Short: "Attest a proof held in the vault as a verifier; prints the attestation's CID",
		Args:  oneArg("proof CID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			req.Proof = args[0]
			if req.Verdict != "valid" && req.Verdict != "invalid" {
				return usageErr("--verdict %q: want valid or invalid", req.Verdict)
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			w, err := svc.Attest(cmd.Context(), req)
			return a.written(w, err)
		},
	}
	cmd.Flags().StringVar(&req.Verdict, "verdict", "", "valid or invalid (required)")
	cmd.Flags().StringVar(&req.Note, "note", "", "what was checked, or why it failed")
	cmd.Flags().BoolVar(&req.Anyway, "anyway", false, "sign it even though you are not a verifier of the proof's district (it would not count)")
	cmd.MarkFlagRequired("verdict")
	return cmd
}

// written prints an entry a command wrote: its CID, or JSON.
func (a *app) written(w api.Written, err error) error {
	if err != nil {
		return err
	}
	if a.json {
		return printJSON(a.stdout, w)
	}
	fmt.Fprintln(a.stdout, w.CID)
	if !w.Sent {
		fmt.Fprintln(a.stderr, "mycel: stored in the vault; it travels when the daemon runs")
	}
	return nil
}

func (a *app) proofStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status CID",
		Short: "Show a proof's verification: policy, attestations and whether it is verified",
		Args:  oneArg("proof CID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, done, err := a.service(cmd.Context(), needRead)
			if err != nil {
				return err
			}
			defer done()
			st, err := svc.ProofStatus(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, st)
			}
			return a.printProofStatus(st)
		},
	}
}

func (a *app) printProofStatus(st api.ProofStatus) error {
	w := a.stdout
	policy := fmt.Sprintf("%d valid attestations by distinct verifiers of the district", st.K)
	switch {
	case !st.KnownPolicy:
		policy = "unknown: the MIP is not known here"
	case !st.InForce:
		policy += "; but the district has not ratified " + st.MIP + ": its stewards activate it by vote (mycel propose mip " + st.MIP + ")"
	}
	fmt.Fprintf(w, "proof:     %s\nauthor:    %s\nmip:       %s\ndistrict:  %s\npolicy:    %s\n",
		st.CID, st.Author, st.MIP, orGlobal(st.District), policy)
	if st.Flagged {
		fmt.Fprintln(w, "author:    flagged for equivocation: never verified")
	}
	fmt.Fprintf(w, "verified:  %s (%d of %d)\n\n", yesNo(st.Verified), st.Valid, st.K)
	t := newTable(w, "VERIFIER", "VERDICT", "COUNTED", "WHY", "NOTE")
	for _, at := range st.Attestations {
		t.row(short(at.Verifier), at.Verdict, yesNo(at.Counted), orDash(at.Why), orDash(strings.TrimSpace(at.Note)))
	}
	return t.flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
