package dashboard

import (
	"net/http"

	"github.com/mesocosm/mycel/api"
)

type overviewData struct {
	Self      api.Self
	Reach     string
	Districts []string
	Kinds     []kindCount
	Peers     int
	Warnings  []string
}

type kindCount struct {
	Kind  string
	Count int
}

func (d *Dashboard) overview(w http.ResponseWriter, r *http.Request, s session) {
	v := view{Title: "Overview", Nav: "overview", CSRF: s.csrf}
	st, err := d.src.Status(r.Context())
	if err != nil {
		v.Err = err.Error()
		d.render(w, http.StatusOK, "overview", v)
		return
	}
	o := overviewData{Self: st.Self, Reach: reachWords(st.Self), Districts: d.opt.Districts, Peers: len(st.Peers), Warnings: st.Warnings}
	if st.Self.Warning != "" {
		o.Warnings = append([]string{st.Self.Warning}, o.Warnings...)
	}
	counts := map[string]int{}
	for _, p := range st.Peers {
		counts[p.Connection]++
	}
	for _, k := range []string{api.ConnDirect, api.ConnRelayed, api.ConnLAN} {
		o.Kinds = append(o.Kinds, kindCount{k, counts[k]})
	}
	v.Data = o
	d.render(w, http.StatusOK, "overview", v)
}

// reachWords says how other peers reach this one.
func reachWords(s api.Self) string {
	switch s.Reachability {
	case api.ReachPublic:
		return "public: other peers dial this one directly"
	case api.ReachPrivate:
		if len(s.Relays) > 0 {
			return "private (behind NAT): reached through relays, and directly after hole punching"
		}
		return "private (behind NAT): no relay yet, so only peers it dials reach it"
	case api.ReachLAN:
		return "local network only: no public address"
	case api.ReachOffline:
		return "offline: not listening"
	default:
		return "not known yet: the mesh is still finding out"
	}
}
