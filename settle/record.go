package settle

import (
	"bytes"
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Record is one entry of a Set, decoded once: the block, its identity and
// its body. Records are shared between sets and never modified.
type Record struct {
	protocol.Block
	ID   protocol.ID
	Body protocol.Body // nil when the kind is unknown to k or the body fails its check
}

// Decode prepares a block that has passed protocol.Open (the edge checks
// signatures; Decode does not). An entry of an unknown kind, or whose body
// does not check, still takes its place in its author's log but no view
// reads its body.
func Decode(k protocol.Kinds, b protocol.Block) *Record {
	r := &Record{Block: b, ID: b.ID()}
	if body, err := k.Decode(b.Entry); err == nil {
		r.Body = body
	}
	return r
}

// Author returns the entry's author.
func (r *Record) Author() peer.ID { return r.ID.Author }

// Receipt returns the body if r is a well-formed receipt.
func (r *Record) Receipt() (*Receipt, bool) {
	b, ok := r.Body.(*Receipt)
	return b, ok && r.Entry.Kind == protocol.KindReceipt
}

// before orders records canonically: author bytes, seq, digest.
func before(a, b *Record) int {
	if c := strings.Compare(string(a.ID.Author), string(b.ID.Author)); c != 0 {
		return c
	}
	if a.ID.Seq != b.ID.Seq {
		if a.ID.Seq < b.ID.Seq {
			return -1
		}
		return 1
	}
	return bytes.Compare(a.ID.Digest[:], b.ID.Digest[:])
}
