package dashboard

import (
	"math"
	"net/http"

	"github.com/mesocosm/mycel/api"
)

type meshData struct {
	Self  string
	Peers []api.Peer
	Nodes []graphNode
	Known int // remembered peers not connected now
}

// graphNode places a peer on a circle around this one.
type graphNode struct {
	ID, Kind string
	X, Y     float64
}

const graphR, graphC = 110.0, 150.0

func (d *Dashboard) mesh(w http.ResponseWriter, r *http.Request, s session) {
	v := view{Title: "Mesh", Nav: "mesh", CSRF: s.csrf}
	st, err := d.src.Status(r.Context())
	if err != nil {
		v.Err = err.Error()
		d.render(w, http.StatusOK, "mesh", v)
		return
	}
	md := meshData{Self: st.Self.PeerID, Peers: st.Peers, Known: len(st.Remembered)}
	n := len(st.Peers) + len(st.Remembered)
	i := 0
	place := func(id, kind string) {
		a := 2 * math.Pi * float64(i) / float64(max(n, 1))
		md.Nodes = append(md.Nodes, graphNode{ID: id, Kind: kind, X: graphC + graphR*math.Cos(a), Y: graphC + graphR*math.Sin(a)})
		i++
	}
	for _, p := range st.Peers {
		place(p.PeerID, p.Connection)
	}
	for _, p := range st.Remembered {
		place(p.PeerID, "away")
	}
	v.Data = md
	d.render(w, http.StatusOK, "mesh", v)
}
