package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/protocol"
)

// refusingMesh is a mesh whose peer refuses to write its own log.
type refusingMesh struct {
	fakeMesh
	why error
}

func (m *refusingMesh) Publish(context.Context, protocol.Entry) (protocol.Block, error) {
	return protocol.Block{}, Conflict(m.why)
}

func (m *refusingMesh) OwnLogErr() error { return m.why }

// TestOwnLogConflict: a write the peer refuses to keep its own log whole
// answers 409 conflict with the one-line remedy, the client maps it back
// to ErrConflict, and status carries the same line as a warning.
func TestOwnLogConflict(t *testing.T) {
	l, v := newLocal(t)
	why := errors.New("own log forked: every peer that holds both entries flags this identity for good; write from a new identity (mycel init in a new home)")
	l.Mesh = &refusingMesh{fakeMesh: fakeMesh{v: v}, why: why}
	addr := serve(t, l)
	c := NewClient(addr, testToken)
	ctx := t.Context()
	_, err := c.Publish(ctx, PublishRequest{MIP: "MIP-HLT@1", Claim: json.RawMessage(hltClaim), NoEvidence: true})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), why.Error()) {
		t.Fatalf("publish refused by the mesh: %v, want ErrConflict with the remedy", err)
	}
	k, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	payee, _ := peer.IDFromPrivateKey(k)
	resp, body := dial(t, addr).do(t, "POST", "/v1/receipts", `{"payee":"`+payee.String()+`","amount":1,"unit":"EUR","district":"meso-valley/north"}`, auth(addr)...)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `"code":"conflict"`) {
		t.Fatalf("receipt refused by the mesh: %d %s, want 409 conflict", resp.StatusCode, body)
	}
	st, err := c.Status(ctx)
	if err != nil || st.Self.Warning != why.Error() {
		t.Fatalf("status warning %q (%v), want the refusal", st.Self.Warning, err)
	}
}
