package dashboard

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/mesocosm/mycel/api"
)

type ledgerData struct {
	Self     string
	Own      []api.Balance
	Others   []api.Balance
	Receipts []api.Receipt
	Pledges  []api.PledgeRow
	Chart    []chart
}

// chart is the own balance in one unit after each receipt held that
// moved it, as an SVG polyline.
type chart struct {
	Unit   string
	Points string
	Min    int64
	Max    int64
	Last   int64
	N      int
}

const chartW, chartH = 600.0, 120.0

func (d *Dashboard) ledger(w http.ResponseWriter, r *http.Request, s session) {
	v := view{Title: "Ledger", Nav: "ledger", CSRF: s.csrf, Flash: flashOf(r)}
	ctx := r.Context()
	var errs []string
	id, err := d.src.Identity(ctx)
	if err != nil {
		errs = append(errs, err.Error())
	}
	ld := ledgerData{Self: id.PeerID}
	bals, err := d.src.Balances(ctx)
	if err != nil {
		errs = append(errs, err.Error())
	}
	for _, b := range bals {
		if b.Account == id.PeerID {
			ld.Own = append(ld.Own, b)
		} else {
			ld.Others = append(ld.Others, b)
		}
	}
	if ld.Receipts, err = d.src.Receipts(ctx); err != nil {
		errs = append(errs, err.Error())
	}
	if ld.Pledges, err = d.src.Pledges(ctx, api.PledgeQuery{}); err != nil {
		errs = append(errs, err.Error())
	}
	ld.Chart = charts(id.PeerID, ld.Receipts)
	v.Err = strings.Join(errs, "; ")
	v.Data = ld
	d.render(w, http.StatusOK, "ledger", v)
}

// charts follows the own balance per unit through the receipts, in the
// order the ledger lists them (by payer and seq: entry times are the
// authors' claims, never trusted for ordering).
func charts(self string, receipts []api.Receipt) []chart {
	series := map[string][]int64{}
	var units []string
	bal := map[string]int64{}
	for _, rc := range receipts {
		if !rc.Counted || rc.Payer != self && rc.Payee != self {
			continue
		}
		if _, ok := series[rc.Unit]; !ok {
			units = append(units, rc.Unit)
			series[rc.Unit] = []int64{0}
		}
		if rc.Payee == self {
			bal[rc.Unit] += int64(rc.Amount)
		} else {
			bal[rc.Unit] -= int64(rc.Amount)
		}
		series[rc.Unit] = append(series[rc.Unit], bal[rc.Unit])
	}
	var out []chart
	for _, u := range units {
		out = append(out, line(u, series[u]))
	}
	return out
}

func line(unit string, ys []int64) chart {
	c := chart{Unit: unit, Min: 0, Max: 0, N: len(ys) - 1, Last: ys[len(ys)-1]}
	for _, y := range ys {
		c.Min, c.Max = min(c.Min, y), max(c.Max, y)
	}
	span := float64(c.Max - c.Min)
	if span == 0 {
		span = 1
	}
	var pts []string
	for i, y := range ys {
		x := chartW * float64(i) / float64(max(len(ys)-1, 1))
		py := chartH - chartH*float64(y-c.Min)/span
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, py))
	}
	c.Points = strings.Join(pts, " ")
	return c
}
