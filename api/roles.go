package api

import (
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/settle"
)

// mayAttest explains why an attestation by me in district would not count
// toward any proof's verification (docs/PROTOCOL.md §8.5), or returns nil
// when it would.
func (l *Local) mayAttest(me peer.ID, district string) error {
	rs, err := l.rosters()
	if err != nil {
		return err
	}
	ro := rs[district]
	switch {
	case ro == nil:
		return badInput("district %s has no genesis held here, so it has no verifiers and your attestation would not count: sync or import its district entry, or pass --anyway", orGlobalName(district))
	case !ro.Verifiers[me]:
		return badInput("you are not a verifier of %s, so your attestation would not count: a steward grants the role with mycel district grant %s %s, or pass --anyway", district, district, me)
	}
	return nil
}

// mayGrant explains why a role entry by me would count for nothing: only
// stewards' role entries count, and only the genesis stewards' for the
// steward role (docs/PROTOCOL.md §8.4). Nil when it would count.
func (l *Local) mayGrant(me peer.ID, district, role string) error {
	rs, err := l.rosters()
	if err != nil {
		return err
	}
	ro := rs[district]
	if ro == nil {
		return badInput("district %s has no genesis held here, so it has no stewards and your role entry would not count: sync or import its district entry, create it with mycel district create, or pass --anyway", orGlobalName(district))
	}
	if role == settle.RoleSteward {
		if !ro.Founder(me) {
			return badInput("only the stewards of %s by its genesis or its votes grant or revoke the steward role, and you are not one: your entry would not count; pass --anyway to sign it anyway", district)
		}
		return nil
	}
	if !ro.Stewards[me] {
		return badInput("you are not a steward of %s, so your role entry would not count: ask one of its stewards, or pass --anyway", district)
	}
	return nil
}
