package api

import (
	"context"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// DistrictRequest is the body of POST /v1/districts: a district genesis.
type DistrictRequest struct {
	Name      string            `json:"name"`
	Stewards  []string          `json:"stewards"`  // peer IDs or did:keys
	Verifiers []string          `json:"verifiers"` // peer IDs or did:keys
	Limits    map[string]uint64 `json:"limits"`    // credit limit per unit
}

// CreateDistrict appends a district entry. It refuses a name for which
// the vault already holds a district entry: the earliest one is the
// genesis, so a second would change nothing but confuse.
func (l *Local) CreateDistrict(ctx context.Context, req DistrictRequest) (Written, error) {
	if !protocol.ValidDistrict(req.Name) || req.Name == "" {
		return Written{}, badInput("district %q is not a lowercase path like meso-valley/north", req.Name)
	}
	held, err := l.Vault.Query(vault.Query{Kind: settle.KindDistrict, District: req.Name})
	if err != nil {
		return Written{}, fmt.Errorf("district: %w", err)
	}
	if len(held) > 0 {
		return Written{}, badInput("district %s already has a genesis, %s: add roles with mycel district grant", req.Name, held[0].CID)
	}
	d := &settle.District{Name: req.Name, Limits: req.Limits}
	if d.Stewards, err = peerList("steward", req.Stewards); err != nil {
		return Written{}, err
	}
	if d.Verifiers, err = peerList("verifier", req.Verifiers); err != nil {
		return Written{}, err
	}
	return l.write(ctx, settle.KindDistrict, req.Name, d)
}

func peerList(what string, ss []string) ([][]byte, error) {
	var out [][]byte
	seen := map[peer.ID]bool{}
	for _, s := range ss {
		id, err := protocol.ParsePeer(s)
		if err != nil {
			return nil, badInput("%s %q: %v", what, s, err)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, []byte(id))
		}
	}
	return out, nil
}

// RoleRequest is the body of POST /v1/roles: a steward grants (or
// revokes) a role in a district.
type RoleRequest struct {
	District string `json:"district"`
	Subject  string `json:"subject"` // peer ID or did:key
	Role     string `json:"role"`    // verifier | steward
	Grant    bool   `json:"grant"`   // false revokes
	// Anyway signs the entry even when it would count for nothing (this
	// peer is not a steward who may set the role); without it Grant
	// refuses with the reason.
	Anyway bool `json:"anyway"`
}

// Grant appends a role entry. Only a steward's role entries count: unless
// Anyway, a role entry by a peer that is not one, as the entries held say,
// is refused with the reason (stewardship may still arrive by sync).
func (l *Local) Grant(ctx context.Context, req RoleRequest) (Written, error) {
	id, err := protocol.ParsePeer(req.Subject)
	if err != nil {
		return Written{}, badInput("subject: %v", err)
	}
	if !req.Anyway && protocol.ValidDistrict(req.District) {
		if err := l.mayGrant(l.Vault.ID(), req.District, req.Role); err != nil {
			return Written{}, err
		}
	}
	return l.write(ctx, settle.KindRole, req.District, &settle.Role{Subject: []byte(id), Role: req.Role, Grant: req.Grant})
}
