package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// Views is what Local reads for settlement: the node's live views in the
// daemon (*node.Views), or views computed from the vault without one.
type Views interface {
	Status(c cid.Cid) (settle.Status, bool)
	Balances() []settle.Balance
	Lines() []settle.Line
	Digest() [32]byte
	Flags() []peer.ID
}

// Written describes an entry a settlement command appended: its log row
// and whether it went out to the mesh.
type Written struct {
	LogEntry
	Sent bool `json:"sent"` // false: stored only, no daemon was running
}

// AttestRequest is the body of POST /v1/attest.
type AttestRequest struct {
	Proof   string `json:"proof"`
	Verdict string `json:"verdict"` // valid | invalid
	Note    string `json:"note"`
	// Anyway signs the attestation even when it would not count (this
	// peer is not a verifier of the proof's district); without it Attest
	// refuses with the reason.
	Anyway bool `json:"anyway"`
}

// Attest appends a verifier's verdict on a proof held in the vault, in
// the proof's district.
func (l *Local) Attest(ctx context.Context, req AttestRequest) (Written, error) {
	c, err := ParseCID(req.Proof)
	if err != nil {
		return Written{}, err
	}
	b, err := l.Vault.Get(c)
	switch {
	case errors.Is(err, vault.ErrNotFound):
		return Written{}, notFound("no proof %s in the vault: sync or import it first", c)
	case err != nil:
		return Written{}, fmt.Errorf("get %s: %w", c, err)
	case b.Entry.Kind != protocol.KindProof:
		return Written{}, notFound("%s is a %s entry, not a proof: attest the proof's CID (mycel proofs)", c, b.Entry.Kind)
	}
	if b.Entry.Author == l.Vault.ID() {
		return Written{}, badInput("proof %s is your own: your attestation would not count", c)
	}
	if !req.Anyway {
		if err := l.mayAttest(l.Vault.ID(), b.Entry.District); err != nil {
			return Written{}, err
		}
	}
	body := &protocol.Attest{Proof: protocol.LinkTo(c), Verdict: req.Verdict, Note: req.Note}
	return l.write(ctx, protocol.KindAttest, b.Entry.District, body)
}

// write checks body, then appends it as kind in district: through the
// mesh with a daemon, to the vault alone without. Nothing is written when
// the check fails.
func (l *Local) write(ctx context.Context, kind, district string, body protocol.Body) (Written, error) {
	if !protocol.ValidDistrict(district) {
		return Written{}, badInput("district %q is not a lowercase path like meso-valley/north", district)
	}
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		return Written{}, badInput("%s: %v", kind, err)
	}
	e := protocol.Entry{Kind: kind, District: district, Time: l.now().UnixMilli(), Body: enc}
	var b protocol.Block
	if l.Mesh != nil {
		b, err = l.Mesh.Publish(ctx, e)
	} else {
		b, err = l.append(e)
	}
	if err != nil {
		return Written{}, fmt.Errorf("%s: %w", kind, err)
	}
	return Written{LogEntry: logEntry(b), Sent: l.Mesh != nil}, nil
}

// PayRequest is the body of POST /v1/receipts.
type PayRequest struct {
	Payee    string   `json:"payee"` // peer ID or did:key
	Amount   uint64   `json:"amount"`
	Unit     string   `json:"unit"`
	For      []string `json:"for"` // CIDs paid for
	Memo     string   `json:"memo"`
	District string   `json:"district"`
	// AllowUncovered signs a receipt beyond the payer's credit limit, which
	// the ledger will not cover until income backs it; without it Pay
	// refuses one.
	AllowUncovered bool `json:"allow_uncovered"`
}

// Pay appends a receipt: this peer paid Amount of Unit to Payee. A
// payment the payer's covered balance and the district's credit limit do
// not back is refused unless AllowUncovered.
func (l *Local) Pay(ctx context.Context, req PayRequest) (Written, error) {
	to, err := protocol.ParsePeer(req.Payee)
	if err != nil {
		return Written{}, badInput("payee: %v", err)
	}
	if to == l.Vault.ID() {
		return Written{}, badInput("payee is this peer: a receipt to yourself moves nothing")
	}
	rc := &settle.Receipt{Payee: []byte(to), Amount: req.Amount, Unit: req.Unit, Memo: req.Memo}
	for _, s := range req.For {
		c, err := ParseCID(s)
		if err != nil {
			return Written{}, err
		}
		rc.For = append(rc.For, protocol.LinkTo(c))
	}
	if err := rc.Check(); err != nil {
		return Written{}, badInput("%s: %v", protocol.KindReceipt, err)
	}
	if !req.AllowUncovered {
		if err := l.coverCheck(l.Vault.ID(), req.District, req.Unit, req.Amount); err != nil {
			return Written{}, err
		}
	}
	return l.write(ctx, protocol.KindReceipt, req.District, rc)
}

// PledgeRequest is the body of POST /v1/pledges. Where holds conditions
// like "cohort_size>=100" or "measure=hba1c" (see ParseCond).
type PledgeRequest struct {
	MIP      string    `json:"mip"`
	Amount   uint64    `json:"amount"`
	Unit     string    `json:"unit"`
	Cap      uint64    `json:"cap"`
	Where    []string  `json:"where"`
	Expires  time.Time `json:"expires,omitzero"` // zero: never
	District string    `json:"district"`
	// Anyway writes into a district whose name is a near miss of a held
	// one (see PublishRequest.Anyway).
	Anyway bool `json:"anyway"`
}

// Pledge appends a standing promise to pay for verified proofs. The MIP
// must be known to this peer, and every condition must name a field of
// its claim schema with a value of the field's type (see conds).
func (l *Local) Pledge(ctx context.Context, req PledgeRequest) (Written, error) {
	if _, _, ok := protocol.ParseMIPRef(req.MIP); !ok || !l.knows(req.MIP) {
		return Written{}, badInput("MIP %q is not known here: name one of mycel mip list, with its version (MIP-HLT@1)", req.MIP)
	}
	if !req.Anyway {
		if err := l.likelyTypo(req.District); err != nil {
			return Written{}, err
		}
	}
	p := &settle.Pledge{MIP: req.MIP, District: req.District, Amount: req.Amount, Unit: req.Unit, Cap: req.Cap}
	var err error
	if p.Where, err = conds(l.Registry, req.MIP, req.Where); err != nil {
		return Written{}, err
	}
	if !req.Expires.IsZero() {
		if !req.Expires.After(l.now()) {
			return Written{}, badInput("expiry %s is in the past", req.Expires.Format(time.RFC3339))
		}
		p.Expires = req.Expires.UnixMilli()
	}
	return l.write(ctx, protocol.KindPledge, req.District, p)
}

func (l *Local) knows(ref string) bool {
	if l.Registry == nil {
		return false
	}
	_, ok := l.Registry.Lookup(ref)
	return ok
}
