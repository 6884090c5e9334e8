package govern_test

import (
	"fmt"

	"github.com/mesocosm/mycel/govern"
	"github.com/mesocosm/mycel/internal/entrytest"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// A district of three stewards activates a MIP: the proposal needs more
// than two thirds of them, so two yes votes are not enough and the third
// ratifies it.
func Example() {
	tb := entrytest.PanicTB{}
	k := protocol.DefaultKinds()
	settle.Register(k)
	govern.Register(k)
	s1, s2, s3 := entrytest.NewAuthor(tb, 1), entrytest.NewAuthor(tb, 2), entrytest.NewAuthor(tb, 3)
	const d = "meso-valley/north"

	v := govern.New(nil, nil)
	v.Add(s1.Next(tb, k, settle.KindDistrict, d, 1000, &settle.District{
		Name: d, Stewards: [][]byte{[]byte(s1.ID), []byte(s2.ID), []byte(s3.ID)},
	}))
	p := s1.Next(tb, k, govern.KindProposal, d, 2000, &govern.Proposal{Change: govern.Activate, MIP: "MIP-HLT@1"})
	v.Add(p)
	vote := &govern.Vote{Proposal: protocol.LinkTo(p.CID), Yes: true}
	v.Add(s1.Next(tb, k, govern.KindVote, d, 3000, vote))
	v.Add(s2.Next(tb, k, govern.KindVote, d, 3000, vote))

	st, _ := v.Status(p.CID)
	fmt.Println(len(st.Yes), "of", st.Stewards, "say yes, need", st.Threshold, "- ratified:", st.Ratified, "active:", v.Active(d, "MIP-HLT@1"))

	v.Add(s3.Next(tb, k, govern.KindVote, d, 3000, vote))
	st, _ = v.Status(p.CID)
	rules, _ := v.Rules(d)
	fmt.Println(len(st.Yes), "of", st.Stewards, "say yes - ratified:", st.Ratified, "MIPs:", rules.MIPs)
	// Output:
	// 2 of 3 say yes, need 3 - ratified: false active: false
	// 3 of 3 say yes - ratified: true MIPs: [MIP-HLT@1]
}
