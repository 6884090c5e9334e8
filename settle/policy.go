package settle

import "github.com/mesocosm/mycel/mip"

// Lookup is the part of a MIP registry the verification view uses;
// *mip.Registry has it.
type Lookup interface {
	Lookup(ref string) (mip.MIP, bool)
}

// PolicyOf returns the policy of the MIPs in reg: K is the MIP's
// Policy.Attestations.
func PolicyOf(reg Lookup) Policy {
	return func(ref string) (int, bool) {
		m, ok := reg.Lookup(ref)
		return m.Policy.Attestations, ok
	}
}
