// Package govern is district governance as signed entries and a pure view:
// "proposal" entries propose one change to a district's rules (activate or
// retire a MIP, add or remove a steward or a verifier, set a credit
// limit), "vote" entries say yes or no to a proposal, and the view decides,
// as a function of the set of entries, the pins and the flags alone, which
// proposals are ratified and which rules are in force. The rule is in
// docs/PROTOCOL.md, "Governance" under "Settlement".
//
//	v := govern.New(pins, flags)
//	v.Add(r) // district, proposal and vote records, in any order
//	st, _ := v.Status(p.CID) // st.Yes, st.Threshold, st.Ratified, st.Why
//	rules, _ := v.Rules(d) // the stewards, verifiers, limits and MIPs in force
//
// Example runs a ratification.
package govern
