package api

import (
	"context"
	"errors"
	"testing"

	"github.com/mesocosm/mycel/mip"
)

// proofsOnly implements PeerService and ProofService, and nothing else.
type proofsOnly struct {
	PeerService
	ProofService
}

// TestServerServesParts: a server over a value that implements only some
// parts of Service serves those and answers not found to the rest.
func TestServerServesParts(t *testing.T) {
	l, _ := newLocal(t)
	l.Registry = mip.Builtins()
	c := NewClient(serve(t, proofsOnly{l, l}), testToken)
	ctx := context.Background()
	if _, err := c.Identity(ctx); err != nil {
		t.Fatal(err)
	}
	if ms, err := c.MIPs(ctx); err != nil || len(ms) == 0 {
		t.Fatalf("mips: %v, %v", ms, err)
	}
	if _, err := c.Balances(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("balances from a server with no settlement part: %v, want not found", err)
	}
	if _, err := c.Evidence(ctx); !errors.Is(err, ErrNotFound) {
		t.Fatalf("evidence from a server with no evidence part: %v, want not found", err)
	}
}
