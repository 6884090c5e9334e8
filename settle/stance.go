package settle

import "github.com/libp2p/go-libp2p/core/peer"

// stanceKey names one steward's stance on one subject's role.
type stanceKey struct {
	district, role string
	subject, by    peer.ID
}

type stance struct {
	seq   uint64
	grant bool
}

// stances holds the latest role entry of each author on each
// (district, role, subject).
type stances map[stanceKey]stance

func stancesOf(each func(func(*Record)), flags Flags) stances {
	st := stances{}
	each(func(r *Record) {
		role, ok := r.Body.(*Role)
		if !ok || flags[r.Author()] {
			return
		}
		k := stanceKey{r.Entry.District, role.Role, role.Who(), r.Author()}
		if old, held := st[k]; !held || r.ID.Seq > old.seq {
			st[k] = stance{r.ID.Seq, role.Grant}
		}
	})
	return st
}

// apply returns base plus the subjects some member of by grants role,
// minus those some member of by revokes.
func (st stances) apply(district, role string, base, by map[peer.ID]bool) map[peer.ID]bool {
	out := make(map[peer.ID]bool, len(base))
	for p := range base {
		out[p] = true
	}
	revoked := map[peer.ID]bool{}
	for k, v := range st {
		if k.district != district || k.role != role || !by[k.by] {
			continue
		}
		if v.grant {
			out[k.subject] = true
		} else {
			revoked[k.subject] = true
		}
	}
	for p := range revoked {
		delete(out, p)
	}
	return out
}
