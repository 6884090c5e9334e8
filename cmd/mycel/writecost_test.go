package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
	"github.com/mesocosm/mycel/vault/vaulttest"
)

const (
	costDistrict = "meso-valley/north"
	costUnit     = "mc"
)

// costNext signs a's next entry in the cost district.
func costNext(t testing.TB, a *vaulttest.Author, kind string, body protocol.Body) protocol.Block {
	t.Helper()
	enc, err := protocol.EncodeBody(body)
	if err != nil {
		t.Fatal(err)
	}
	return a.Next(t, kind, costDistrict, enc)
}

// costProof is a valid MIP-HLT@1 proof body numbered n.
func costProof(n int) *protocol.Proof {
	root := make([]byte, 32)
	copy(root, strconv.Itoa(n))
	return &protocol.Proof{MIP: "MIP-HLT@1", Claim: costClaim(n), Evidence: protocol.Commitment{Root: root, Count: 1}, Period: protocol.Period{Start: 1, End: 2}}
}

func costClaim(n int) map[string]any {
	m, _ := mip.Builtins().Lookup("MIP-HLT@1")
	claim := map[string]any{}
	for k, v := range m.Examples[0] {
		claim[k] = v
	}
	claim["cohort_size"] = int64(200 + n)
	return claim
}

// costHome is a daemon's api.Local over a vault whose own log holds n
// entries (proofs, attestations of a clinic's proofs, receipts to it), in
// a district whose genesis makes the own author a verifier; proof is a
// clinic proof left to attest.
type costHome struct {
	local  *api.Local
	clinic peer.ID
	proof  cid.Cid
}

func newCostHome(t testing.TB, n int) *costHome {
	t.Helper()
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	myID, err := peer.IDFromPrivateKey(v.Key())
	if err != nil {
		t.Fatal(err)
	}
	me, steward, clinic := &vaulttest.Author{Key: v.Key(), ID: myID}, vaulttest.NewAuthor(t), vaulttest.NewAuthor(t)
	g := &settle.District{Name: costDistrict, Stewards: [][]byte{[]byte(steward.ID)}, Verifiers: [][]byte{[]byte(me.ID)}, Limits: map[string]uint64{costUnit: 1 << 40}}
	blocks := []protocol.Block{costNext(t, steward, settle.KindDistrict, g)}
	proof := costNext(t, clinic, protocol.KindProof, costProof(0))
	blocks = append(blocks, proof)
	for i := 0; i < n; i++ {
		switch i % 3 {
		case 0:
			blocks = append(blocks, costNext(t, me, protocol.KindProof, costProof(i)))
		case 1:
			p := costNext(t, clinic, protocol.KindProof, costProof(i))
			blocks = append(blocks, p, costNext(t, me, protocol.KindAttest, &protocol.Attest{Proof: protocol.LinkTo(p.CID), Verdict: protocol.Valid}))
		default:
			blocks = append(blocks, costNext(t, me, protocol.KindReceipt, &settle.Receipt{Payee: []byte(clinic.ID), Amount: 1, Unit: costUnit}))
		}
	}
	for i := 0; i < len(blocks); i += 2000 {
		if _, err := v.Put(blocks[i:min(i+2000, len(blocks))]...); err != nil {
			t.Fatal(err)
		}
	}
	p, err := embed.Start(context.Background(), v, embed.Options{Districts: []string{costDistrict}, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return &costHome{local: p.Local, clinic: clinic.ID, proof: proof.CID}
}

// writeCosts returns the median wall time of rounds writes of each kind
// (publish, attest, pay) through the daemon's API.
func (h *costHome) writeCosts(t testing.TB, rounds int) [3]time.Duration {
	t.Helper()
	ctx := context.Background()
	claim, _ := json.Marshal(costClaim(7))
	ops := [3]func() error{
		func() error {
			_, err := h.local.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: claim, District: costDistrict, NoEvidence: true})
			return err
		},
		func() error {
			_, err := h.local.Attest(ctx, api.AttestRequest{Proof: h.proof.String(), Verdict: "valid"})
			return err
		},
		func() error {
			_, err := h.local.Pay(ctx, api.PayRequest{Payee: h.clinic.String(), Amount: 1, Unit: costUnit, District: costDistrict})
			return err
		},
	}
	var times [3][]time.Duration
	for r := 0; r < rounds; r++ {
		for i, op := range ops {
			t0 := time.Now()
			if err := op(); err != nil {
				t.Fatalf("write %d: %v", i, err)
			}
			times[i] = append(times[i], time.Since(t0))
		}
	}
	var out [3]time.Duration
	for i := range times {
		slices.Sort(times[i])
		out[i] = times[i][len(times[i])/2]
	}
	return out
}

var writeNames = [3]string{"proof publish", "attest", "pay"}

// TestWriteCostFlat: a write through the daemon costs about the same at
// 10,000 own entries as on a fresh home (medians, at most 2x). Proof
// publish and attest used to build a whole snapshot of the views for the
// flagged authors their roster checks need; pay's credit check walked
// every receipt line held.
func TestWriteCostFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-entry vault")
	}
	n := 10_000
	if s, err := strconv.Atoi(os.Getenv("MYCEL_SCALE")); err == nil && s > 0 {
		n = s
	}
	fresh, big := newCostHome(t, 0), newCostHome(t, n)
	fresh.writeCosts(t, 3) // warm both
	big.writeCosts(t, 3)
	f, b := fresh.writeCosts(t, 15), big.writeCosts(t, 15)
	for i := range f {
		ratio := float64(b[i]) / float64(max(f[i], time.Microsecond))
		t.Logf("%s: %v fresh, %v at %d own entries: %.2fx", writeNames[i], f[i], b[i], n, ratio)
		if ratio > 2 && b[i]-f[i] > 2*time.Millisecond {
			t.Errorf("%s costs %v at %d own entries against %v fresh (%.1fx)", writeNames[i], b[i], n, f[i], ratio)
		}
	}
}
