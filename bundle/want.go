package bundle

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
)

// WantVersion is the version of the want file format.
const WantVersion = 1

// ErrBadWant reports a want file that cannot be read.
var ErrBadWant = errors.New("bad want file")

// Want is a receiver's version vector: for each author, the seq and payload
// digest of the head it holds. An exporter sends what comes after it.
type Want struct {
	Version int        `json:"version"`
	Heads   []WantHead `json:"heads"`
}

// WantHead is one author's head in a Want.
type WantHead struct {
	Author string `json:"author"` // peer ID
	Seq    uint64 `json:"seq"`
	Digest string `json:"digest"` // hex sha2-256 of the head's payload
}

// WantOf returns the version vector of r.
func WantOf(r storage.Reader) (Want, error) {
	heads, err := r.Heads()
	if err != nil {
		return Want{}, fmt.Errorf("want: %w", err)
	}
	w := Want{Version: WantVersion, Heads: make([]WantHead, 0, len(heads))}
	for _, h := range heads {
		w.Heads = append(w.Heads, WantHead{
			Author: h.Author.String(), Seq: h.Seq, Digest: hex.EncodeToString(h.Digest[:]),
		})
	}
	return w, nil
}

// Write writes w as an indented JSON want file with a final newline.
func (w Want) Write(out io.Writer) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(w); err != nil {
		return fmt.Errorf("want: %w", err)
	}
	return nil
}

// ReadWant parses a want file strictly.
func ReadWant(r io.Reader) (Want, error) {
	dec := json.NewDecoder(io.LimitReader(r, 64<<20))
	dec.DisallowUnknownFields()
	var w Want
	if err := dec.Decode(&w); err != nil {
		return Want{}, fmt.Errorf("%w: %v", ErrBadWant, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Want{}, fmt.Errorf("%w: data after the JSON object", ErrBadWant)
	}
	if w.Version != WantVersion {
		return Want{}, fmt.Errorf("%w: version %d, want %d", ErrBadWant, w.Version, WantVersion)
	}
	if _, err := w.vector(); err != nil {
		return Want{}, err
	}
	return w, nil
}

// vector indexes the want by author.
func (w Want) vector() (map[peer.ID]storage.Head, error) {
	v := make(map[peer.ID]storage.Head, len(w.Heads))
	for i, h := range w.Heads {
		id, err := protocol.ParsePeer(h.Author)
		if err != nil {
			return nil, fmt.Errorf("%w: heads[%d]: %v", ErrBadWant, i, err)
		}
		d, err := hex.DecodeString(h.Digest)
		if err != nil || len(d) != 32 {
			return nil, fmt.Errorf("%w: heads[%d]: digest is not 32 bytes of hex", ErrBadWant, i)
		}
		if _, dup := v[id]; dup {
			return nil, fmt.Errorf("%w: heads[%d]: author %s listed twice", ErrBadWant, i, h.Author)
		}
		head := storage.Head{Author: id, Seq: h.Seq}
		copy(head.Digest[:], d)
		v[id] = head
	}
	return v, nil
}
