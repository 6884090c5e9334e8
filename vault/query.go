package vault

import (
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/protocol"
)

// Query returns the joined entries matching q, ordered by author then seq.
// It scans one index (MIP, else district, else kind, else the logs) and
// filters by the other fields.
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
		bucket, prefix := plan(q, ak)
		return scan(tx.Bucket(bucket), prefix, prefix, func(_, val []byte) (bool, error) {
			blk, err := blockAt(tx, val)
			if err == nil && q.matches(tx, blk) {
				out = append(out, blk)
			}
			return true, err
		})
	})
	return out, err
}

// plan picks the index bucket and key prefix that narrow q most.
func plan(q Query, ak []byte) ([]byte, []byte) {
	switch {
	case q.MIP != "":
		return bMIP, append(indexKey(q.MIP, nil), ak...)
	case q.District != "":
		return bDistrict, append(indexKey(q.District, nil), ak...)
	case q.Kind != "":
		return bKind, append(indexKey(q.Kind, nil), ak...)
	}
	return bLogs, ak
}

// matches checks the fields the chosen index did not.
func (q Query) matches(tx *bolt.Tx, blk protocol.Block) bool {
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
