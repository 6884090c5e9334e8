package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// farMillis is an entry time past the year 9999 (about 11476): a
// time.Time of it cannot be encoded as RFC 3339 JSON.
const farMillis = 300000000000000

// TestFarFutureEntryTimeAnswers: a vault holding entries timed past the
// year 9999 still answers log and proofs with 200 and a whole JSON body
// that carries the exact time in milliseconds, and publishing with such
// a clock answers too.
func TestFarFutureEntryTimeAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	f.local.Now = func() time.Time { return time.UnixMilli(farMillis) }
	ev, err := f.local.AddEvidence(ctx, []byte("lab results"), "labs")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := f.client.Publish(ctx, PublishRequest{
		MIP: "MIP-HLT@1", Claim: json.RawMessage(hltClaim), Evidence: []string{ev.ID},
		PeriodStart: start, PeriodEnd: start.AddDate(0, 6, 0),
	}); err != nil {
		t.Fatalf("publish: %v", err)
	}
	e := attestEntry(t, "far", "valley/north")
	e.Time = farMillis
	if _, err := f.vault.Append(f.vault.Key(), e); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		rows int
	}{{"/v1/log", 2}, {"/v1/proofs", 1}} {
		resp, body := dial(t, f.addr).do(t, "GET", c.path, "", auth(f.addr)...)
		var rows []map[string]any
		if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &rows) != nil || len(rows) != c.rows {
			t.Fatalf("%s: %s, body %q", c.path, resp.Status, body)
		}
		for _, r := range rows {
			if ms, _ := r["time_ms"].(float64); ms != farMillis {
				t.Errorf("%s: time_ms %v, want %d (row %v)", c.path, r["time_ms"], int64(farMillis), r)
			}
		}
	}
	if log, err := f.client.Log(ctx, LogQuery{}); err != nil || len(log.Entries) != 2 {
		t.Fatalf("client log: %v %v", log, err)
	}
	if proofs, err := f.client.Proofs(ctx, ProofQuery{}); err != nil || len(proofs.Proofs) != 1 {
		t.Fatalf("client proofs: %v %v", proofs, err)
	}
}

// TestWriteJSONFailsWhole: a value that cannot be encoded answers a
// clean 500 JSON error, never a 200 with a cut body.
func TestWriteJSONFailsWhole(t *testing.T) {
	rec := httptest.NewRecorder()
	writeJSON(rec, map[string]any{"time": time.UnixMilli(farMillis)})
	var e Error
	if rec.Code != http.StatusInternalServerError || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Code != "internal" {
		t.Fatalf("%d %q", rec.Code, rec.Body.String())
	}
}
