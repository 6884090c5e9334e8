package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/ipld/go-ipld-prime/codec/dagcbor"
	"github.com/ipld/go-ipld-prime/codec/dagjson"
	"github.com/ipld/go-ipld-prime/node/basicnode"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/spf13/cobra"

	"github.com/mesocosm/mycel/api"
)

func (a *app) getCmd() *cobra.Command {
	var raw bool
	cmd := &cobra.Command{
		Use:   "get CID",
		Short: "Print an entry as DAG-JSON, peers as peer IDs (--raw: its exact DAG-CBOR bytes)",
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
// codecs: links as {"/": cid}, bytes as {"/": {"bytes": base64}}, except
// that the fields holding a peer (peerFields) read as its peer ID.
func dagJSON(data []byte) ([]byte, error) {
	nb := basicnode.Prototype.Any.NewBuilder()
	if err := dagcbor.Decode(nb, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("decode dag-cbor: %w", err)
	}
	var compact bytes.Buffer
	if err := dagjson.Encode(nb.Build(), &compact); err != nil {
		return nil, fmt.Errorf("encode dag-json: %w", err)
	}
	dec := json.NewDecoder(&compact)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(peersNamed(v, "")); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// peerFields are the entry and body fields whose bytes are a peer ID, one
// or a list: the author, a receipt's payee, a role's subject, a
// district's stewards and verifiers.
var peerFields = map[string]bool{"author": true, "payee": true, "subject": true, "stewards": true, "verifiers": true}

// peersNamed replaces, in decoded DAG-JSON, the bytes of peerFields that
// are a valid peer ID with its string form; anything else is kept.
func peersNamed(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		if key != "" && peerFields[key] {
			if id, ok := peerBytes(x); ok {
				return id
			}
		}
		for k, e := range x {
			x[k] = peersNamed(e, k)
		}
	case []any:
		for i, e := range x {
			x[i] = peersNamed(e, key)
		}
	}
	return v
}

// peerBytes reads {"/": {"bytes": base64}} as a peer ID.
func peerBytes(m map[string]any) (string, bool) {
	slash, ok := m["/"].(map[string]any)
	if !ok || len(m) != 1 || len(slash) != 1 {
		return "", false
	}
	b64, ok := slash["bytes"].(string)
	if !ok {
		return "", false
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil {
		return "", false
	}
	id, err := peer.IDFromBytes(raw)
	if err != nil {
		return "", false
	}
	return id.String(), true
}
