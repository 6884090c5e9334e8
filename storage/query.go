package storage

import (
	"strings"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// Query selects joined entries. Zero fields match everything.
type Query struct {
	Kind     string
	MIP      string // "MIP-HLT@1" or "MIP-HLT" for any version
	District string
	Author   peer.ID
}

// Matches reports whether blk's entry is selected by q.
func (q Query) Matches(blk protocol.Block) bool {
	e := blk.Entry
	switch {
	case q.Author != "" && e.Author != q.Author,
		q.Kind != "" && e.Kind != q.Kind,
		q.District != "" && e.District != q.District:
		return false
	case q.MIP == "":
		return true
	}
	ref := MIPRef(e)
	id, _, _ := strings.Cut(ref, "@")
	return ref != "" && (ref == q.MIP || id == q.MIP)
}

// MIPRef returns the MIP reference ("MIP-HLT@1") a proof entry is judged
// under, or "" for other kinds and malformed proofs.
func MIPRef(e protocol.Entry) string {
	if e.Kind != protocol.KindProof {
		return ""
	}
	var p protocol.Proof
	if err := protocol.Unmarshal(e.Body, &p); err != nil {
		return ""
	}
	if _, _, ok := protocol.ParseMIPRef(p.MIP); !ok {
		return ""
	}
	return p.MIP
}
