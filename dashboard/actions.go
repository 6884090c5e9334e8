package dashboard

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/mesocosm/mycel/api"
)

const (
	// maxEvidence bounds an evidence file sent through the publish form;
	// larger ones go through `mycel evidence add`.
	maxEvidence = 8 << 20
	// maxForm bounds a form's body, maxMemory what of it is held in memory
	// (all of it: no temporary files).
	maxForm   = maxEvidence + 64<<10
	maxMemory = maxForm
)

type actionsData struct {
	MIPs      []api.MIPSummary
	Form      string            // the form that failed, if one did
	Values    map[string]string // what it held
	FormError string
}

func (d *Dashboard) actions(w http.ResponseWriter, r *http.Request, s session) {
	d.renderActions(w, r, s, http.StatusOK, actionsData{})
}

func (d *Dashboard) renderActions(w http.ResponseWriter, r *http.Request, s session, status int, ad actionsData) {
	v := view{Title: "Actions", Nav: "actions", CSRF: s.csrf, Flash: flashOf(r)}
	mips, err := d.src.MIPs(r.Context())
	if err != nil {
		v.Err = err.Error()
	}
	ad.MIPs = mips
	if ad.Values == nil {
		ad.Values = map[string]string{}
	}
	v.Data = ad
	d.render(w, status, "actions", v)
}

// failed re-renders the actions page with form's error and values.
func (d *Dashboard) failed(w http.ResponseWriter, r *http.Request, s session, form string, err error) {
	vals := map[string]string{}
	for k := range r.PostForm {
		if k != "csrf" {
			vals[k] = r.PostFormValue(k)
		}
	}
	d.renderActions(w, r, s, statusOf(err), actionsData{Form: form, Values: vals, FormError: err.Error()})
}

// statusOf is the page status of a refused action.
func statusOf(err error) int {
	switch {
	case errors.Is(err, api.ErrBadInput):
		return http.StatusBadRequest
	case errors.Is(err, api.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, api.ErrConflict):
		return http.StatusConflict
	}
	return http.StatusBadGateway
}

// done redirects to path saying what happened.
func done(w http.ResponseWriter, r *http.Request, path, flash string) {
	http.Redirect(w, r, path+"?done="+url.QueryEscape(flash), http.StatusSeeOther)
}

// flashOf reads the line a redirect after an action carries, bounded.
func flashOf(r *http.Request) string {
	f := r.URL.Query().Get("done")
	if len(f) > 200 {
		f = f[:200]
	}
	return f
}

func urlq(s string) string { return url.QueryEscape(s) }

func (d *Dashboard) attest(w http.ResponseWriter, r *http.Request, s session) {
	req := api.AttestRequest{
		Proof:   strings.TrimSpace(r.PostFormValue("proof")),
		Verdict: r.PostFormValue("verdict"),
		Note:    r.PostFormValue("note"),
		Anyway:  r.PostFormValue("anyway") != "",
	}
	wr, err := d.src.Attest(r.Context(), req)
	if err != nil {
		d.failed(w, r, s, "attest", err)
		return
	}
	done(w, r, Prefix+"proof/"+url.PathEscape(req.Proof), "attested "+req.Verdict+": entry "+wr.CID)
}

func (d *Dashboard) pay(w http.ResponseWriter, r *http.Request, s session) {
	amount, err := amountOf(r.PostFormValue("amount"), "amount")
	if err != nil {
		d.failed(w, r, s, "pay", err)
		return
	}
	req := api.PayRequest{
		Payee:  strings.TrimSpace(r.PostFormValue("payee")),
		Amount: amount, Unit: strings.TrimSpace(r.PostFormValue("unit")),
		Memo: r.PostFormValue("memo"), District: strings.TrimSpace(r.PostFormValue("district")),
		For:            strings.Fields(r.PostFormValue("for")),
		AllowUncovered: r.PostFormValue("allow_uncovered") != "",
	}
	wr, err := d.src.Pay(r.Context(), req)
	if err != nil {
		d.failed(w, r, s, "pay", err)
		return
	}
	done(w, r, Prefix+"ledger", "paid "+strconv.FormatUint(amount, 10)+" "+req.Unit+": receipt "+wr.CID)
}

func (d *Dashboard) pledge(w http.ResponseWriter, r *http.Request, s session) {
	amount, err := amountOf(r.PostFormValue("amount"), "amount")
	if err != nil {
		d.failed(w, r, s, "pledge", err)
		return
	}
	limit, err := amountOf(r.PostFormValue("cap"), "cap")
	if err != nil {
		d.failed(w, r, s, "pledge", err)
		return
	}
	req := api.PledgeRequest{
		MIP: strings.TrimSpace(r.PostFormValue("mip")), Amount: amount, Cap: limit,
		Unit: strings.TrimSpace(r.PostFormValue("unit")), District: strings.TrimSpace(r.PostFormValue("district")),
		Where: nonEmptyLines(r.PostFormValue("where")),
	}
	wr, err := d.src.Pledge(r.Context(), req)
	if err != nil {
		d.failed(w, r, s, "pledge", err)
		return
	}
	done(w, r, Prefix+"ledger", "pledged "+strconv.FormatUint(amount, 10)+" "+req.Unit+" per verified "+req.MIP+" proof: entry "+wr.CID)
}

func amountOf(s, field string) (uint64, error) {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
	if err != nil || n == 0 {
		return 0, badForm("%s %q is not a whole number of minor units above 0", field, s)
	}
	return n, nil
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// formError is a form the dashboard refuses before asking the API.
type formError struct{ msg string }

func (e *formError) Error() string { return e.msg }
func (e *formError) Unwrap() error { return api.ErrBadInput }

func badForm(format string, args ...any) error {
	return &formError{msg: sprintf(format, args...)}
}

// readFile reads the form's evidence file, if one was sent.
func readFile(r *http.Request) ([]byte, string, error) {
	f, hdr, err := r.FormFile("evidence")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", badForm("evidence file: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEvidence+1))
	if err != nil {
		return nil, "", badForm("evidence file: %v", err)
	}
	if len(data) > maxEvidence {
		return nil, "", badForm("evidence file is over %d MiB: add it with mycel evidence add FILE", maxEvidence>>20)
	}
	if len(data) == 0 {
		return nil, "", nil
	}
	return data, hdr.Filename, nil
}
