package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// MIPSummary is one row of `mycel mip list`.
type MIPSummary struct {
	MIP          string `json:"mip"` // "MIP-HLT@1"
	ID           string `json:"id"`
	Version      int    `json:"version"`
	Title        string `json:"title"`
	Attestations int    `json:"attestations"` // valid attestations a proof needs
}

// MIPDoc is the answer of `mycel mip show`.
type MIPDoc struct {
	MIPSummary
	Schema   json.RawMessage  `json:"schema"`
	Policy   mip.Policy       `json:"policy"`
	Examples []map[string]any `json:"examples"` // claims valid under the schema
}

func summary(m mip.MIP) MIPSummary {
	return MIPSummary{MIP: m.Ref(), ID: m.ID, Version: m.Version, Title: m.Title, Attestations: m.Policy.Attestations}
}

// MIPs lists the known MIPs.
func (l *Local) MIPs(context.Context) ([]MIPSummary, error) {
	list := l.Registry.List()
	out := make([]MIPSummary, len(list))
	for i, m := range list {
		out[i] = summary(m)
	}
	return out, nil
}

// MIP returns one MIP by ref ("MIP-HLT@1") or id ("MIP-HLT": the highest
// version known).
func (l *Local) MIP(_ context.Context, ref string) (MIPDoc, error) {
	m, ok := l.Registry.Lookup(ref)
	if !ok {
		return MIPDoc{}, notFound("unknown MIP %q (see: mycel mip list)", ref)
	}
	ex := m.Examples
	if ex == nil {
		ex = []map[string]any{}
	}
	return MIPDoc{MIPSummary: summary(m), Schema: m.Schema, Policy: m.Policy, Examples: ex}, nil
}

// checkClaim parses a JSON claim and checks it against the MIP's schema.
func (l *Local) checkClaim(ref string, raw json.RawMessage) (map[string]any, error) {
	if _, _, ok := protocol.ParseMIPRef(ref); !ok {
		return nil, badInput("MIP %q is not of the form MIP-XXX@N, e.g. MIP-HLT@1", ref)
	}
	if _, ok := l.Registry.Lookup(ref); !ok {
		return nil, badInput("unknown MIP %s (see: mycel mip list)", ref)
	}
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return nil, badInput("no claim given")
	}
	claim, err := mip.ClaimFromJSON(raw)
	if err != nil {
		return nil, badInput("%v", err)
	}
	if err := l.Registry.CheckClaim(ref, claim); err != nil {
		var fe *mip.FieldError
		if errors.As(err, &fe) {
			return nil, badInput("%v (schema of %s)", fe, ref)
		}
		return nil, badInput("%v", err)
	}
	return claim, nil
}
