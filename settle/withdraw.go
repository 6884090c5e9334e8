package settle

import (
	"slices"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// KindWithdraw is the kind of an entry that ends a pledge.
const KindWithdraw = "withdraw"

// Withdraw is the body of a "withdraw" entry: its author ends the pledge
// Pledge links. It counts only in the log of the pledge's own author and
// only after the pledge (at a higher seq), which every withdraw of a
// pledge the author holds is: a withdraw names the pledge's CID, so it
// can only be signed once the pledge exists. From then on the pledge
// takes no proofs: no receipt under it is due at any seq of its author's
// log after the withdraw (see Plan). Receipts the author issued under it
// before the withdraw stay paid. A withdraw by anyone else ends nothing.
type Withdraw struct {
	Pledge protocol.Link `cbor:"pledge"`
	Reason string        `cbor:"reason"` // at most MaxMemo bytes; may be empty
}

// Check validates the withdraw's shape.
func (w *Withdraw) Check() error {
	if !w.Pledge.Defined() {
		return badBody("withdraw names no pledge")
	}
	if len(w.Reason) > MaxMemo {
		return badBody("reason is %d bytes, limit %d", len(w.Reason), MaxMemo)
	}
	return nil
}

// Ended reports whether pledger's log in s holds a withdraw of the pledge
// with CID c after it: the settler asks just before it appends a receipt
// planned earlier, so that a withdraw written meanwhile is honoured.
func Ended(s *Set, pledger peer.ID, c cid.Cid) bool {
	pledges, _ := ownLog(pledger, s)
	c = s.keptCID(c)
	return slices.ContainsFunc(pledges, func(p Pledged) bool { return p.CID == c && p.Withdrawn })
}
