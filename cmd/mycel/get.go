package main

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/codec/dagjson"
	"github.com/ipld/go-ipld-prime/node/basicnode"
	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) getCmd() *cobra.Command {
	var raw bool
	cmd := &cobra.Command{
		Use:   "get CID",
		Short: "Print an entry as DAG-JSON (--raw: its exact DAG-CBOR bytes)",
		Args:  oneArg("CID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := api.ParseCID(args[0])
			if err != nil {
				return err
			}
			svc, done, err := a.service(cmd.Context(), needRead)
			if err != nil {
				return err
			}
			defer done()
			data, err := svc.Block(cmd.Context(), c)
			if err != nil {
				return err
			}
			if raw {
				_, err = a.stdout.Write(data)
				return err
			}
			out, err := dagJSON(data)
			if err != nil {
				return fmt.Errorf("entry %s: %w", c, err)
			}
			_, err = a.stdout.Write(out)
			return err
		},
	}
	cmd.Flags().BoolVar(&raw, "raw", false, "write the exact block bytes to stdout")
	return cmd
}

// dagJSON renders DAG-CBOR bytes as indented DAG-JSON with standard IPLD
// codecs: links as {"/": cid}, bytes as {"/": {"bytes": base64}}.
func dagJSON(data []byte) ([]byte, error) {
	nb := basicnode.Prototype.Any.NewBuilder()
	if err := dagcbor.Decode(nb, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("decode dag-cbor: %w", err)
	}
	var compact bytes.Buffer
	if err := dagjson.Encode(nb.Build(), &compact); err != nil {
		return nil, fmt.Errorf("encode dag-json: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}
