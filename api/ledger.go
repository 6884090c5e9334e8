package api

import (
	"context"
	"encoding/hex"
)

// views returns the settlement views, or ErrOffline when Local has none.
func (l *Local) views() (Views, error) {
	if l.Settlement == nil {
		return nil, ErrOffline
	}
	return l.Settlement()
}

// Attestation is one attestation in a proof's status.
type Attestation struct {
	CID      string `json:"cid"`
	Verifier string `json:"verifier"`
	Verdict  string `json:"verdict"`
	Note     string `json:"note"`
	Counted  bool   `json:"counted"`
	Why      string `json:"why"` // empty when counted
}

// ProofStatus is the answer of `mycel proof status`.
type ProofStatus struct {
	CID          string        `json:"cid"`
	Author       string        `json:"author"`
	MIP          string        `json:"mip"`
	District     string        `json:"district"`
	K            int           `json:"k"` // valid attestations the MIP's policy needs
	KnownPolicy  bool          `json:"known_policy"`
	InForce      bool          `json:"in_force"` // the district counts the MIP (built in and not retired by vote, or activated by vote)
	Flagged      bool          `json:"flagged"`  // the author equivocated: never verified
	Valid        int           `json:"valid"`    // counted valid attestations
	Verified     bool          `json:"verified"`
	Attestations []Attestation `json:"attestations"`
}

// ProofStatus returns the verification status of a proof held.
func (l *Local) ProofStatus(_ context.Context, proof string) (ProofStatus, error) {
	c, err := ParseCID(proof)
	if err != nil {
		return ProofStatus{}, err
	}
	v, err := l.views()
	if err != nil {
		return ProofStatus{}, err
	}
	st, ok := v.Status(c)
	if !ok {
		return ProofStatus{}, notFound("no proof %s in the vault", c)
	}
	out := ProofStatus{
		CID: c.String(), Author: st.Author.String(), MIP: st.MIP, District: st.District, K: st.K,
		KnownPolicy: st.Known, InForce: st.InForce, Flagged: st.Flagged, Valid: st.Valid, Verified: st.Verified,
		Attestations: []Attestation{},
	}
	for _, a := range st.Attestations {
		out.Attestations = append(out.Attestations, Attestation{
			CID: a.CID.String(), Verifier: a.Verifier.String(), Verdict: a.Verdict,
			Note: a.Note, Counted: a.Counted, Why: a.Why,
		})
	}
	return out, nil
}

// Balance is one row of `mycel balance`. Balance = Covered + Uncovered:
// Uncovered is what the account received in receipts the ledger does not
// cover (yet): promises beyond their payers' credit limits, not money.
type Balance struct {
	Account   string `json:"account"`
	Unit      string `json:"unit"`
	Balance   int64  `json:"balance"`
	Covered   int64  `json:"covered"`   // the balance without uncovered income
	Uncovered uint64 `json:"uncovered"` // received in counted receipts not covered
}

// Balances lists the mutual-credit balance of every (account, unit), with
// its covered and uncovered parts.
func (l *Local) Balances(context.Context) ([]Balance, error) {
	v, err := l.views()
	if err != nil {
		return nil, err
	}
	type key struct{ acct, unit string }
	unc := map[key]uint64{}
	for _, ln := range v.Lines() {
		if ln.Counted && !ln.Covered {
			unc[key{ln.Payee.String(), ln.Unit}] += ln.Amount
		}
	}
	out := []Balance{}
	for _, b := range v.Balances() {
		u := unc[key{b.Account.String(), b.Unit}]
		out = append(out, Balance{b.Account.String(), b.Unit, b.Balance, b.Balance - int64(u), u})
	}
	return out, nil
}

// Receipt is one row of `mycel receipts`.
type Receipt struct {
	CID      string   `json:"cid"`
	Payer    string   `json:"payer"`
	Seq      uint64   `json:"seq"`
	Payee    string   `json:"payee"`
	Amount   uint64   `json:"amount"`
	Unit     string   `json:"unit"`
	District string   `json:"district"`
	For      []string `json:"for"`
	Memo     string   `json:"memo"`
	Counted  bool     `json:"counted"` // the payer is not flagged
	Covered  bool     `json:"covered"`
}

// Receipts lists every receipt held, by payer and seq.
func (l *Local) Receipts(context.Context) ([]Receipt, error) {
	v, err := l.views()
	if err != nil {
		return nil, err
	}
	out := []Receipt{}
	for _, ln := range v.Lines() {
		r := Receipt{
			CID: ln.CID.String(), Payer: ln.Payer.String(), Seq: ln.Seq, Payee: ln.Payee.String(),
			Amount: ln.Amount, Unit: ln.Unit, District: ln.District, Memo: ln.Memo,
			Counted: ln.Counted, Covered: ln.Covered, For: []string{},
		}
		for _, f := range ln.For {
			r.For = append(r.For, f.String())
		}
		out = append(out, r)
	}
	return out, nil
}

// Account is one (account, unit) of the ledger.
type Account struct {
	Account   string `json:"account"`
	Unit      string `json:"unit"`
	Balance   int64  `json:"balance"`
	Received  uint64 `json:"received"`  // counted receipts paying the account
	Sent      uint64 `json:"sent"`      // counted receipts it paid
	Uncovered uint64 `json:"uncovered"` // of Sent, what coverage does not back yet
}

// Ledger is the answer of `mycel ledger`.
type Ledger struct {
	Digest   string    `json:"digest"` // hex sha2-256, equal on replicas with the same entries
	Accounts []Account `json:"accounts"`
	Flagged  []string  `json:"flagged"`
}

// Ledger returns the ledger per account and unit, its digest and flags.
func (l *Local) Ledger(context.Context) (Ledger, error) {
	v, err := l.views()
	if err != nil {
		return Ledger{}, err
	}
	d := v.Digest()
	out := Ledger{Digest: hex.EncodeToString(d[:]), Accounts: []Account{}, Flagged: []string{}}
	type key struct{ acct, unit string }
	flows := map[key]*Account{}
	for _, ln := range v.Lines() {
		if !ln.Counted {
			continue
		}
		flow(flows, key{ln.Payee.String(), ln.Unit}).Received += ln.Amount
		from := flow(flows, key{ln.Payer.String(), ln.Unit})
		from.Sent += ln.Amount
		if !ln.Covered {
			from.Uncovered += ln.Amount
		}
	}
	for _, b := range v.Balances() {
		a := flow(flows, key{b.Account.String(), b.Unit})
		a.Account, a.Unit, a.Balance = b.Account.String(), b.Unit, b.Balance
		out.Accounts = append(out.Accounts, *a)
	}
	for _, f := range v.Flags() {
		out.Flagged = append(out.Flagged, f.String())
	}
	return out, nil
}

func flow[K comparable](m map[K]*Account, k K) *Account {
	if a := m[k]; a != nil {
		return a
	}
	a := &Account{}
	m[k] = a
	return a
}
