package govern

import (
	"unicode/utf8"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
	mh "github.com/multiformats/go-multihash"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// Changes a proposal can make.
const (
	Activate       = "activate"        // MIP: the ref counts in the district
	Retire         = "retire"          // MIP: the ref no longer counts
	AddSteward     = "add-steward"     // Peer becomes a steward
	RemoveSteward  = "remove-steward"  // Peer is a steward no more
	AddVerifier    = "add-verifier"    // Peer becomes a verifier
	RemoveVerifier = "remove-verifier" // Peer is a verifier no more
	Limit          = "limit"           // the credit limit of Unit becomes Amount
)

// Proposal is the body of a "proposal" entry: its author proposes exactly
// one change to the rules of the entry's district. Only the fields the
// change uses are set; the others are zero.
type Proposal struct {
	Change string `cbor:"change"` // one of the changes above
	MIP    string `cbor:"mip"`    // Activate, Retire: "MIP-AGR@2"
	Peer   []byte `cbor:"peer"`   // steward and verifier changes: a peer ID
	Unit   string `cbor:"unit"`   // Limit: the unit
	Amount uint64 `cbor:"amount"` // Limit: the new limit, 0..settle.MaxAmount
	Note   string `cbor:"note"`   // at most MaxNote bytes of UTF-8
}

// Who returns the peer a steward or verifier change names.
func (p *Proposal) Who() peer.ID { return peer.ID(p.Peer) }

// Check validates the proposal's shape: a known change with exactly the
// fields it uses.
func (p *Proposal) Check() error {
	if err := checkNote(p.Note); err != nil {
		return err
	}
	mip, who, limit := p.MIP != "", len(p.Peer) > 0, p.Unit != "" || p.Amount != 0
	switch p.Change {
	case Activate, Retire:
		if _, _, ok := protocol.ParseMIPRef(p.MIP); !ok {
			return badBody("%s proposal: mip %q is not of the form MIP-XXX@N", p.Change, p.MIP)
		}
		if who || limit {
			return badBody("%s proposal sets peer, unit or amount: one change per proposal", p.Change)
		}
	case AddSteward, RemoveSteward, AddVerifier, RemoveVerifier:
		if _, err := protocol.PublicKey(p.Who()); err != nil {
			return badBody("%s proposal: peer is not an Ed25519 peer ID", p.Change)
		}
		if mip || limit {
			return badBody("%s proposal sets mip, unit or amount: one change per proposal", p.Change)
		}
	case Limit:
		if !settle.ValidUnit(p.Unit) {
			return badBody("limit proposal: unit %q is not a unit (letters, digits, . _ -, up to 32)", p.Unit)
		}
		if p.Amount > settle.MaxAmount {
			return badBody("limit proposal: amount %d above %d", p.Amount, uint64(settle.MaxAmount))
		}
		if mip || who {
			return badBody("limit proposal sets mip or peer: one change per proposal")
		}
	default:
		return badBody("change %q, want activate, retire, add-steward, remove-steward, add-verifier, remove-verifier or limit", p.Change)
	}
	return nil
}

// Vote is the body of a "vote" entry: its author says yes or no to the
// proposal Proposal links. The author's vote with the highest seq on a
// proposal is its vote.
type Vote struct {
	Proposal protocol.Link `cbor:"proposal"` // a block of the proposal entry
	Yes      bool          `cbor:"yes"`
	Note     string        `cbor:"note"` // at most MaxNote bytes of UTF-8
}

// Check validates the vote's shape.
func (v *Vote) Check() error {
	if !v.Proposal.Defined() {
		return badBody("vote: proposal is missing")
	}
	if p := v.Proposal.Prefix(); p.Version != 1 || p.Codec != cid.DagCBOR || p.MhType != mh.SHA2_256 || p.MhLength != 32 {
		return badBody("vote: proposal %s is not the dag-cbor sha2-256 CIDv1 of an entry", v.Proposal.Cid)
	}
	return checkNote(v.Note)
}

func checkNote(n string) error {
	if len(n) > MaxNote {
		return badBody("note is %d bytes, limit %d", len(n), MaxNote)
	}
	if !utf8.ValidString(n) {
		return badBody("note is not UTF-8")
	}
	return nil
}
