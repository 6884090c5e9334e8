package gossip

import (
	"crypto/rand"
	"errors"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// TestJudge walks one author's log through the validator's outcomes. The
// replay row is what pubsub's two-minute seen-cache cannot catch: an entry
// already stored is ignored whenever it comes back.
func TestJudge(t *testing.T) {
	v := newVault(t)
	var rejected []Rejection
	g := Attach(nil, Config{Store: put1(v), OnReject: func(r Rejection) { rejected = append(rejected, r) }})
	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(seq uint64, prev protocol.Block, note string) protocol.Block {
		e := attestEntry(t, district, note)
		e.Seq = seq
		if seq > 1 {
			e.Prev = prev.CID
		}
		b, err := protocol.Sign(key, e)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b1 := sign(1, protocol.Block{}, "one")
	b2 := sign(2, b1, "two")
	b3 := sign(3, b2, "three")
	fork := sign(1, protocol.Block{}, "other one")
	other := attestEntry(t, "elsewhere", "x")
	other.Seq = 1
	elsewhere, _ := protocol.Sign(key, other)

	for _, c := range []struct {
		name   string
		data   []byte
		want   protocol.Outcome
		status vault.Status
	}{
		{"new", b1.Data, protocol.Accept, vault.New},
		{"replay", b1.Data, protocol.Ignore, vault.Known},
		{"gap", b3.Data, protocol.Ignore, vault.Pending},
		{"fills gap", b2.Data, protocol.Accept, vault.New},
		{"replay after gap", b3.Data, protocol.Ignore, vault.Known},
		{"fork", fork.Data, protocol.Accept, vault.Equivocation},
		{"wrong district", elsewhere.Data, protocol.Reject, 0},
		{"garbage", []byte{0xff}, protocol.Reject, 0},
	} {
		d, verdict := g.judge(district, c.data)
		if verdict.Outcome != c.want {
			t.Errorf("%s: %s (%v), want %s", c.name, verdict.Outcome, verdict.Reason, c.want)
			continue
		}
		if c.want != protocol.Reject && d.Result.Status != c.status {
			t.Errorf("%s: status %s, want %s", c.name, d.Result.Status, c.status)
		}
	}
	if _, v := g.judge(district, elsewhere.Data); !errors.Is(v.Reason, ErrWrongDistrict) {
		t.Errorf("wrong district reason %v", v.Reason)
	}
	if heads, _ := v.Heads(); len(heads) != 1 || heads[0].Seq != 3 {
		t.Fatalf("heads %+v, want seq 3", heads)
	}
}

func TestTopic(t *testing.T) {
	for _, d := range []string{"", "meso-valley/north", "a"} {
		got, err := District(Topic(d))
		if err != nil || got != d {
			t.Errorf("round trip %q: %q, %v", d, got, err)
		}
	}
	if Topic("") != "/mycel/1/d/_/entries" {
		t.Errorf("global topic %s", Topic(""))
	}
	for _, bad := range []string{"/mycel/1/d//entries", "/ipfs/x", "/mycel/1/d/UP/entries"} {
		if _, err := District(bad); !errors.Is(err, ErrTopic) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
