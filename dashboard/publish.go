package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/mesocosm/mycel/api"
)

var sprintf = fmt.Sprintf

type publishData struct {
	MIP       api.MIPDoc
	Fields    []*prop
	District  string
	Districts []string
	FormError string
}

// publishForm shows the form of a proof of ?mip=, built from its schema.
func (d *Dashboard) publishForm(w http.ResponseWriter, r *http.Request, s session) {
	ref := r.URL.Query().Get("mip")
	doc, err := d.src.MIP(r.Context(), ref)
	if err != nil {
		v := view{Title: "Publish a proof", Nav: "actions", CSRF: s.csrf, Err: err.Error()}
		d.render(w, http.StatusNotFound, "publish", v)
		return
	}
	ps := schemaProps(doc.Schema)
	d.renderPublish(w, s, http.StatusOK, publishData{MIP: doc, Fields: ps.list, District: first(d.opt.Districts)})
}

func (d *Dashboard) renderPublish(w http.ResponseWriter, s session, status int, pd publishData) {
	pd.Districts = d.opt.Districts
	v := view{Title: "Publish a proof of " + pd.MIP.MIP, Nav: "actions", CSRF: s.csrf, Data: pd}
	d.render(w, status, "publish", v)
}

// publish adds the evidence file, if any, and publishes the proof; a
// refused claim comes back with each problem next to its field.
func (d *Dashboard) publish(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	ref := r.PostFormValue("mip")
	doc, err := d.src.MIP(ctx, ref)
	if err != nil {
		d.failed(w, r, s, "publish", err)
		return
	}
	ps := schemaProps(doc.Schema)
	pd := publishData{MIP: doc, Fields: ps.list, District: strings.TrimSpace(r.PostFormValue("district"))}
	claim, err := ps.claim(func(name string) string { return r.PostFormValue("claim." + name) })
	if err != nil {
		pd.FormError = err.Error()
		d.renderPublish(w, s, http.StatusBadRequest, pd)
		return
	}
	req := api.PublishRequest{MIP: doc.MIP, Claim: claim, District: pd.District, NoEvidence: true}
	data, name, err := readFile(r)
	if err != nil {
		pd.FormError = err.Error()
		d.renderPublish(w, s, http.StatusBadRequest, pd)
		return
	}
	if data != nil {
		ev, err := d.src.AddEvidence(ctx, data, name)
		if err != nil {
			pd.FormError = "evidence: " + err.Error()
			d.renderPublish(w, s, statusOf(err), pd)
			return
		}
		req.Evidence, req.NoEvidence = []string{ev.ID}, false
	}
	pub, err := d.src.Publish(ctx, req)
	if err != nil {
		pd.FormError = ps.place(err.Error())
		d.renderPublish(w, s, statusOf(err), pd)
		return
	}
	done(w, r, Prefix+"proof/"+url.PathEscape(pub.CID), "published proof "+pub.CID)
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
