package embed_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/mesocosm/mycel/api"
	"github.com/mesocosm/mycel/embed"
)

// A clinic's peer on loopback: evidence in, a proof out, and the control
// API served for the CLI.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir, err := os.MkdirTemp("", "mycel-embed-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	v, err := embed.OpenVault(filepath.Join(dir, "vault.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()
	p, err := embed.Start(ctx, v, embed.Options{
		Districts: []string{"meso-valley/north"},
		Listen:    []string{"/ip4/127.0.0.1/tcp/0"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	ev, err := p.AddEvidence(ctx, []byte("patient,baseline_x10,outcome_x10\na,685,583\n"), "readings.csv")
	if err != nil {
		log.Fatal(err)
	}
	claim, _ := json.Marshal(map[string]any{"cohort_size": 1, "measure": "hba1c", "unit": "mmol_mol",
		"baseline_x10": 685, "outcome_x10": 583, "period_days": 180, "method": "pre_post_cohort"})
	pub, err := p.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: claim, Evidence: []string{ev.ID}, District: "meso-valley/north"})
	if err != nil {
		log.Fatal(err)
	}
	st, err := p.ProofStatus(ctx, pub.CID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pub.MIP, "verified:", st.Verified, "needs", st.K, "attestations")

	ln, err := api.Listen("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- p.Serve(sctx, ln, "secret-token") }()
	id, err := api.NewClient(ln.Addr().String(), "secret-token").Identity(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("served:", id.PeerID == p.ID().String())
	stop()
	if err := <-served; err != nil {
		log.Fatal(err)
	}
	// Output:
	// MIP-HLT@1 verified: false needs 2 attestations
	// served: true
}

// Without a node, Local is the same control API over the vault alone.
func ExampleLocal() {
	dir, err := os.MkdirTemp("", "mycel-embed-local")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	v, err := embed.OpenVault(filepath.Join(dir, "vault.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()
	l, err := embed.Local(v, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := l.Status(context.Background()); err != nil {
		fmt.Println(err)
	}
	// Output: no daemon is running
}
