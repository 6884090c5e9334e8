package api

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/vault"
)

// LogEntry is one row of `mycel log`.
type LogEntry struct {
	CID      string    `json:"cid"`
	Author   string    `json:"author"`
	Seq      uint64    `json:"seq"`
	Kind     string    `json:"kind"`
	District string    `json:"district"`
	Time     time.Time `json:"time,omitzero"` // absent when TimeMS is outside the years 0-9999
	TimeMS   int64     `json:"time_ms"`       // the entry's time exactly, unix milliseconds
}

// LogQuery selects entries for Log: of Author (a peer ID or did:key), or
// of every author when empty; Limit and After page as in ProofQuery.
type LogQuery struct {
	Author string `json:"author"`
	Limit  int    `json:"limit,omitempty"`
	After  string `json:"after,omitempty"`
}

// LogPage is one page of a log listing.
type LogPage struct {
	Entries []LogEntry `json:"entries"`
	// Next continues the listing (LogQuery.After); "" at its end.
	Next string `json:"next,omitempty"`
}

// Log lists a page of the joined entries q selects, in log order by
// author (authors in the order the vault first held them).
func (l *Local) Log(_ context.Context, q LogQuery) (LogPage, error) {
	var vq vault.Query
	if q.Author != "" {
		id, err := protocol.ParsePeer(q.Author)
		if err != nil {
			return LogPage{}, badInput("author: %v", err)
		}
		vq.Author = id
	}
	if q.Limit < 0 || q.Limit > MaxPage {
		return LogPage{}, badInput("limit %d: want 1 to %d", q.Limit, MaxPage)
	}
	page, err := l.Vault.QueryPage(vq, q.After, q.Limit)
	if errors.Is(err, storage.ErrBadCursor) {
		return LogPage{}, badInput("after: %v; list again from the start, without it", err)
	}
	if err != nil {
		return LogPage{}, fmt.Errorf("log: %w", err)
	}
	out := LogPage{Entries: make([]LogEntry, len(page.Blocks)), Next: page.Next}
	for i, b := range page.Blocks {
		out.Entries[i] = logEntry(b)
	}
	return out, nil
}

func logEntry(b protocol.Block) LogEntry {
	return LogEntry{
		CID: b.CID.String(), Author: b.Entry.Author.String(), Seq: b.Entry.Seq,
		Kind: b.Entry.Kind, District: b.Entry.District, Time: entryTime(b.Entry.Time), TimeMS: b.Entry.Time,
	}
}

// entryTime is a stored time in unix milliseconds as a time the JSON
// encoder can write: the zero time when it falls outside the years
// 0-9999 that RFC 3339 can spell. No stored value can fail an answer;
// the exact value travels beside it as milliseconds.
func entryTime(ms int64) time.Time {
	t := time.UnixMilli(ms).UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return time.Time{}
	}
	return t
}

// Block returns the exact bytes of the entry with CID c.
func (l *Local) Block(_ context.Context, c cid.Cid) ([]byte, error) {
	b, err := l.Vault.Get(c)
	if errors.Is(err, vault.ErrNotFound) {
		return nil, notFound("no entry %s in the vault", c)
	}
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", c, err)
	}
	return b.Data, nil
}

// ParseCID parses a CID given by a user.
func ParseCID(s string) (cid.Cid, error) {
	c, err := cid.Decode(s)
	if err != nil {
		return cid.Undef, badInput("%q is not a CID", s)
	}
	return c, nil
}
