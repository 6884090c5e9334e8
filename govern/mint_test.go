package govern

import (
	"bytes"
	"io"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/protocol/prototest"
	"github.com/mesocosm/mycel/settle"
)

var kinds = func() protocol.Kinds {
	k := protocol.DefaultKinds()
	settle.Register(k)
	Register(k)
	return k
}()

const meso = "meso"

// author signs entries for tests, with a key derived from a seed.
type author struct {
	priv crypto.PrivKey
	id   peer.ID
	seq  uint64
	prev cid.Cid
	at   int64 // the time of the next entry; 0: 1000 + seq
}

func newAuthor(tb testing.TB, seed byte) *author {
	priv, _, err := crypto.GenerateEd25519Key(bytes.NewReader(bytes.Repeat([]byte{seed}, 32)))
	if err != nil {
		tb.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(priv)
	return &author{priv: priv, id: id}
}

// next signs the author's next entry in district d; it fails the test if
// the body does not decode back as a checked body of its kind.
func (a *author) next(tb testing.TB, d, kind string, body protocol.Body) *settle.Record {
	tb.Helper()
	data, err := protocol.EncodeBody(body)
	if err != nil {
		tb.Fatal(err)
	}
	t := a.at
	if t == 0 {
		t = int64(1000 + a.seq)
	}
	b, err := protocol.Sign(a.priv, protocol.Entry{
		Seq: a.seq + 1, Prev: a.prev, Time: t, District: d, Kind: kind, Body: data,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if b, err = protocol.Open(b.Data); err != nil {
		tb.Fatal(err)
	}
	r := settle.Decode(kinds, b)
	if r.Body == nil {
		tb.Fatalf("%s body does not decode", kind)
	}
	a.seq, a.prev = r.ID.Seq, r.CID
	return r
}

// resign returns another block of r's entry (same ID, another CID).
func (a *author) resign(tb testing.TB, r *settle.Record, rnd io.Reader) *settle.Record {
	tb.Helper()
	b, err := prototest.Resign(a.priv, r.Block, rnd)
	if err != nil {
		tb.Fatal(err)
	}
	return settle.Decode(kinds, b)
}

func (a *author) genesis(tb testing.TB, d string, stewards, verifiers []*author, limits map[string]uint64) *settle.Record {
	body := &settle.District{Name: d, Stewards: [][]byte{}, Verifiers: [][]byte{}, Limits: limits}
	for _, s := range stewards {
		body.Stewards = append(body.Stewards, []byte(s.id))
	}
	for _, v := range verifiers {
		body.Verifiers = append(body.Verifiers, []byte(v.id))
	}
	if body.Limits == nil {
		body.Limits = map[string]uint64{}
	}
	return a.next(tb, d, settle.KindDistrict, body)
}

func (a *author) propose(tb testing.TB, d string, p *Proposal) *settle.Record {
	return a.next(tb, d, KindProposal, p)
}

func (a *author) vote(tb testing.TB, prop *settle.Record, yes bool) *settle.Record {
	return a.next(tb, prop.Entry.District, KindVote, &Vote{Proposal: protocol.LinkTo(prop.CID), Yes: yes})
}

func mipChange(change, ref string) *Proposal { return &Proposal{Change: change, MIP: ref} }
func peerChange(change string, who *author) *Proposal {
	return &Proposal{Change: change, Peer: []byte(who.id)}
}

func linkTo(r *settle.Record) protocol.Link { return protocol.LinkTo(r.CID) }

func minCID(rs ...*settle.Record) cid.Cid {
	m := rs[0].CID
	for _, r := range rs[1:] {
		if r.CID.KeyString() < m.KeyString() {
			m = r.CID
		}
	}
	return m
}
