package settle

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"slices"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Balance is one line of the balance view.
type Balance struct {
	Account peer.ID
	Unit    string
	Balance int64
}

// Balances lists every (account, unit) that a counted receipt touched,
// by account bytes then unit.
func (l *Ledger) Balances() []Balance {
	l.fresh()
	var out []Balance
	for id, p := range byPeer[*party](l.ps).all() {
		for _, a := range p.units {
			out = append(out, Balance{id, a.unit, a.bal})
		}
	}
	slices.SortFunc(out, func(a, b Balance) int {
		if c := strings.Compare(string(a.Account), string(b.Account)); c != 0 {
			return c
		}
		return cmp.Compare(a.Unit, b.Unit)
	})
	return out
}

// Line is one receipt as the ledger sees it. ID identifies it on every
// replica; CID is the block this set keeps of it (the smallest held), which
// another replica holding another block of the same entry names otherwise.
type Line struct {
	ID       protocol.ID
	CID      cid.Cid
	Payer    peer.ID
	Seq      uint64
	Payee    peer.ID
	Amount   uint64
	Unit     string
	District string
	For      []cid.Cid
	Memo     string
	Counted  bool // the payer is unflagged: the receipt is in the balances
	Covered  bool
}

// Lines lists every well-formed receipt in the set in canonical order
// (payer bytes, seq, digest), flagged payers' too.
func (l *Ledger) Lines() []Line {
	l.fresh()
	var out []Line
	for _, r := range l.set.Records() {
		rc, ok := r.Receipt()
		if !ok {
			continue
		}
		ln := Line{
			ID: r.ID, CID: r.CID, Payer: r.Author(), Seq: r.ID.Seq, Payee: rc.To(),
			Amount: rc.Amount, Unit: rc.Unit, District: r.Entry.District, Memo: rc.Memo,
			Counted: !l.flags[r.Author()], Covered: l.Covered(r.Author(), r.ID.Seq),
		}
		for _, f := range rc.For {
			ln.For = append(ln.For, f.Cid)
		}
		out = append(out, ln)
	}
	return out
}

// digestDoc is the canonical document the ledger digest hashes.
type digestDoc struct {
	V        int             `cbor:"v"`
	Balances []digestBalance `cbor:"balances"`
	Covered  [][]byte        `cbor:"covered"`
	Flags    [][]byte        `cbor:"flags"`
}

type digestBalance struct {
	Account []byte `cbor:"account"`
	Unit    string `cbor:"unit"`
	Balance int64  `cbor:"balance"`
}

// Digest returns sha2-256 of the canonical DAG-CBOR encoding of
// {v: 1, balances: [{account, unit, balance}] in Balances order,
// covered: [payload digests of covered receipts] by bytes, flags: [peer
// ID bytes] by bytes}: equal on every replica that holds the same entry
// identities, whichever block of each it holds.
func (l *Ledger) Digest() [32]byte {
	l.fresh()
	doc := digestDoc{V: 1}
	for _, b := range l.Balances() {
		doc.Balances = append(doc.Balances, digestBalance{[]byte(b.Account), b.Unit, b.Balance})
	}
	l.set.Each(func(r *Record) {
		if _, ok := r.Receipt(); ok && l.Covered(r.Author(), r.ID.Seq) && l.isHead(r) {
			doc.Covered = append(doc.Covered, r.ID.Digest[:])
		}
	})
	slices.SortFunc(doc.Covered, bytes.Compare)
	for _, f := range l.Flags() {
		doc.Flags = append(doc.Flags, []byte(f))
	}
	data, err := protocol.Marshal(doc)
	if err != nil {
		panic(err) // the document holds only encodable values
	}
	return sha256.Sum256(data)
}

// isHead reports whether r is the first entry of its slot (forked authors
// are flagged and have nothing covered, so this only guards the rule).
func (l *Ledger) isHead(r *Record) bool {
	return l.set.log(r.Author()).first(r.ID.Seq) == r
}
