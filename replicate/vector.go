package replicate

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"sort"
	"strings"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Version is one author's element of a version vector: the head of the
// author's contiguous log and every entry held as part of a fork.
type Version struct {
	Author peer.ID
	Seq    uint64
	Digest [32]byte  // protocol.ID digest of the head entry
	Forks  []cid.Cid // entries of recorded equivocations, any order
	ForkAt []uint64  // seqs with a recorded equivocation
}

// Vector is a set of Versions, at most one per author, ordered by author
// key. The zero value is an empty, usable vector.
type Vector struct {
	elems []elem
}

// elem is a Version with the values reconciliation compares.
type elem struct {
	key     uint64 // first 8 bytes of sha256(author), big-endian
	ver     Version
	forkSum []byte   // 8 bytes over the sorted fork CIDs; nil without forks
	hash    [32]byte // sha256(author | seq | digest | forkSum)
}

// NewVector builds a vector from versions. A later version of an author
// replaces an earlier one.
func NewVector(vs []Version) Vector {
	byAuthor := make(map[peer.ID]int, len(vs))
	var es []elem
	for _, v := range vs {
		e := newElem(v)
		if i, ok := byAuthor[v.Author]; ok {
			es[i] = e
			continue
		}
		byAuthor[v.Author] = len(es)
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b elem) int {
		if a.key != b.key {
			return cmpU64(a.key, b.key)
		}
		return strings.Compare(string(a.ver.Author), string(b.ver.Author))
	})
	return Vector{elems: es}
}

// Len returns the number of authors in v.
func (v Vector) Len() int { return len(v.elems) }

// Versions returns v's elements in key order.
func (v Vector) Versions() []Version {
	out := make([]Version, len(v.elems))
	for i, e := range v.elems {
		out[i] = e.ver
	}
	return out
}

// AuthorKey returns the 64-bit key that places an author in the hash tree.
func AuthorKey(a peer.ID) uint64 {
	s := sha256.Sum256([]byte(a))
	return binary.BigEndian.Uint64(s[:8])
}

func newElem(v Version) elem {
	forks := slices.Clone(v.Forks)
	slices.SortFunc(forks, func(a, b cid.Cid) int { return strings.Compare(a.KeyString(), b.KeyString()) })
	forks = slices.CompactFunc(forks, func(a, b cid.Cid) bool { return a.Equals(b) })
	v.Forks = forks
	e := elem{key: AuthorKey(v.Author), ver: v}
	if len(forks) > 0 {
		h := sha256.New()
		for _, c := range forks {
			h.Write(c.Bytes())
		}
		e.forkSum = h.Sum(nil)[:8]
	}
	h := sha256.New()
	h.Write([]byte(v.Author))
	h.Write(binary.BigEndian.AppendUint64(nil, v.Seq))
	h.Write(v.Digest[:])
	h.Write(e.forkSum)
	copy(e.hash[:], h.Sum(nil))
	return e
}

// bucket returns the elements whose keys start with prefix p.
func (v Vector) bucket(p prefix) []elem {
	lo, hi := p.span()
	i := sort.Search(len(v.elems), func(i int) bool { return v.elems[i].key >= lo })
	j := sort.Search(len(v.elems), func(i int) bool { return v.elems[i].key > hi })
	return v.elems[i:j]
}

// summary returns the count and tree hash of the elements under p.
func (v Vector) summary(p prefix) (int, []byte) {
	return summarize(v.bucket(p))
}

// summarize hashes a bucket: sha256 over its element hashes in key order,
// cut to hashSize bytes; nil for an empty bucket.
func summarize(es []elem) (int, []byte) {
	if len(es) == 0 {
		return 0, nil
	}
	h := sha256.New()
	for _, e := range es {
		h.Write(e.hash[:])
	}
	return len(es), h.Sum(nil)[:hashSize]
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
