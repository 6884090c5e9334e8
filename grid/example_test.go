package grid_test

import (
	"crypto/ed25519"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/grid"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// signer signs one author's log with a fixed key, so the example is
// stable; real keys come from the vault.
type signer struct {
	priv crypto.PrivKey
	seq  uint64
}

func (s *signer) sign(k protocol.Kinds, kind string, body protocol.Body) *settle.Record {
	data, err := protocol.EncodeBody(body)
	if err != nil {
		panic(err)
	}
	s.seq++
	var prev protocol.Link
	if s.seq > 1 {
		prev = protocol.LinkTo(protocol.Sum([]byte("previous entry"))) // views do not read prev
	}
	b, err := protocol.Sign(s.priv, protocol.Entry{Seq: s.seq, Prev: prev.Cid, Time: 1700000000000, Kind: kind, Body: data})
	if err != nil {
		panic(err)
	}
	return settle.Decode(k, b)
}

func newSigner(seed byte) *signer {
	priv, _ := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(append(make([]byte, 31), seed)))
	return &signer{priv: priv}
}

// Three providers run a job with k = 3; one lies. The two that agree
// verify it and are owed their price; the liar is flagged and unpaid.
func Example() {
	k := protocol.DefaultKinds()
	settle.Register(k)
	grid.Register(k)
	requester, honest1, honest2, liar := newSigner(1), newSigner(2), newSigner(3), newSigner(4)

	v := grid.NewView()
	for _, p := range []*signer{honest1, honest2, liar} {
		v.Add(p.sign(k, grid.KindOffer, &grid.Offer{
			Runtime: grid.Runtime, MemoryMiB: 256, MaxSeconds: 30, Price: 2, Unit: "credit",
		}))
	}
	job := requester.sign(k, grid.KindJob, &grid.Job{
		Module: protocol.LinkTo(grid.BytesCID([]byte("\x00asm..."))), Input: protocol.LinkTo(grid.BytesCID([]byte("21"))),
		MemoryMiB: 64, MaxSeconds: 10, Replicas: 3, MaxPrice: 5, Unit: "credit",
	})
	v.Add(job)
	for p, out := range map[*signer]string{honest1: "42", honest2: "42", liar: "43"} {
		v.Add(p.sign(k, grid.KindResult, &grid.Result{
			Job: protocol.LinkTo(job.CID), Output: protocol.LinkTo(grid.BytesCID([]byte(out))), OutputSize: 2,
		}))
	}

	st, _ := v.Status(job.CID)
	fmt.Println(st.State, len(st.Majority), "agree,", len(st.Flagged()), "flagged")
	fmt.Println(st.Output.Equals(grid.BytesCID([]byte("42"))))
	due := grid.Due(v, job.Author())
	fmt.Println(len(due), "payments of", due[0].Amount, due[0].Unit)
	// Output:
	// verified 2 agree, 1 flagged
	// true
	// 2 payments of 2 credit
}
