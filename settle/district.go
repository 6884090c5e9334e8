package settle

import (
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// District is the body of a "district" entry: a district's definition. The
// genesis of a district is chosen among its district entries (see Rosters).
type District struct {
	Name      string            `cbor:"name"` // must equal the entry's district
	Stewards  [][]byte          `cbor:"stewards"`
	Verifiers [][]byte          `cbor:"verifiers"`
	Limits    map[string]uint64 `cbor:"limits"` // credit limit per unit
}

// Check validates the district's shape.
func (d *District) Check() error {
	if d.Name == "" || !protocol.ValidDistrict(d.Name) {
		return badBody("district name %q is not a lowercase path", d.Name)
	}
	if len(d.Stewards) == 0 {
		return badBody("district %s has no stewards", d.Name)
	}
	if len(d.Stewards) > MaxPeers || len(d.Verifiers) > MaxPeers {
		return badBody("district %s lists over %d stewards or verifiers", d.Name, MaxPeers)
	}
	for _, s := range d.Stewards {
		if err := checkPeer("steward", s); err != nil {
			return err
		}
	}
	for _, v := range d.Verifiers {
		if err := checkPeer("verifier", v); err != nil {
			return err
		}
	}
	if len(d.Limits) > MaxUnits {
		return badBody("district %s sets %d limits, limit %d", d.Name, len(d.Limits), MaxUnits)
	}
	for u, n := range d.Limits {
		if !ValidUnit(u) || n > MaxAmount {
			return badBody("limit %q=%d: bad unit or over %d", u, n, uint64(MaxAmount))
		}
	}
	return nil
}

// Roles a steward can grant.
const (
	RoleVerifier = "verifier"
	RoleSteward  = "steward"
)

// Role is the body of a "role" entry: a steward of the entry's district
// grants (Grant true) or revokes (false) Role to Subject.
type Role struct {
	Subject []byte `cbor:"subject"`
	Role    string `cbor:"role"`
	Grant   bool   `cbor:"grant"`
}

// Who returns the subject.
func (r *Role) Who() peer.ID { return peer.ID(r.Subject) }

// Check validates the role's shape.
func (r *Role) Check() error {
	if r.Role != RoleVerifier && r.Role != RoleSteward {
		return badBody("role %q, want verifier or steward", r.Role)
	}
	return checkPeer("subject", r.Subject)
}
