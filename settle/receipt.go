package settle

import (
	"regexp"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Limits of the settlement bodies.
const (
	// MaxAmount bounds every amount, cap and credit limit: 2^53-1, so that
	// amounts survive JSON numbers exactly.
	MaxAmount = 1<<53 - 1
	MaxFor    = 64  // links in one receipt
	MaxMemo   = 256 // bytes of a memo
	MaxWhere  = 16  // conditions in one pledge
	MaxField  = 128 // bytes of a condition's field path
	MaxString = 256 // bytes of a condition's string value
	MaxPeers  = 256 // stewards or verifiers in one district entry
	MaxUnits  = 64  // credit limits in one district entry
)

var unitPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,31}$`)

// ValidUnit reports whether u names a unit: a letter, then up to 31
// letters, digits, '.', '_' or '-' ("USD-cents", "kWh", "credit").
func ValidUnit(u string) bool { return unitPattern.MatchString(u) }

// Receipt is the body of a "receipt" entry: the author (payer) paid Amount
// of Unit to Payee, for the entries linked in For.
type Receipt struct {
	to peer.ID // Payee, set by Check; first, beside Amount and Unit, which the ledger reads with it

	Payee  []byte          `cbor:"payee"`  // peer ID bytes
	Amount uint64          `cbor:"amount"` // integer minor units, 1..MaxAmount
	Unit   string          `cbor:"unit"`
	For    []protocol.Link `cbor:"for"` // what is paid for: proofs, pledges, results
	Memo   string          `cbor:"memo"`
}

// To returns the payee.
func (r *Receipt) To() peer.ID {
	if r.to != "" {
		return r.to
	}
	return peer.ID(r.Payee)
}

// Pays reports whether the receipt's For links c.
func (r *Receipt) Pays(c protocol.Link) bool {
	for _, l := range r.For {
		if l.Cid.Equals(c.Cid) {
			return true
		}
	}
	return false
}

// Check validates the receipt's shape.
func (r *Receipt) Check() error {
	if err := checkPeer("payee", r.Payee); err != nil {
		return err
	}
	if r.Amount == 0 || r.Amount > MaxAmount {
		return badBody("amount %d outside 1..%d", r.Amount, uint64(MaxAmount))
	}
	if !ValidUnit(r.Unit) {
		return badBody("unit %q is not a unit name", r.Unit)
	}
	if len(r.For) > MaxFor {
		return badBody("for has %d links, limit %d", len(r.For), MaxFor)
	}
	if len(r.Memo) > MaxMemo {
		return badBody("memo is %d bytes, limit %d", len(r.Memo), MaxMemo)
	}
	r.to = peer.ID(r.Payee)
	return nil
}

func checkPeer(field string, b []byte) error {
	if _, err := protocol.PublicKey(peer.ID(b)); err != nil {
		return badBody("%s is not an Ed25519 peer ID", field)
	}
	return nil
}
