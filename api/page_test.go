package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
)

// TestProofsPage: a listing pages through the API with the Mycel-Next
// header: every proof once, pages no longer than the limit, the last
// without a cursor; a bad limit or cursor is bad input with a remedy.
func TestProofsPage(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	const n = 5
	want := map[string]bool{}
	for range n {
		pub, err := f.client.Publish(ctx, PublishRequest{MIP: "MIP-HLT@1", Claim: json.RawMessage(hltClaim), NoEvidence: true})
		if err != nil {
			t.Fatal(err)
		}
		want[pub.CID] = true
	}
	seen := map[string]bool{}
	after, pages := "", 0
	for {
		p, err := f.client.Proofs(ctx, ProofQuery{Limit: 2, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if pages++; len(p.Proofs) > 2 || pages > n {
			t.Fatalf("page %d holds %d proofs", pages, len(p.Proofs))
		}
		for _, pr := range p.Proofs {
			if seen[pr.CID] || !want[pr.CID] {
				t.Fatalf("proof %s listed twice or never published", pr.CID)
			}
			seen[pr.CID] = true
		}
		if after = p.Next; after == "" {
			break
		}
	}
	if len(seen) != n || pages != 3 {
		t.Fatalf("%d proofs in %d pages, want %d in 3", len(seen), pages, n)
	}
	all, err := f.client.Proofs(ctx, ProofQuery{})
	if err != nil || len(all.Proofs) != n || all.Next != "" {
		t.Fatalf("unpaged listing: %d proofs, next %q, %v", len(all.Proofs), all.Next, err)
	}
	for _, bad := range []ProofQuery{{Limit: MaxPage + 1}, {After: "not-a-cursor"}} {
		if _, err := f.client.Proofs(ctx, bad); !errors.Is(err, ErrBadInput) {
			t.Errorf("Proofs(%+v) = %v, want bad input", bad, err)
		}
	}
	for _, limit := range []string{"0", "-1", "x", "1001"} {
		resp, err := f.client.send(ctx, http.MethodGet, "/v1/proofs?limit="+url.QueryEscape(limit), nil, "")
		if err == nil {
			resp.Body.Close()
		}
		if !errors.Is(err, ErrBadInput) {
			t.Errorf("limit=%s: %v, want bad input", limit, err)
		}
	}
}
