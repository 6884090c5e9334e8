package dashboard

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/mesocosm/mycel/api"
)

// feedLimit bounds the proofs the feed shows.
const feedLimit = 50

// row is one proof in the feed.
type row struct {
	api.Proof
	Valid, K int
	Verified bool
	Flagged  bool
	Paid     bool
}

// Progress says how far the proof is from verified, in words.
func (r row) Progress() string {
	switch {
	case r.Flagged:
		return "author flagged: never verified"
	case r.Verified:
		return fmt.Sprintf("verified (%d of %d attestations)", r.Valid, r.K)
	default:
		return fmt.Sprintf("%d of %d attestations", r.Valid, r.K)
	}
}

// Period is when the proof's claim was measured, from its entry time.
func (r row) When() string { return when(r.Time) }

// fingerprint changes when what the feed shows of r changes.
func (r row) fingerprint() string {
	return fmt.Sprint(r.Valid, r.K, r.Verified, r.Flagged, r.Paid)
}

// filter is the feed's query: MIP ("" any) and status (""|verified|pending).
type filter struct {
	MIP    string
	Status string
}

func filterOf(r *http.Request) filter {
	q := r.URL.Query()
	f := filter{MIP: q.Get("mip"), Status: q.Get("status")}
	if f.Status != "verified" && f.Status != "pending" {
		f.Status = ""
	}
	if len(f.MIP) > 64 {
		f.MIP = ""
	}
	return f
}

// Query is the filter as a URL query.
func (f filter) Query() string {
	return "mip=" + urlq(f.MIP) + "&status=" + urlq(f.Status)
}

// rows reads the feed: newest first, with each proof's progress and
// whether a receipt held pays it.
func (d *Dashboard) rows(ctx context.Context, f filter) ([]row, error) {
	proofs, err := d.proofs(ctx, f.MIP)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(proofs, func(a, b api.Proof) int { return cmp.Compare(b.TimeMS, a.TimeMS) })
	receipts, _ := d.src.Receipts(ctx) // no settlement views: nothing is shown paid
	paid := map[string]bool{}
	for _, rc := range receipts {
		for _, c := range rc.For {
			paid[c] = true
		}
	}
	out := []row{}
	for _, p := range proofs {
		if len(out) == feedLimit {
			break
		}
		r := row{Proof: p, Verified: p.Verified, Paid: paid[p.CID]}
		if st, err := d.src.ProofStatus(ctx, p.CID); err == nil {
			r.Valid, r.K, r.Verified, r.Flagged = st.Valid, st.K, st.Verified, st.Flagged
		}
		if f.Status == "verified" && !r.Verified || f.Status == "pending" && r.Verified {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// feedPages bounds the pages of proofs the feed reads to find the
// newest: the listing goes by author, not by time.
const feedPages = 5

// proofs lists up to feedPages pages of proofs of mip ("" any).
func (d *Dashboard) proofs(ctx context.Context, mip string) ([]api.Proof, error) {
	var out []api.Proof
	q := api.ProofQuery{MIP: mip}
	for range feedPages {
		page, err := d.src.Proofs(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Proofs...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	return out, nil
}

type feedData struct {
	Rows   []row
	Filter filter
	MIPs   []api.MIPSummary
}

func (d *Dashboard) feed(w http.ResponseWriter, r *http.Request, s session) {
	v := view{Title: "District feed", Nav: "feed", CSRF: s.csrf}
	f := filterOf(r)
	rows, err := d.rows(r.Context(), f)
	if err != nil {
		v.Err = err.Error()
	}
	mips, _ := d.src.MIPs(r.Context())
	v.Data = feedData{Rows: rows, Filter: f, MIPs: mips}
	d.render(w, http.StatusOK, "feed", v)
}

// feedEvent is one server-sent event: a row to put in place, newest
// first.
type feedEvent struct {
	CID  string `json:"cid"`
	HTML string `json:"html"`
}

// feedEvents streams the feed's rows as they appear or change: at once
// on a Notify signal, otherwise every Tick; until the browser leaves or
// the dashboard closes.
func (d *Dashboard) feedEvents(w http.ResponseWriter, r *http.Request, _ session) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	var wake <-chan struct{}
	if d.opt.Notify != nil {
		ch, cancel := d.opt.Notify(1)
		defer cancel()
		wake = ch
	}
	tick := time.NewTicker(d.opt.Tick)
	defer tick.Stop()
	f := filterOf(r)
	shown := map[string]string{}
	first := true
	for {
		if err := d.sendRows(w, rc, r.Context(), f, shown, first); err != nil {
			return
		}
		first = false
		select {
		case <-r.Context().Done():
			return
		case <-d.done:
			return
		case _, ok := <-wake:
			if !ok {
				wake = nil
			}
		case <-tick.C:
		}
	}
}

// sendRows sends the rows not sent yet or changed since (the first time
// all of them: the page puts each in place, so a proof stored between
// the page and its stream is not missed), then, the first time, says the
// feed is live.
func (d *Dashboard) sendRows(w http.ResponseWriter, rc *http.ResponseController, ctx context.Context, f filter, shown map[string]string, first bool) error {
	rows, err := d.rows(ctx, f)
	if err != nil {
		return nil // the peer is busy: try again at the next tick
	}
	rc.SetWriteDeadline(time.Now().Add(time.Minute))
	for i := len(rows) - 1; i >= 0; i-- { // oldest first: each new row goes on top
		r := rows[i]
		if shown[r.CID] == r.fingerprint() {
			continue
		}
		shown[r.CID] = r.fingerprint()
		html, err := d.fragment("feed", "row", r)
		if err != nil {
			return err
		}
		data, _ := json.Marshal(feedEvent{CID: r.CID, HTML: html})
		if _, err := fmt.Fprintf(w, "event: proof\ndata: %s\n\n", data); err != nil {
			return err
		}
	}
	if first {
		if _, err := fmt.Fprint(w, "event: live\ndata: {}\n\n"); err != nil {
			return err
		}
	}
	return rc.Flush()
}
