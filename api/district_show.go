package api

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
)

// DistrictInfo is the answer of `mycel district show`: a district as the
// entries held (and the configured pin) make it.
type DistrictInfo struct {
	Name       string            `json:"name"`
	Genesis    *EntryRef         `json:"genesis"`    // null: no genesis held
	Candidates int               `json:"candidates"` // district entries held for the name
	Pin        string            `json:"pin,omitempty"`
	PinProblem string            `json:"pin_problem,omitempty"` // why the pin names no genesis
	Stewards   []string          `json:"stewards"`
	Verifiers  []string          `json:"verifiers"`
	Limits     map[string]uint64 `json:"limits"`
	Roles      []RoleEntry       `json:"roles"` // role entries held, by author and seq
}

// EntryRef names one entry.
type EntryRef struct {
	CID    string    `json:"cid"`
	Author string    `json:"author"`
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time,omitzero"`
	TimeMS int64     `json:"time_ms"`
}

// RoleEntry is one role entry of a district.
type RoleEntry struct {
	EntryRef
	Subject   string `json:"subject"`
	Role      string `json:"role"`
	Grant     bool   `json:"grant"`      // false: a revocation
	BySteward bool   `json:"by_steward"` // its author may set the role, so it counts
}

// District describes district name: genesis, roster, limits, role entries
// and pin.
func (l *Local) District(_ context.Context, name string) (DistrictInfo, error) {
	if !protocol.ValidDistrict(name) || name == "" {
		return DistrictInfo{}, badInput("district %q is not a lowercase path like meso-valley/north", name)
	}
	recs, err := l.held("", settle.KindDistrict, settle.KindRole)
	if err != nil {
		return DistrictInfo{}, err
	}
	rs, err := l.rosters()
	if err != nil {
		return DistrictInfo{}, err
	}
	out := DistrictInfo{Name: name, Stewards: []string{}, Verifiers: []string{}, Limits: map[string]uint64{}, Roles: []RoleEntry{}}
	if pin, ok := l.Pins[name]; ok {
		out.Pin = pin.String()
		b, err := l.Vault.Get(pin)
		if err := settle.CheckPin(name, pin, b.Entry, err == nil); err != nil {
			out.PinProblem = err.Error()
		}
	}
	ro := rs[name]
	if ro != nil {
		g := entryRef(ro.Genesis.Block)
		out.Genesis = &g
		out.Stewards, out.Verifiers = idList(ro.Stewards), idList(ro.Verifiers)
		for u, n := range ro.Limits {
			out.Limits[u] = n
		}
	}
	for _, r := range recs {
		if r.Entry.District != name {
			continue
		}
		switch b := r.Body.(type) {
		case *settle.District:
			out.Candidates++
		case *settle.Role:
			by := ro != nil && ro.Stewards[r.Author()]
			if b.Role == settle.RoleSteward {
				by = ro != nil && ro.Founder(r.Author())
			}
			out.Roles = append(out.Roles, RoleEntry{EntryRef: entryRef(r.Block), Subject: b.Who().String(), Role: b.Role, Grant: b.Grant, BySteward: by})
		}
	}
	slices.SortFunc(out.Roles, func(a, b RoleEntry) int {
		return cmp.Or(strings.Compare(a.Author, b.Author), cmp.Compare(a.Seq, b.Seq))
	})
	if out.Genesis == nil && out.Candidates == 0 && len(out.Roles) == 0 && out.Pin == "" {
		return DistrictInfo{}, notFound("no district entry for %s in the vault: sync or import it, or create it with mycel district create", name)
	}
	return out, nil
}

func entryRef(b protocol.Block) EntryRef {
	return EntryRef{CID: b.CID.String(), Author: b.Entry.Author.String(), Seq: b.Entry.Seq, Time: entryTime(b.Entry.Time), TimeMS: b.Entry.Time}
}

func idList(m map[peer.ID]bool) []string {
	out := []string{}
	for p := range m {
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}
