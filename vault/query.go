package vault

import (
	"cmp"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// Query returns the joined entries matching q, ordered by author then seq.
// It scans one index field (MIP, else district, else kind) or the logs,
// and filters by the other fields. Keys are in author number order, so the
// results are sorted by author after the scan.
func (v *Bolt) Query(q Query) ([]protocol.Block, error) {
	var out []protocol.Block
	err := v.view(func(tx *bolt.Tx) error {
		var num []byte
		if q.Author != "" {
			var err error
			if num, err = lookup(tx, q.Author); err != nil || num == nil {
				return err
			}
		}
		keep := func(blk protocol.Block) {
			if q.Matches(blk) {
				out = append(out, blk)
			}
		}
		if prefix, ok := indexPlan(q, num); ok {
			return queryIndex(tx, prefix, keep)
		}
		return scan(tx.Bucket(bLogs), num, num, func(_, val []byte) (bool, error) {
			blk, err := slotBlock(tx, val)
			if err == nil {
				keep(blk)
			}
			return true, err
		})
	})
	slices.SortStableFunc(out, func(a, b protocol.Block) int {
		return cmp.Or(strings.Compare(string(a.Entry.Author), string(b.Entry.Author)),
			cmp.Compare(a.Entry.Seq, b.Entry.Seq))
	})
	return out, err
}

// indexPlan returns the index key prefix that narrows q most, if any. A
// bare MIP id scans every version of it ("MIP-HLT@").
func indexPlan(q Query, num []byte) ([]byte, bool) {
	switch {
	case q.MIP != "" && !strings.Contains(q.MIP, "@"):
		return append(append([]byte{fieldMIP}, q.MIP...), '@'), true
	case q.MIP != "":
		return appendIndexKey(nil, fieldMIP, q.MIP, num), true
	case q.District != "":
		return appendIndexKey(nil, fieldDistrict, q.District, num), true
	case q.Kind != "":
		return appendIndexKey(nil, fieldKind, q.Kind, num), true
	}
	return nil, false
}

// queryIndex calls keep with the joined entry of each index key with prefix.
func queryIndex(tx *bolt.Tx, prefix []byte, keep func(protocol.Block)) error {
	logs := tx.Bucket(bLogs)
	return scan(tx.Bucket(bIndex), prefix, prefix, func(k, _ []byte) (bool, error) {
		_, _, sk, err := splitIndexKey(k)
		if err != nil {
			return false, err
		}
		rec := logs.Get(sk)
		if rec == nil {
			return false, ErrCorrupt
		}
		blk, err := slotBlock(tx, rec)
		if err == nil {
			keep(blk)
		}
		return true, err
	})
}
