package settle

import (
	"github.com/mesocosm/mycel/protocol"
)

// Pledge is the body of a "pledge" entry: the author pays Amount of Unit
// for each verified proof of MIP in District whose claim matches Where, up
// to Cap in total, until Expires.
type Pledge struct {
	MIP      string `cbor:"mip"` // exact ref, "MIP-HLT@1"
	District string `cbor:"district"`
	Amount   uint64 `cbor:"amount"` // per verified proof
	Unit     string `cbor:"unit"`
	Cap      uint64 `cbor:"cap"`     // total over all receipts of this pledge
	Where    []Cond `cbor:"where"`   // all must hold; empty matches every claim
	Expires  int64  `cbor:"expires"` // unix ms; 0 never
}

// Check validates the pledge's shape.
func (p *Pledge) Check() error {
	if _, _, ok := protocol.ParseMIPRef(p.MIP); !ok {
		return badBody("mip %q is not of the form MIP-XXX@N", p.MIP)
	}
	if !protocol.ValidDistrict(p.District) {
		return badBody("district %q is not a lowercase path", p.District)
	}
	if p.Amount == 0 || p.Amount > MaxAmount {
		return badBody("amount %d outside 1..%d", p.Amount, uint64(MaxAmount))
	}
	if !ValidUnit(p.Unit) {
		return badBody("unit %q is not a unit name", p.Unit)
	}
	if p.Cap < p.Amount || p.Cap > MaxAmount {
		return badBody("cap %d outside amount..%d", p.Cap, uint64(MaxAmount))
	}
	if p.Expires < 0 {
		return badBody("negative expiry")
	}
	if len(p.Where) > MaxWhere {
		return badBody("%d conditions, limit %d", len(p.Where), MaxWhere)
	}
	for _, c := range p.Where {
		if err := c.check(); err != nil {
			return err
		}
	}
	return nil
}

// Live reports whether the pledge still takes proofs at now (unix ms).
func (p *Pledge) Live(now int64) bool { return p.Expires == 0 || now < p.Expires }

// Matches reports whether a claim meets every condition.
func (p *Pledge) Matches(claim map[string]any) bool {
	for _, c := range p.Where {
		if !c.Holds(claim) {
			return false
		}
	}
	return true
}
