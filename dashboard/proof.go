package dashboard

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/protocol"
)

type proofData struct {
	Status   api.ProofStatus
	Fields   []claimField
	Root     string
	Count    uint64
	From, To string
	Policy   string
	Met      bool
	Receipts []api.Receipt
	Time     string
}

// claimField is one claim value with its meaning from the MIP's schema.
type claimField struct {
	Name, Value, Description, Unit string
}

func (d *Dashboard) proof(w http.ResponseWriter, r *http.Request, s session) {
	v := view{Title: "Proof", Nav: "feed", CSRF: s.csrf, Flash: flashOf(r)}
	c, err := api.ParseCID(r.PathValue("cid"))
	if err != nil {
		v.Err = err.Error()
		d.render(w, http.StatusBadRequest, "proof", v)
		return
	}
	ctx := r.Context()
	st, err := d.src.ProofStatus(ctx, c.String())
	if err != nil {
		v.Err = err.Error()
		d.render(w, http.StatusNotFound, "proof", v)
		return
	}
	pd := proofData{Status: st, Met: st.Verified}
	if data, err := d.src.Block(ctx, c); err == nil {
		pd.fill(data)
	}
	doc, err := d.src.MIP(ctx, st.MIP)
	if err == nil {
		pd.describe(schemaProps(doc.Schema))
	}
	pd.Policy = policyWords(st)
	receipts, _ := d.src.Receipts(ctx)
	for _, rc := range receipts {
		if slices.Contains(rc.For, st.CID) {
			pd.Receipts = append(pd.Receipts, rc)
		}
	}
	v.Data = pd
	d.render(w, http.StatusOK, "proof", v)
}

// fill reads the claim, the evidence commitment and the period from the
// proof's block.
func (pd *proofData) fill(data []byte) {
	b, err := protocol.Open(data)
	if err != nil {
		return
	}
	body, err := protocol.DefaultKinds().Decode(b.Entry)
	p, ok := body.(*protocol.Proof)
	if err != nil || !ok {
		return
	}
	pd.Root, pd.Count = hex.EncodeToString(p.Evidence.Root), p.Evidence.Count
	pd.From = when(time.UnixMilli(p.Period.Start))
	pd.To = when(time.UnixMilli(p.Period.End))
	pd.Time = when(time.UnixMilli(b.Entry.Time))
	names := make([]string, 0, len(p.Claim))
	for k := range p.Claim {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		pd.Fields = append(pd.Fields, claimField{Name: k, Value: fmt.Sprint(p.Claim[k])})
	}
}

// policyWords says what the MIP's policy asks and where the proof stands.
func policyWords(st api.ProofStatus) string {
	switch {
	case !st.KnownPolicy:
		return "the MIP is not known here: its policy cannot be judged"
	case st.Flagged:
		return fmt.Sprintf("needs %d valid attestations by distinct verifiers of the district; the author is flagged (equivocated), so never met", st.K)
	case st.Verified:
		return fmt.Sprintf("needs %d valid attestations by distinct verifiers of the district: met with %d", st.K, st.Valid)
	default:
		return fmt.Sprintf("needs %d valid attestations by distinct verifiers of the district: %d so far, not met", st.K, st.Valid)
	}
}

// describe gives each claim field its meaning and unit from the schema,
// and puts the fields in the schema's order (others after).
func (pd *proofData) describe(ps props) {
	at := map[string]int{}
	for i, p := range ps.list {
		at[p.Name] = i
	}
	for i := range pd.Fields {
		if p, ok := ps.byName[pd.Fields[i].Name]; ok {
			pd.Fields[i].Description, pd.Fields[i].Unit = p.Description, p.Unit
		}
	}
	slices.SortStableFunc(pd.Fields, func(a, b claimField) int {
		ia, oka := at[a.Name]
		ib, okb := at[b.Name]
		switch {
		case oka && okb:
			return ia - ib
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a.Name, b.Name)
	})
}
