package vault

import (
	"bytes"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// Query returns the joined entries matching q, ordered by author then seq.
// It scans one index field (MIP, else district, else kind) or the logs,
// and filters by the other fields.
func (v *Bolt) Query(q Query) ([]protocol.Block, error) {
	var ak []byte
	if q.Author != "" {
		var err error
		if ak, err = authorKey(q.Author); err != nil {
			return nil, err
		}
	}
	var out []protocol.Block
	err := v.db.View(func(tx *bolt.Tx) error {
		if prefix, ok := indexPlan(q, ak); ok {
			return queryIndex(tx, q, prefix, &out)
		}
		return scan(tx.Bucket(bLogs), ak, ak, func(_, val []byte) (bool, error) {
			blk, err := slotBlock(tx, val)
			if err == nil && q.matches(blk) {
				out = append(out, blk)
			}
			return true, err
		})
	})
	return out, err
}

// indexPlan returns the index key prefix that narrows q most, if any. A
// bare MIP id scans every version of it ("MIP-HLT@").
func indexPlan(q Query, ak []byte) ([]byte, bool) {
	switch {
	case q.MIP != "" && !strings.Contains(q.MIP, "@"):
		return append(append([]byte{fieldMIP}, q.MIP...), '@'), true
	case q.MIP != "":
		return appendIndexKey(nil, fieldMIP, q.MIP, ak), true
	case q.District != "":
		return appendIndexKey(nil, fieldDistrict, q.District, ak), true
	case q.Kind != "":
		return appendIndexKey(nil, fieldKind, q.Kind, ak), true
	}
	return nil, false
}

// queryIndex scans the index keys with prefix and appends the matching
// entries to out in (akey, seq) order.
func queryIndex(tx *bolt.Tx, q Query, prefix []byte, out *[]protocol.Block) error {
	type hit struct {
		sk  []byte
		blk protocol.Block
	}
	var hits []hit
	logs := tx.Bucket(bLogs)
	err := scan(tx.Bucket(bIndex), prefix, prefix, func(k, _ []byte) (bool, error) {
		_, _, sk, err := splitIndexKey(k)
		if err != nil {
			return false, err
		}
		rec := logs.Get(sk)
		if rec == nil {
			return false, ErrCorrupt
		}
		blk, err := slotBlock(tx, rec)
		if err == nil && q.matches(blk) {
			hits = append(hits, hit{bytes.Clone(sk), blk})
		}
		return true, err
	})
	// One value's keys are in (akey, seq) order; several MIP versions merge.
	slices.SortStableFunc(hits, func(a, b hit) int { return bytes.Compare(a.sk, b.sk) })
	for _, h := range hits {
		*out = append(*out, h.blk)
	}
	return err
}

// matches checks the fields the chosen index did not.
func (q Query) matches(blk protocol.Block) bool {
	e := blk.Entry
	switch {
	case q.Author != "" && e.Author != q.Author,
		q.Kind != "" && e.Kind != q.Kind,
		q.District != "" && e.District != q.District:
		return false
	case q.MIP == "":
		return true
	}
	ref := mipRef(e)
	id, _, _ := strings.Cut(ref, "@")
	return ref != "" && (ref == q.MIP || id == q.MIP)
}
