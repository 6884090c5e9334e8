package dashboard

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/vault"
)

const claim = `{"cohort_size": 240, "measure": "hba1c", "unit": "mmol_mol", "baseline_x10": 685,
 "outcome_x10": 583, "period_days": 180, "method": "pre_post_cohort"}`

// TestFeedStream: the feed's event stream says it is live, then sends a
// proof published after it opened as soon as the peer signals a store.
func TestFeedStream(t *testing.T) {
	v, err := vault.Create(filepath.Join(t.TempDir(), "vault.db"), vault.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	local := &api.Local{Vault: v, Registry: mip.Builtins()}
	stored := make(chan struct{}, 1)
	d := New(local, Options{Tick: time.Hour, Notify: func(int) (<-chan struct{}, func()) { return stored, func() {} }})
	defer d.Close()
	srv := httptest.NewServer(d.Pages())
	defer srv.Close()
	cookie, _ := login(t, d)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+Prefix+"feed/events", nil)
	req.AddCookie(cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	events := bufio.NewScanner(resp.Body)
	next := func() (string, string) {
		t.Helper()
		var name, data string
		for events.Scan() {
			line := events.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				data = strings.TrimPrefix(line, "data: ")
			case line == "" && name != "":
				return name, data
			}
		}
		t.Fatalf("stream ended: %v", events.Err())
		return "", ""
	}
	if name, _ := next(); name != "live" {
		t.Fatalf("first event %q, want live", name)
	}
	pub, err := local.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: json.RawMessage(claim), NoEvidence: true, District: "meso-valley/north"})
	if err != nil {
		t.Fatal(err)
	}
	stored <- struct{}{}
	name, data := next()
	var ev feedEvent
	if err := json.Unmarshal([]byte(data), &ev); name != "proof" || err != nil || ev.CID != pub.CID {
		t.Fatalf("event %q %s, want proof %s", name, data, pub.CID)
	}
	if !strings.Contains(ev.HTML, `data-cid="`+pub.CID+`"`) || !strings.Contains(ev.HTML, "MIP-HLT@1") {
		t.Fatalf("row %s", ev.HTML)
	}
}
