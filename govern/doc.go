// Package govern is district governance as signed entries and a pure view:
// "proposal" entries propose one change to a district's rules (activate or
// retire a MIP, add or remove a steward or a verifier, set a credit
// limit), "vote" entries say yes or no to a proposal, and the view decides,
// as a function of the set of entries, the pins and the flags alone, which
// proposals are ratified and which rules are in force. The rule is in
// docs/PROTOCOL.md, "Governance" under "Settlement".
package govern
