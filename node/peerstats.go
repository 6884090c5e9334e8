package node

import (
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Per-peer clock estimate: the offset of an entry's time from its arrival,
// for entries a peer authored and sent to this node itself. Gossip sends
// an entry within a second or so of its writing, so its offset is the
// peer's clock against ours either way; sync may send old entries, so
// only an entry dated ahead of our clock counts (nothing is written in
// the future). The median of the last skewSamples is the estimate.
const (
	skewSamples = 8
	maxStats    = 4096 // peers whose stats are held; connected ones only
)

// LastSync is the outcome of the last anti-entropy round with a peer.
type LastSync struct {
	At    time.Time
	Stats SyncStats
	Err   string // empty when the round succeeded
}

// InSync reports whether the round ended with both sides holding what the
// other had: it succeeded and refused or rejected nothing.
func (l LastSync) InSync() bool {
	return !l.At.IsZero() && l.Err == "" && l.Stats.Refused == 0 && l.Stats.Rejected == 0
}

// peerStat is what the node learnt of one connected peer.
type peerStat struct {
	entry time.Time       // last entry stored that it sent
	sync  LastSync        // last round with it
	skew  []time.Duration // last offsets, oldest first
}

// peerStats holds a peerStat per connected peer; a disconnect forgets it.
type peerStats struct {
	mu sync.Mutex
	m  map[peer.ID]*peerStat
}

func (s *peerStats) get(p peer.ID) *peerStat {
	if s.m == nil {
		s.m = map[peer.ID]*peerStat{}
	}
	st, ok := s.m[p]
	if !ok {
		if len(s.m) >= maxStats {
			return &peerStat{} // not kept
		}
		st = &peerStat{}
		s.m[p] = st
	}
	return st
}

// entry notes an entry stored from p at now, by gossip or not; authored
// reports that p wrote it, so its time may say what p's clock read.
func (s *peerStats) entry(p peer.ID, now time.Time, entryTime int64, authored, gossip bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.get(p)
	st.entry = now
	if authored && (gossip || entryTime > now.UnixMilli()) {
		st.skew = append(st.skew, time.UnixMilli(entryTime).Sub(now))
		if len(st.skew) > skewSamples {
			st.skew = st.skew[1:]
		}
	}
}

func (s *peerStats) synced(p peer.ID, l LastSync) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.get(p).sync = l
}

func (s *peerStats) forget(p peer.ID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, p)
}

// of returns a copy of p's stats and its clock offset (0, false without
// samples).
func (s *peerStats) of(p peer.ID) (entry time.Time, l LastSync, skew time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.m[p]
	if st == nil {
		return time.Time{}, LastSync{}, 0, false
	}
	if len(st.skew) == 0 {
		return st.entry, st.sync, 0, false
	}
	return st.entry, st.sync, median(st.skew), true
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
