package mip_test

import (
	"crypto/ed25519"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/protocol"
)

func ExampleRegistry_CheckClaim() {
	r := mip.Builtins()
	claim, err := mip.ClaimFromJSON([]byte(`{
		"cohort_size": 0, "measure": "hba1c", "unit": "mmol_mol",
		"baseline_x10": 685, "outcome_x10": 583, "period_days": 180,
		"method": "pre_post_cohort"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.CheckClaim("MIP-HLT@1", claim))
	// Output: claim field "/cohort_size": must be >= 1, got 0
}

func ExampleClaimFromJSON() {
	_, err := mip.ClaimFromJSON([]byte(`{"baseline_x10": 68.5}`))
	fmt.Println(err)
	// Output: claim field "/baseline_x10": 68.5 is not an integer: floats are not allowed, give the value in the field's scaled unit (e.g. tenths for _x10, basis points for _bp)
}

func ExampleRegistry_List() {
	for _, m := range mip.Builtins().List() {
		fmt.Printf("%s %d %s\n", m.Ref(), m.Policy.Attestations, m.Title)
	}
	// Output:
	// MIP-AGR@1 2 Crop yield after a farming practice
	// MIP-BLD@1 2 Building energy and envelope performance
	// MIP-CAP@1 2 Robot capability on a benchmark task
	// MIP-EDU@1 2 Learning outcome in a group of learners
	// MIP-ENR@1 1 Metered clean energy delivered
	// MIP-HLT@1 2 Health outcome in a patient cohort
	// MIP-MFG@1 1 Production run with quality result
	// MIP-SCM@1 1 Shipments delivered on a lane
}

func ExampleRegistry_Lookup() {
	r := mip.Builtins()
	m, ok := r.Lookup("MIP-ENR") // bare id: the latest version
	fmt.Println(m.Ref(), ok)
	_, ok = r.Lookup("MIP-ENR@9")
	fmt.Println(ok)
	// Output:
	// MIP-ENR@1 true
	// false
}

func ExampleRegistry_Add() {
	r := mip.New()
	err := r.Add(mip.MIP{
		ID: "MIP-WTR", Version: 1, Title: "Safe water delivered",
		Schema: []byte(`{"type": "object", "additionalProperties": false, "required": ["litres"],
			"properties": {"litres": {"type": "integer", "minimum": 1}}}`),
		Policy:   mip.Policy{Attestations: 2},
		Examples: []map[string]any{{"litres": int64(12000)}},
	})
	fmt.Println(err, r.CheckClaim("MIP-WTR@1", map[string]any{"litres": uint64(0)}))
	// Output: <nil> claim field "/litres": must be >= 1, got 0
}

// A proof names a MIP this peer has not seen: it is ignored, to be judged
// again. Once the MIP's own entry is checked and loaded, the proof is
// accepted.
func ExampleChecker() {
	sign := func(seed byte, kind string, body any) []byte { // each the first entry of its author
		key, _ := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(append(make([]byte, 31), seed)))
		data, err := protocol.Marshal(body)
		if err != nil {
			panic(err)
		}
		b, err := protocol.Sign(key, protocol.Entry{Seq: 1, Kind: kind, District: "meso-valley/north", Body: data})
		if err != nil {
			panic(err)
		}
		return b.Data
	}
	wtr := mip.MIP{
		ID: "MIP-WTR", Version: 1, Title: "Safe water delivered",
		Schema: []byte(`{"type": "object", "additionalProperties": false, "required": ["litres"],
			"properties": {"litres": {"type": "integer", "minimum": 1}}}`),
		Policy:   mip.Policy{Attestations: 2},
		Examples: []map[string]any{{"litres": int64(12000)}},
	}
	proof := sign(1, protocol.KindProof, &protocol.Proof{
		MIP: "MIP-WTR@1", Claim: map[string]any{"litres": 9000},
		Evidence: protocol.Commitment{Root: make([]byte, 32), Count: 1}, Period: protocol.Period{Start: 1, End: 2},
	})

	r := mip.Builtins()
	kinds := protocol.DefaultKinds()
	mip.Register(kinds) // the "mip" kind
	c := mip.Checker{Kinds: kinds, MIPs: r}
	_, verdict := c.CheckBytes(proof)
	fmt.Println("proof:", verdict.Outcome, verdict.Reason)

	data := sign(2, protocol.KindMIP, mip.DocOf(wtr))
	b, verdict := c.CheckBytes(data) // Accept, Reject or Ignore, with a reason
	if verdict.Outcome == protocol.Accept && b.Entry.Kind == protocol.KindMIP {
		_ = r.Load(b) // a newly published MIP
	}
	_, verdict = c.CheckBytes(proof)
	fmt.Println("proof:", verdict.Outcome, verdict.Reason)
	// Output:
	// proof: ignore unknown MIP: MIP-WTR@1
	// proof: accept <nil>
}
