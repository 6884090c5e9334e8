package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
)

// Remembered is a peer this node was connected to and redials, listed in
// Status while it is not connected.
type Remembered struct {
	PeerID    string    `json:"peer_id"`
	Addrs     []string  `json:"addrs"`
	Source    string    `json:"source"`    // connect | bootstrap | mdns | dht | inbound | dial
	LastSeen  time.Time `json:"last_seen"` // zero: never connected (a bootstrap peer)
	LastError string    `json:"last_error"`
	NextDial  time.Time `json:"next_dial"`
}

// PeerMemory is the part of a Mesh that remembers peers. A Mesh without
// it lists none and forgets none.
type PeerMemory interface {
	// Remembered lists the remembered peers that are not connected.
	Remembered() []Remembered
	// Forget removes a remembered peer and closes its connections; an
	// error wrapping ErrNotFound when it is not remembered.
	Forget(ctx context.Context, p peer.ID) error
}

// ForgetRequest is the body of POST /v1/forget: a peer ID, or a
// multiaddr ending in /p2p/<peer id>.
type ForgetRequest struct {
	Peer string `json:"peer"`
}

// Forgotten is the answer of POST /v1/forget.
type Forgotten struct {
	PeerID string `json:"peer_id"`
}

// ParsePeer reads a peer ID or a multiaddr ending in /p2p/<peer id>.
func ParsePeer(s string) (peer.ID, error) {
	if strings.HasPrefix(s, "/") {
		m, err := ma.NewMultiaddr(s)
		if err != nil {
			return "", badInput("%q is not a multiaddr: %v", s, err)
		}
		info, err := peer.AddrInfoFromP2pAddr(m)
		if err != nil {
			return "", badInput("%q names no peer: end it with /p2p/<peer id>", s)
		}
		return info.ID, nil
	}
	id, err := peer.Decode(s)
	if err != nil {
		return "", badInput("%q is not a peer ID or a multiaddr", s)
	}
	return id, nil
}

// Forget removes a remembered peer: it is no longer redialled.
func (l *Local) Forget(ctx context.Context, p string) (Forgotten, error) {
	id, err := ParsePeer(p)
	if err != nil {
		return Forgotten{}, err
	}
	pm, ok := l.Mesh.(PeerMemory)
	if l.Mesh == nil || !ok {
		return Forgotten{}, ErrOffline
	}
	if err := pm.Forget(ctx, id); err != nil {
		return Forgotten{}, err
	}
	return Forgotten{PeerID: id.String()}, nil
}

// remembered lists the mesh's remembered peers not connected, never nil.
func (l *Local) remembered() []Remembered {
	out := []Remembered{}
	if pm, ok := l.Mesh.(PeerMemory); ok {
		out = append(out, pm.Remembered()...)
	}
	return out
}

func (s *Server) forget(w http.ResponseWriter, r *http.Request) {
	var req ForgetRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, err)
		return
	}
	v, err := s.svc.Forget(r.Context(), req.Peer)
	reply(w, v, err)
}

// Forget asks the daemon to forget a remembered peer.
func (c *Client) Forget(ctx context.Context, p string) (v Forgotten, err error) {
	return v, c.postJSON(ctx, "/v1/forget", ForgetRequest{Peer: p}, &v)
}
