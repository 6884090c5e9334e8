package api

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/protocol"
)

const hltClaim = `{"cohort_size": 240, "measure": "hba1c", "unit": "mmol_mol", "baseline_x10": 685,
 "outcome_x10": 583, "period_days": 180, "method": "pre_post_cohort"}`

func TestPublishThroughAPI(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	ev, err := f.client.AddEvidence(ctx, []byte("lab results, 240 patients"), "labs.csv")
	if err != nil {
		t.Fatal(err)
	}
	ev2, _ := f.client.AddEvidence(ctx, []byte("chart review"), "charts")
	list, err := f.client.Evidence(ctx)
	if err != nil || len(list) != 2 || list[0].Label+list[1].Label != "labs.csvcharts" && list[0].Label+list[1].Label != "chartslabs.csv" {
		t.Fatalf("evidence list %v %v", list, err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	pub, err := f.client.Publish(ctx, PublishRequest{
		MIP: "MIP-HLT@1", Claim: json.RawMessage(hltClaim), Evidence: []string{ev.ID, ev2.ID},
		District: "meso-valley/north", PeriodStart: start, PeriodEnd: start.AddDate(0, 6, 0),
	})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Seq != 1 || pub.EvidenceCount != 2 || pub.Sent {
		t.Fatalf("published %+v", pub)
	}
	var l1, l2 [32]byte
	hex.Decode(l1[:], []byte(ev.Leaf))
	hex.Decode(l2[:], []byte(ev2.Leaf))
	root := protocol.Root([][32]byte{l1, l2})
	if pub.EvidenceRoot != hex.EncodeToString(root[:]) {
		t.Fatalf("root %s, want %x", pub.EvidenceRoot, root)
	}

	page, err := f.client.Proofs(ctx, ProofQuery{MIP: "MIP-HLT", District: "meso-valley/north"})
	proofs := page.Proofs
	if err != nil || len(proofs) != 1 || proofs[0].CID != pub.CID || proofs[0].Verified {
		t.Fatalf("proofs %+v %v", proofs, err)
	}
	if proofs[0].Claim["measure"] != "hba1c" {
		t.Fatalf("claim %v", proofs[0].Claim)
	}
	if none, _ := f.client.Proofs(ctx, ProofQuery{District: "elsewhere"}); len(none.Proofs) != 0 || none.Next != "" {
		t.Fatalf("district filter: %v", none)
	}
	logPage, err := f.client.Log(ctx, LogQuery{Author: pub.Author})
	log := logPage.Entries
	if err != nil || len(log) != 1 || log[0].Kind != "proof" || log[0].Seq != 1 {
		t.Fatalf("log %+v %v", log, err)
	}
	c, _ := ParseCID(pub.CID)
	data, err := f.client.Block(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := protocol.OpenCID(c, data)
	if err != nil || b.Entry.District != "meso-valley/north" {
		t.Fatalf("block: %v", err)
	}
}

func TestPublishRejectsBadInput(t *testing.T) {
	f := newFixture(t)
	ev, _ := f.client.AddEvidence(t.Context(), []byte("x"), "x")
	good := PublishRequest{MIP: "MIP-HLT@1", Claim: json.RawMessage(hltClaim), Evidence: []string{ev.ID}}
	cases := []struct {
		name string
		edit func(*PublishRequest)
		want string
	}{
		{"unknown mip", func(r *PublishRequest) { r.MIP = "MIP-XYZ@1" }, "unknown MIP MIP-XYZ@1"},
		{"malformed mip", func(r *PublishRequest) { r.MIP = "hlt" }, `MIP "hlt" is not of the form`},
		{"no claim", func(r *PublishRequest) { r.Claim = nil }, "no claim"},
		{"not json", func(r *PublishRequest) { r.Claim = json.RawMessage(`"x"`) }, "JSON object"},
		{"schema", func(r *PublishRequest) {
			r.Claim = json.RawMessage(strings.Replace(hltClaim, `"cohort_size": 240`, `"cohort_size": 0`, 1))
		}, "/cohort_size"},
		{"missing field", func(r *PublishRequest) {
			r.Claim = json.RawMessage(strings.Replace(hltClaim, `"method": "pre_post_cohort"`, `"assay": "lab"`, 1))
		}, "method"},
		{"float", func(r *PublishRequest) {
			r.Claim = json.RawMessage(strings.Replace(hltClaim, `685`, `68.5`, 1))
		}, "/baseline_x10"},
		{"unknown evidence", func(r *PublishRequest) { r.Evidence = []string{"0011223344556677"} }, "evidence 0011223344556677 is not in the vault"},
		{"twice", func(r *PublishRequest) { r.Evidence = []string{ev.ID, ev.ID} }, "named twice"},
		{"district", func(r *PublishRequest) { r.District = "Meso Valley" }, "district"},
		{"period", func(r *PublishRequest) {
			r.PeriodStart, r.PeriodEnd = time.Unix(100, 0), time.Unix(50, 0)
		}, "after its end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := good
			c.edit(&req)
			_, err := f.client.Publish(t.Context(), req)
			if !errors.Is(err, ErrBadInput) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want bad input with %q", err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
		})
	}
	if h, _ := f.vault.Head(f.vault.ID()); h.Seq != 0 {
		t.Fatalf("rejected publishes wrote seq %d", h.Seq)
	}
}

func TestMeshAndOffline(t *testing.T) {
	l, v := newLocal(t)
	ctx := t.Context()
	if _, err := l.Status(ctx); !errors.Is(err, ErrOffline) {
		t.Fatalf("status offline: %v", err)
	}
	addr := "/ip4/127.0.0.1/tcp/4811/p2p/" + v.ID().String()
	if _, err := l.Connect(ctx, addr); !errors.Is(err, ErrOffline) {
		t.Fatalf("connect offline: %v", err)
	}
	m := &fakeMesh{v: v}
	l.Mesh = m
	c := NewClient(serve(t, l), testToken)
	for _, bad := range []string{"/ip4/1.2.3.4/tcp/1", "not-an-addr", "/ip4/999.0.0.1/tcp/1"} {
		if _, err := c.Connect(ctx, bad); !errors.Is(err, ErrBadInput) {
			t.Errorf("connect %q: %v", bad, err)
		}
	}
	if _, err := c.Connect(ctx, addr); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx)
	if err != nil || st.Self.Reachability != ReachPrivate || len(st.Peers) != 1 || st.Peers[0].Connection != ConnDirect {
		t.Fatalf("status %+v %v", st, err)
	}
	id, _ := c.Identity(ctx)
	if len(id.Addrs) != 1 || !strings.HasSuffix(id.Addrs[0], "/p2p/"+id.PeerID) || !strings.HasPrefix(id.DID, "did:key:z") {
		t.Fatalf("identity %+v", id)
	}
	pub, err := c.Publish(ctx, PublishRequest{MIP: "MIP-HLT@1", Claim: json.RawMessage(hltClaim), NoEvidence: true})
	if err != nil || !pub.Sent || len(m.sent) != 1 || m.sent[0].CID.String() != pub.CID {
		t.Fatalf("publish through mesh: %+v %v", pub, err)
	}
}

func TestVerifiedSeam(t *testing.T) {
	l, _ := newLocal(t)
	pub, err := l.Publish(t.Context(), PublishRequest{MIP: "MIP-HLT@1", Claim: json.RawMessage(hltClaim), NoEvidence: true})
	if err != nil {
		t.Fatal(err)
	}
	l.Verified = func(b protocol.Block) bool { return b.CID.String() == pub.CID }
	page, _ := l.Proofs(t.Context(), ProofQuery{})
	if ps := page.Proofs; len(ps) != 1 || !ps[0].Verified {
		t.Fatalf("%+v", page)
	}
}

func TestMIPs(t *testing.T) {
	f := newFixture(t)
	list, err := f.client.MIPs(t.Context())
	if err != nil || len(list) < 8 {
		t.Fatalf("%v %v", list, err)
	}
	doc, err := f.client.MIP(t.Context(), "MIP-HLT@1")
	if err != nil || doc.Policy.Attestations < 1 || len(doc.Examples) == 0 || !json.Valid(doc.Schema) {
		t.Fatalf("%+v %v", doc, err)
	}
	if _, err := f.client.MIP(t.Context(), "MIP-NOPE@1"); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
	if _, err := f.client.Proofs(t.Context(), ProofQuery{Author: "nobody"}); !errors.Is(err, ErrBadInput) {
		t.Fatal(err)
	}
	c, _ := ParseCID(protocol.Sum([]byte("x")).String())
	if _, err := f.client.Block(t.Context(), c); !errors.Is(err, ErrNotFound) {
		t.Fatal(err)
	}
}
