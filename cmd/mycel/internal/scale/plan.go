package scale

import (
	"crypto/sha256"
	"encoding/binary"
	"maps"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// The district, unit and MIP of every built home.
const (
	District = "meso-valley/north"
	Unit     = "mc"
	MIP      = "MIP-HLT@1"
	// Limit is the district's credit limit in Unit: no payer in a built
	// home reaches it.
	Limit = 1 << 40
)

// The roles of the authors, by author number i: i%10 == 0 verifies,
// i%10 == 1 funds, the rest are clinics. One proof in 16 is attested, by
// two verifiers (MIP-HLT@1 needs two), and paid for by funders.
type role int

const (
	clinic role = iota
	verifier
	funder
)

func roleOf(i int) role {
	switch i % 10 {
	case 0:
		return verifier
	case 1:
		return funder
	}
	return clinic
}

// attested reports whether clinic i's proof at seq is attested.
func attested(i int, seq uint64) bool { return (uint64(i)+seq)%16 == 0 }

// target is a proof others attest or pay for.
type target struct {
	proof  cid.Cid
	author peer.ID
}

// proofBody is clinic i's proof at seq: a valid MIP-HLT@1 claim, one of
// the MIP's examples with its cohort size varied.
func proofBody(i int, seq uint64) *protocol.Proof {
	m, _ := mip.Builtins().Lookup(MIP)
	claim := maps.Clone(m.Examples[int(seq)%len(m.Examples)])
	claim["cohort_size"] = int64(200 + (i*1000+int(seq))%1_000_000)
	var in [12]byte
	binary.BigEndian.PutUint32(in[:4], uint32(i))
	binary.BigEndian.PutUint64(in[4:], seq)
	root := sha256.Sum256(in[:])
	return &protocol.Proof{MIP: MIP, Claim: claim, Evidence: protocol.Commitment{Root: root[:], Count: 1}, Period: protocol.Period{Start: 1, End: 2}}
}

// genesis is the district entry's body: the steward, the home's own
// identity and the first verifiers (up to settle.MaxPeers), and Limit.
func genesis(steward peer.ID, verifiers []peer.ID) *settle.District {
	d := &settle.District{Name: District, Stewards: [][]byte{[]byte(steward)}, Limits: map[string]uint64{Unit: Limit}}
	for _, v := range verifiers[:min(len(verifiers), settle.MaxPeers)] {
		d.Verifiers = append(d.Verifiers, []byte(v))
	}
	return d
}

func pledgeBody() *settle.Pledge {
	return &settle.Pledge{MIP: MIP, District: District, Amount: 1, Unit: Unit, Cap: 1 << 30}
}

func receiptBody(t target) *settle.Receipt {
	return &settle.Receipt{Payee: []byte(t.author), Amount: 1, Unit: Unit, For: []protocol.Link{protocol.LinkTo(t.proof)}}
}

func attestBody(t target) *protocol.Attest {
	return &protocol.Attest{Proof: protocol.LinkTo(t.proof), Verdict: protocol.Valid, Note: "records checked"}
}
