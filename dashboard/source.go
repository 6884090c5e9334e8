package dashboard

import (
	"context"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/api"
)

// Views is what the pages read.
type Views interface {
	Identity(ctx context.Context) (api.Identity, error)
	Status(ctx context.Context) (api.Status, error)
	Proofs(ctx context.Context, q api.ProofQuery) (api.ProofPage, error)
	ProofStatus(ctx context.Context, proof string) (api.ProofStatus, error)
	Block(ctx context.Context, c cid.Cid) ([]byte, error)
	MIPs(ctx context.Context) ([]api.MIPSummary, error)
	MIP(ctx context.Context, ref string) (api.MIPDoc, error)
	Balances(ctx context.Context) ([]api.Balance, error)
	Receipts(ctx context.Context) ([]api.Receipt, error)
	Pledges(ctx context.Context, q api.PledgeQuery) ([]api.PledgeRow, error)
}

// Actions is what the forms write.
type Actions interface {
	AddEvidence(ctx context.Context, content []byte, label string) (api.Evidence, error)
	Publish(ctx context.Context, req api.PublishRequest) (api.Published, error)
	Attest(ctx context.Context, req api.AttestRequest) (api.Written, error)
	Pay(ctx context.Context, req api.PayRequest) (api.Written, error)
	Pledge(ctx context.Context, req api.PledgeRequest) (api.Written, error)
}

// Source is a peer as the dashboard sees it: an *api.Client, or any
// api.Service.
type Source interface {
	Views
	Actions
}

var _ Source = (*api.Client)(nil)
