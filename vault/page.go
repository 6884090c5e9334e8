package vault

import (
	"bytes"
	"encoding/base64"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/mesocosm/mycel/storage"
)

// Page is a page of a query's results.
type Page = storage.Page

// Cursor tags: which bucket a cursor's key is of.
const (
	cursorLogs  = 'l'
	cursorIndex = 'i'
)

// QueryPage returns a page of the joined entries matching q, in key order
// of the index field Query would scan (or of the logs): by author number,
// then seq, within a field value. The cursor is the last key read, so a
// page costs what it reads whatever page of the results it is.
func (v *Bolt) QueryPage(q Query, after string, limit int) (Page, error) {
	limit = storage.PageSize(limit)
	var page Page
	err := v.view(func(tx *bolt.Tx) error {
		var num []byte
		if q.Author != "" {
			var err error
			if num, err = lookup(tx, q.Author); err != nil || num == nil {
				return err
			}
		}
		tag, bucket, prefix := byte(cursorLogs), tx.Bucket(bLogs), num
		if p, ok := indexPlan(q, num); ok {
			tag, bucket, prefix = cursorIndex, tx.Bucket(bIndex), p
		}
		seek := prefix
		if after != "" {
			last, err := parseCursor(after, tag, prefix)
			if err != nil {
				return err
			}
			seek = append(last, 0) // the least key past last
		}
		logs := tx.Bucket(bLogs)
		var last []byte
		read := 0
		err := scan(bucket, prefix, seek, func(k, val []byte) (bool, error) {
			if len(page.Blocks) == limit || read == storage.MaxPageScan {
				page.Next = cursor(tag, last)
				return false, nil
			}
			read++
			last = append(last[:0], k...)
			rec := val
			if tag == cursorIndex {
				_, _, sk, err := splitIndexKey(k)
				if err != nil {
					return false, err
				}
				if rec = logs.Get(sk); rec == nil {
					return false, ErrCorrupt
				}
			}
			blk, err := slotBlock(tx, rec)
			if err != nil {
				return false, err
			}
			if q.Matches(blk) {
				page.Blocks = append(page.Blocks, blk)
			}
			return true, nil
		})
		return err
	})
	return page, err
}

func cursor(tag byte, key []byte) string {
	return base64.RawURLEncoding.EncodeToString(append([]byte{tag}, key...))
}

// parseCursor returns the key a cursor of the given tag names, which must
// lie under prefix.
func parseCursor(s string, tag byte, prefix []byte) ([]byte, error) {
	if len(s) > storage.MaxCursor {
		return nil, fmt.Errorf("%w (%d characters)", storage.ErrBadCursor, len(s))
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || b[0] != tag || !bytes.HasPrefix(b[1:], prefix) {
		return nil, storage.ErrBadCursor
	}
	return b[1:], nil
}
