package api_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/vault"
)

// Serve a vault's control API on loopback and ask it who it is, as the
// CLI does.
func Example() {
	dir, err := os.MkdirTemp("", "mycel-api-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	v, err := vault.Create(filepath.Join(dir, "vault.db"), vault.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()

	ln, err := api.Listen("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := api.NewServer(&api.Local{Vault: v, Registry: mip.Builtins()}, "secret-token", "example")
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() { srv.Shutdown(context.Background()); <-served }()

	c := api.NewClient(ln.Addr().String(), "secret-token")
	id, err := c.Identity(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(id.PeerID == v.ID().String(), len(id.Addrs))
	// Output: true 0
}

// An embedder or a test that only reads proofs asks for that part of the
// control API, which Local, Client and Server-backed services all offer.
func ExampleProofService() {
	var proofs api.ProofService = &api.Local{Registry: mip.Builtins()}
	ms, err := proofs.MIPs(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(ms) > 0)
	// Output: true
}
