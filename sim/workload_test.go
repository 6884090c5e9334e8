package sim

import (
	"context"
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

const unit = "credit"

// Roles: peer 0 is the steward, 1 and 2 verify, 3 and 4 fund, the rest
// are clinics that publish proofs.
func roleOf(i int) string {
	switch {
	case i == 0:
		return "steward"
	case i <= 2:
		return "verifier"
	case i <= 4:
		return "funder"
	}
	return "clinic"
}

// publish publishes body from p with p's clock; an entry whose Publish
// returns is acknowledged.
func (w *world) publish(p *simPeer, kind string, body protocol.Body) (protocol.Block, bool) {
	if p.node == nil {
		return protocol.Block{}, false
	}
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	e := protocol.Entry{Kind: kind, District: district, Time: time.Now().Add(p.skew).UnixMilli(), Body: enc}
	pub, err := p.node.Publish(ctx, e)
	if err != nil {
		w.logf("peer %d publish %s: %v", p.i, kind, err)
		return protocol.Block{}, false
	}
	b := pub.Block
	w.acked[b.CID] = p.id // stored: gossip may have failed, sync carries it
	if !pub.Sent() {
		w.logf("peer %d publish %s seq %d, not gossiped: %v", p.i, kind, b.Entry.Seq, pub.Unsent)
		return b, true
	}
	w.logf("peer %d publish %s seq %d", p.i, kind, b.Entry.Seq)
	return b, true
}

// genesis publishes the district and the pledges.
func (w *world) genesis() {
	d := &settle.District{Name: district, Limits: map[string]uint64{unit: 1_000_000},
		Stewards: [][]byte{[]byte(w.peers[0].id)}}
	for _, v := range w.peers[1:3] {
		d.Verifiers = append(d.Verifiers, []byte(v.id))
	}
	w.publish(w.peers[0], settle.KindDistrict, d)
	for _, f := range w.peers[3:5] {
		w.publish(f, protocol.KindPledge, &settle.Pledge{
			MIP: "MIP-HLT@1", District: district, Amount: 5, Unit: unit, Cap: 1_000_000,
			Where: []settle.Cond{{Field: "cohort_size", Op: ">=", Value: int64(100)}},
		})
	}
}

// proof publishes a proof from a random clinic.
func (w *world) proof() {
	p := w.peers[5+w.rng.IntN(len(w.peers)-5)]
	if b, ok := w.publish(p, protocol.KindProof, hltProof(len(w.proofs))); ok {
		w.proofs = append(w.proofs, b.CID)
	}
}

// attest has a random verifier attest, valid, a proof its store holds.
func (w *world) attest() {
	v := w.peers[1+w.rng.IntN(2)]
	if len(w.proofs) == 0 {
		return
	}
	c := w.proofs[w.rng.IntN(len(w.proofs))]
	if ok, _ := v.store.Has(c); !ok || w.attested(v.id, c) {
		return
	}
	w.publish(v, protocol.KindAttest, &protocol.Attest{Proof: protocol.LinkTo(c), Verdict: protocol.Valid, Note: "checked"})
}

// attested reports whether v attested c in this run, and marks it.
func (w *world) attested(v peer.ID, c cid.Cid) bool {
	k := string(v) + c.KeyString()
	if w.attests[k] {
		return true
	}
	w.attests[k] = true
	return false
}

// hltProof is a proof under the built-in MIP-HLT@1 example claim, told
// apart by n.
func hltProof(n int) *protocol.Proof {
	m, _ := mip.Builtins().Lookup("MIP-HLT@1")
	claim := map[string]any{}
	for k, v := range m.Examples[0] {
		claim[k] = v
	}
	claim["cohort_size"] = int64(200 + n)
	root := sha256.Sum256(fmt.Append(nil, "evidence", n))
	return &protocol.Proof{
		MIP: "MIP-HLT@1", Claim: claim,
		Evidence: protocol.Commitment{Root: root[:], Count: 1},
		Period:   protocol.Period{Start: 1, End: 2},
	}
}
