package storage

import (
	"errors"

	"github.com/mesocosm/mycel/protocol"
)

// Page is one page of a query's results (Reader.QueryPage).
type Page struct {
	Blocks []protocol.Block
	// Next resumes the query after this page; "" when nothing follows.
	Next string
}

const (
	// MaxPage is the most entries a page holds, and the page size when
	// none is asked for.
	MaxPage = 1000
	// MaxPageScan bounds the entries one page reads: a filter few entries
	// match ends a page short, with a Next to go on from.
	MaxPageScan = 10 * MaxPage
	// MaxCursor is the longest Next a store accepts back.
	MaxCursor = 512
)

// ErrBadCursor means a cursor is not a Next this store gave for the same
// query.
var ErrBadCursor = errors.New("bad cursor: not the next-page cursor of this query")

// PageSize returns limit as a page size: MaxPage when limit is zero,
// negative or larger.
func PageSize(limit int) int {
	if limit <= 0 || limit > MaxPage {
		return MaxPage
	}
	return limit
}
