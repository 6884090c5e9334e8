package demo

import (
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// views are the pure views a peer derives from the entries it holds.
type views struct {
	ledger *settle.Ledger
	verify *settle.Verification
}

// viewsOf folds every entry in v, forks included, into the views.
func viewsOf(v *vault.Bolt) (views, error) {
	kinds := protocol.DefaultKinds()
	mip.Register(kinds)
	settle.Register(kinds)
	set := settle.NewSet()
	blocks, err := v.Query(vault.Query{})
	if err != nil {
		return views{}, err
	}
	forks, err := v.Forks()
	if err != nil {
		return views{}, err
	}
	for _, f := range forks {
		b, err := v.Get(f.Second)
		if err != nil {
			return views{}, err
		}
		blocks = append(blocks, b)
	}
	for _, b := range blocks {
		set.Insert(settle.Decode(kinds, b))
	}
	return views{
		ledger: settle.Compute(set, nil),
		verify: settle.Verify(set, settle.PolicyOf(mip.Builtins()), nil),
	}, nil
}
