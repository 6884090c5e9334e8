package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) balanceCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "balance",
		Short: "Show mutual-credit balances per account and unit (received minus sent), covered and uncovered apart",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return show(a, cmd, needRead, api.Service.Balances, func(bs []api.Balance) error {
				t := a.newTable("ACCOUNT", "UNIT", "BALANCE", "COVERED", "UNCOVERED")
				for _, b := range bs {
					t.row(short(b.Account), b.Unit, strconv.FormatInt(b.Balance, 10),
						strconv.FormatInt(b.Covered, 10), strconv.FormatUint(b.Uncovered, 10))
				}
				return t.flush()
			})
		},
	}
}

func (a *app) receiptsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "receipts",
		Short: "List the receipts held, by payer and seq, with coverage",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return show(a, cmd, needRead, api.Service.Receipts, func(rs []api.Receipt) error {
				t := a.newTable("CID", "PAYER", "SEQ", "PAYEE", "AMOUNT", "UNIT", "COVERED", "COUNTED", "FOR")
				for _, r := range rs {
					var fors []string
					for _, f := range r.For {
						fors = append(fors, short(f))
					}
					t.row(short(r.CID), short(r.Payer), strconv.FormatUint(r.Seq, 10), short(r.Payee),
						strconv.FormatUint(r.Amount, 10), r.Unit, yesNo(r.Covered), yesNo(r.Counted), orDash(strings.Join(fors, ",")))
				}
				return t.flush()
			})
		},
	}
}

func (a *app) ledgerCmd() *cobra.Command {
	var digest bool
	cmd := &cobra.Command{
		Use:   "ledger [--digest]",
		Short: "Show the ledger per account and unit, its flags and digest",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if digest {
				return a.ledgerDigest(cmd)
			}
			return show(a, cmd, needRead, api.Service.Ledger, a.ledgerTable)
		},
	}
	cmd.Flags().BoolVar(&digest, "digest", false, "print only the digest, equal on every replica with the same entries")
	return cmd
}

// ledgerDigest prints only the ledger's digest, or {"digest"} with --json.
func (a *app) ledgerDigest(cmd *cobra.Command) error {
	fetch := func(svc api.Service, ctx context.Context) (map[string]string, error) {
		l, err := svc.Ledger(ctx)
		return map[string]string{"digest": l.Digest}, err
	}
	return show(a, cmd, needRead, fetch, func(d map[string]string) error {
		_, err := fmt.Fprintln(a.stdout, d["digest"])
		return err
	})
}

// ledgerTable prints the ledger per account and unit, its flags and digest.
func (a *app) ledgerTable(l api.Ledger) error {
	t := a.newTable("ACCOUNT", "UNIT", "RECEIVED", "SENT", "UNCOVERED", "BALANCE")
	for _, x := range l.Accounts {
		t.row(short(x.Account), x.Unit, strconv.FormatUint(x.Received, 10), strconv.FormatUint(x.Sent, 10),
			strconv.FormatUint(x.Uncovered, 10), strconv.FormatInt(x.Balance, 10))
	}
	if err := t.flush(); err != nil {
		return err
	}
	for _, f := range l.Flagged {
		fmt.Fprintf(a.stdout, "flagged: %s (equivocated: receipts not counted)\n", f)
	}
	_, err := fmt.Fprintf(a.stdout, "digest:  %s\n", l.Digest)
	return err
}
