package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/dashboard"
)

// stepLimit bounds one browser step (a page and what it waits for).
const stepLimit = 15 * time.Second

// TestDashboardBrowser drives the dashboard of one daemon of a district
// of three in headless Chromium: login by the one-time URL, a proof from
// another peer appearing in the live feed without a reload, its
// attestations, a proof published through the form (a schema error shown
// next to its field first), the balance after a payment; and requests
// without the session, from another origin or with a bad CSRF token
// refused.
func TestDashboardBrowser(t *testing.T) {
	browser := findBrowser(t)
	e := newE2E(t)
	start := time.Now()
	a, b, c := e.home("clinic"), e.home("farm"), e.home("verifier")
	for _, h := range []string{a, b, c} {
		e.mycel(h, "init", "--district", "meso-valley/north")
	}
	e.start(a)
	e.start(b)
	e.start(c)
	e.mycel(b, "connect", e.addr(a))
	e.mycel(c, "connect", e.addr(a))
	var idA, idB, idC api.Identity
	e.decode(&idA, a, "id")
	e.decode(&idB, b, "id")
	e.decode(&idC, c, "id")

	var login dashboard.LoginURL
	e.decode(&login, a, "dashboard")
	base := strings.TrimSuffix(login.URL[:strings.Index(login.URL, dashboard.Prefix)], "/")
	tab := newBrowser(t, browser)
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab, stepLimit)
		defer cancel()
		if err := chromedp.Do(ctx, steps...); err != nil {
			html, _ := chromedp.Run(bounded(t, tab), chromedp.OuterHTML(chromedp.CSS("body")))
			t.Fatalf("%s after %v: %v\npage: %.3000s", what, time.Since(start).Round(time.Second), err, html)
		}
		t.Logf("%s: done at %v", what, time.Since(start).Round(100*time.Millisecond))
	}
	text := func(sel string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab, stepLimit)
		defer cancel()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	// Login: the one-time URL sets the session and shows the overview.
	run("login", chromedp.Navigate(login.URL), chromedp.WaitVisible(chromedp.CSS("#peer-id")))
	peerID := text("#peer-id")
	if peerID != idA.PeerID {
		t.Fatalf("overview shows peer %q, want %q", peerID, idA.PeerID)
	}
	run("overview peers", chromedp.WaitVisible(chromedp.CSS(`#peer-count`)))
	if _, err := strconv.Atoi(text("#entries")); err != nil {
		t.Fatalf("overview shows %q entries held, want a count", text("#entries"))
	}
	screenshot(t, tab, "overview")

	// The feed goes live; a proof published on the farm appears without a reload.
	run("feed", chromedp.Navigate(base+"/dashboard/feed"), chromedp.WaitVisible(chromedp.CSS("#live.on")),
		chromedp.Evaluate[chromedp.Void](`window.sameLoad = "yes"; undefined`))
	claimFile := filepath.Join(e.dir, "claim.json")
	os.WriteFile(claimFile, []byte(claim), 0o600)
	proof := e.publish(b, claimFile)
	run("live row", chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#feed tr[data-cid=%q]`, proof))))
	same, err := chromedp.Run(bounded(t, tab), chromedp.Evaluate[string](`window.sameLoad`))
	if err != nil {
		t.Fatal(err)
	}
	if same != "yes" {
		t.Fatal("the feed page reloaded to show the new proof")
	}
	screenshot(t, tab, "feed")
	run("overview entries", chromedp.Navigate(base+"/dashboard/"), chromedp.WaitVisible(chromedp.CSS("#entries")))
	if n, err := strconv.Atoi(text("#entries")); err != nil || n < 1 {
		t.Fatalf("overview shows %q entries held after a proof arrived, want a positive count", text("#entries"))
	}

	// The verifier attests it once it holds it; the proof page shows the
	// attestation.
	e.eventually("the proof reaches the verifier", func() (bool, string) {
		_, stderr, code := e.try(c, "proof", "status", proof)
		return code == 0, stderr
	})
	e.mycel(c, "attest", proof, "--verdict", "valid", "--note", "labs match the register", "--anyway")
	e.eventually("the attestation reaches the clinic", func() (bool, string) {
		var st api.ProofStatus
		e.decode(&st, a, "proof", "status", proof)
		return len(st.Attestations) > 0, fmt.Sprint(st.Attestations)
	})
	run("proof page", chromedp.Navigate(base+"/dashboard/proof/"+proof),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#attestations li[data-verifier=%q]`, idC.PeerID))))
	note := text("#attestations")
	if !strings.Contains(note, "labs match the register") {
		t.Fatalf("attestations read %q", note)
	}
	screenshot(t, tab, "proof")

	// The publish form: a bad value comes back next to its field, a good one publishes.
	fields := map[string]string{"cohort_size": "0", "measure": "hba1c", "unit": "mmol_mol", "baseline_x10": "685",
		"outcome_x10": "583", "period_days": "180", "method": "pre_post_cohort"}
	run("publish form", chromedp.Navigate(base+"/dashboard/publish?mip=MIP-HLT@1"), chromedp.WaitVisible(chromedp.CSS("#publish")))
	var fill []chromedp.Action[chromedp.Void]
	for k, v := range fields {
		fill = append(fill, chromedp.SetValue(chromedp.CSS("#f-"+k), v))
	}
	run("fill", fill...)
	run("bad claim", chromedp.Submit(chromedp.CSS(`#publish`)),
		// The daemon's answer marks the field (the page's own script may
		// show the browser's reading of it before the form is sent).
		chromedp.WaitVisible(chromedp.CSS(`.field.bad[data-field="cohort_size"] #err-cohort_size`)))
	fieldErr := text("#err-cohort_size")
	if !strings.Contains(fieldErr, ">= 1") {
		t.Fatalf("cohort_size error reads %q", fieldErr)
	}
	screenshot(t, tab, "publish-error")
	run("good claim", chromedp.SetValue(chromedp.CSS("#f-cohort_size"), "240"),
		chromedp.Submit(chromedp.CSS(`#publish`)),
		chromedp.WaitVisible(chromedp.CSS("#proof-cid")))
	published := text("#proof-cid")
	if !strings.HasPrefix(published, "bafy") {
		t.Fatalf("published proof page shows %q", published)
	}

	// A payment through the pay form moves the own balance.
	run("pay", chromedp.Navigate(base+"/dashboard/actions"), chromedp.WaitVisible(chromedp.CSS("#pay")))
	screenshot(t, tab, "actions")
	run("pay form", chromedp.SetValue(chromedp.CSS(`#pay input[name=payee]`), idB.PeerID),
		chromedp.SetValue(chromedp.CSS(`#pay input[name=amount]`), "7"),
		chromedp.SetValue(chromedp.CSS(`#pay input[name=unit]`), "eur"),
		chromedp.SetValue(chromedp.CSS(`#pay input[name=for]`), proof),
		chromedp.SetValue(chromedp.CSS(`#pay input[name=memo]`), "first cohort"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#pay input[name=allow_uncovered]").checked = true; undefined`),
		chromedp.Submit(chromedp.CSS(`#pay`)),
		chromedp.WaitVisible(chromedp.CSS(`#own tr[data-unit="eur"] .balance`)))
	balance := text(`#own tr[data-unit="eur"] .balance`)
	if balance != "-7" {
		t.Fatalf("own eur balance after paying 7 reads %q", balance)
	}
	screenshot(t, tab, "ledger")
	run("mesh", chromedp.Navigate(base+"/dashboard/mesh"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#peers tr[data-peer=%q]`, idB.PeerID))))
	screenshot(t, tab, "mesh")

	// Refusals, with the browser's own session cookie and CSRF token.
	meta, err := chromedp.Run(bounded(t, tab), chromedp.AttributeValue(chromedp.CSS(`meta[name=csrf]`), "content"))
	if err != nil {
		t.Fatal(err)
	}
	csrf := meta.Value
	got, err := chromedp.Call(bounded(t, tab), network.GetCookies, network.GetCookiesParams{URLs: []string{base + "/dashboard/"}})
	if err != nil {
		t.Fatal(err)
	}
	cookies := got.Cookies
	var session *http.Cookie
	for _, ck := range cookies {
		if ck.Name == "mycel_session" {
			session = &http.Cookie{Name: ck.Name, Value: ck.Value}
			if !ck.HTTPOnly || ck.SameSite != network.CookieSameSiteStrict {
				t.Errorf("session cookie HttpOnly=%v SameSite=%v, want HttpOnly and Strict", ck.HTTPOnly, ck.SameSite)
			}
		}
	}
	if session == nil || csrf == "" {
		t.Fatalf("no session cookie (%v) or CSRF token (%q)", cookies, csrf)
	}
	refusals(t, base, session, csrf, login.URL)
	scrapeDaemon(t, base, a)
	t.Logf("dashboard browser scenario: %v", time.Since(start).Round(100*time.Millisecond))
}

// bounded is tab with stepLimit to run, for a step outside run and text.
func bounded(t *testing.T, tab context.Context) context.Context {
	ctx, cancel := context.WithTimeout(tab, stepLimit)
	t.Cleanup(cancel)
	return ctx
}

// refusals checks what the dashboard refuses: each request differs from
// an admitted one in the one thing under test.
func refusals(t *testing.T, base string, session *http.Cookie, csrf, spentLogin string) {
	t.Helper()
	payForm := func(tok string) url.Values {
		return url.Values{"csrf": {tok}, "payee": {"nobody"}, "amount": {"1"}, "unit": {"eur"}}
	}
	for _, c := range []struct {
		name    string
		method  string
		path    string
		form    url.Values
		cookie  *http.Cookie
		origin  string
		want    int
		wantNot bool
	}{
		{"page without session", "GET", "/dashboard/", nil, nil, "", http.StatusUnauthorized, false},
		{"post without session", "POST", "/dashboard/pay", payForm(csrf), nil, base, http.StatusUnauthorized, false},
		{"post from another origin", "POST", "/dashboard/pay", payForm(csrf), session, "http://evil.example", http.StatusForbidden, false},
		{"post with a bad CSRF token", "POST", "/dashboard/pay", payForm("x" + csrf), session, base, http.StatusForbidden, false},
		{"post without a CSRF token", "POST", "/dashboard/pay", payForm(""), session, base, http.StatusForbidden, false},
		{"spent login URL", "GET", strings.TrimPrefix(spentLogin, base), nil, nil, "", http.StatusUnauthorized, false},
		// The same post with the session, origin and token is admitted
		// (and refused by the API for its made-up payee).
		{"admitted post", "POST", "/dashboard/pay", payForm(csrf), session, base, http.StatusBadRequest, false},
	} {
		var body io.Reader
		if c.form != nil {
			body = strings.NewReader(c.form.Encode())
		}
		req, _ := http.NewRequest(c.method, base+c.path, body)
		if c.form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if c.cookie != nil {
			req.AddCookie(c.cookie)
		}
		if c.origin != "" {
			req.Header.Set("Origin", c.origin)
		}
		client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.want)
		}
	}
}

// scrapeDaemon reads the daemon's /metrics: refused without the API
// token, parsed by Prometheus's text parser with it.
func scrapeDaemon(t *testing.T, base, home string) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d, want 401", resp.StatusCode)
	}
	tok, err := os.ReadFile(filepath.Join(home, "api.token"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(tok)))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	var stored float64
	for _, m := range fams["mycel_entries_stored_total"].GetMetric() {
		stored += m.GetCounter().GetValue()
	}
	if stored < 3 { // the farm's proof, the attestation, the own proof and receipt
		t.Errorf("mycel_entries_stored_total = %v, want at least 3", stored)
	}
	if _, ok := fams["mycel_payments_total"]; !ok {
		t.Error("no mycel_payments_total after a payment")
	}
	if _, ok := fams["libp2p_rcmgr_connections"]; !ok {
		t.Error("no libp2p resource-manager metrics")
	}
}
