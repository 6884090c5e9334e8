package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) mipCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "mip",
		Short: "Browse the MIPs: claim schemas and verification policies",
		Args:  cobra.ArbitraryArgs,
		RunE:  group,
	}
	cmd.AddCommand(a.mipListCmd(), a.mipShowCmd(), a.mipPublishCmd(), a.mipStatusCmd())
	return cmd
}

func (a *app) mipListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the known MIPs",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, done, err := a.service(cmd.Context(), needNothing)
			if err != nil {
				return err
			}
			defer done()
			list, err := svc.MIPs(cmd.Context())
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, list)
			}
			t := a.newTable("MIP", "ATTESTATIONS", "TITLE")
			for _, m := range list {
				t.row(m.MIP, fmt.Sprint(m.Attestations), m.Title)
			}
			return t.flush()
		},
	}
}

func (a *app) mipShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show ID",
		Short: "Show a MIP's schema, policy and example claims (ID: MIP-HLT@1, or MIP-HLT for the latest)",
		Args:  oneArg("MIP id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, done, err := a.service(cmd.Context(), needNothing)
			if err != nil {
				return err
			}
			defer done()
			doc, err := svc.MIP(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if a.json {
				return printJSON(a.stdout, doc)
			}
			fmt.Fprintf(a.stdout, "%s  %s\n\npolicy: verified after %d valid attestations by distinct verifiers (never the author)\n\nschema:\n",
				doc.MIP, doc.Title, doc.Policy.Attestations)
			printJSON(a.stdout, doc.Schema)
			fmt.Fprintln(a.stdout, "\nexamples (valid claims):")
			for _, ex := range doc.Examples {
				printJSON(a.stdout, ex)
			}
			return nil
		},
	}
}

// maxMIPFile bounds a MIP definition file.
const maxMIPFile = 256 << 10

func (a *app) mipPublishCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "publish FILE.json",
		Short: "Publish a new MIP version from a definition file (id, version, title, schema, policy, examples), checked first",
		Args:  oneArg("definition file"),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := a.readInput(cmd.Context(), args[0], maxMIPFile)
			if err != nil {
				return err
			}
			var d api.MIPDefinition
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&d); err != nil {
				return usageErr("%s: not a MIP definition: %v (see mycel mip show MIP-HLT --json for the shape)", inputName(args[0]), err)
			}
			svc, done, err := a.service(cmd.Context(), needWrite)
			if err != nil {
				return err
			}
			defer done()
			p, ok := svc.(api.MIPPublisher)
			if !ok {
				return fmt.Errorf("this daemon cannot publish MIPs: upgrade it")
			}
			w, err := p.PublishMIP(cmd.Context(), d)
			return a.written(w, err)
		},
	}
}
