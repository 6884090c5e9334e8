package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

// MIPDefinition is the body of POST /v1/mips and the file `mycel mip
// publish` reads: a MIP as `mycel mip show --json` prints one, so that a
// definition can start as a copy of another. Ref and Attestations are
// the show's summary fields: Ref, when given, must name ID and Version;
// Attestations stands for the policy's when the policy gives none.
type MIPDefinition struct {
	Ref          string            `json:"mip,omitempty"`
	ID           string            `json:"id"`      // "MIP-SOL"
	Version      int               `json:"version"` // 1, 2, ...
	Title        string            `json:"title"`
	Attestations int               `json:"attestations,omitempty"`
	Schema       json.RawMessage   `json:"schema"` // JSON Schema draft 2020-12 of the claim
	Policy       mip.Policy        `json:"policy"` // {"attestations": N}
	Examples     []json.RawMessage `json:"examples"`
}

// PublishMIP appends a mip entry that defines a new MIP version, after
// checking it as the registry checks a mip entry (the schema compiles,
// every example is valid under it, the policy holds) and that its ref is
// not already defined.
func (l *Local) PublishMIP(ctx context.Context, d MIPDefinition) (Written, error) {
	if d.Policy.Attestations == 0 {
		d.Policy.Attestations = d.Attestations
	}
	m := mip.MIP{ID: d.ID, Version: d.Version, Title: d.Title, Schema: d.Schema, Policy: d.Policy}
	if d.Ref != "" && d.Ref != m.Ref() {
		return Written{}, badInput("mip %q does not match id %q and version %d: write %s, or leave mip out", d.Ref, d.ID, d.Version, m.Ref())
	}
	for i, raw := range d.Examples {
		c, err := mip.ClaimFromJSON(raw)
		if err != nil {
			return Written{}, badInput("example %d: %v", i+1, err)
		}
		m.Examples = append(m.Examples, c)
	}
	doc := mip.DocOf(m)
	if err := doc.Check(); err != nil {
		return Written{}, badInput("%s@%d: %v", d.ID, d.Version, err)
	}
	ref := m.Ref()
	if l.Registry != nil {
		if old, ok := l.Registry.Lookup(ref); ok {
			a, _ := protocol.Marshal(mip.DocOf(old))
			b, _ := protocol.Marshal(&doc)
			if bytes.Equal(a, b) {
				return Written{}, badInput("%s is already defined exactly so: nothing to publish", ref)
			}
			return Written{}, badInput("%s is already defined otherwise (mycel mip show %s): publish it as version %d", ref, ref, d.Version+1)
		}
	}
	enc, err := protocol.EncodeBody(&doc)
	if err != nil {
		return Written{}, badInput("mip: %v", err)
	}
	e := protocol.Entry{Kind: protocol.KindMIP, Time: l.now().UnixMilli(), Body: enc}
	var blk protocol.Block
	if l.Mesh != nil {
		blk, err = l.Mesh.Publish(ctx, e)
	} else {
		blk, err = l.append(e)
	}
	if err != nil {
		return Written{}, fmt.Errorf("mip: %w", err)
	}
	if l.Mesh == nil && l.Registry != nil {
		_ = l.Registry.Load(blk) // later commands of this run know it
	}
	return Written{LogEntry: logEntry(blk), Sent: l.Mesh != nil}, nil
}

// MIPPublisher publishes MIP definitions; Local and Client implement it.
type MIPPublisher interface {
	PublishMIP(ctx context.Context, d MIPDefinition) (Written, error)
}

var (
	_ MIPPublisher = (*Local)(nil)
	_ MIPPublisher = (*Client)(nil)
)

func (c *Client) PublishMIP(ctx context.Context, d MIPDefinition) (v Written, err error) {
	return v, c.postJSON(ctx, "/v1/mips", d, &v)
}
