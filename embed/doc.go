// Package embed runs a Mycel peer inside another program: open a vault,
// start a peer with options, publish evidence and proofs, attest, pay and
// pledge through the control API the peer embeds (*api.Local), wait on its
// entries and views, and serve that API on a loopback listener for the
// CLI. It is what `mycel daemon` runs; nothing needs copying.
//
//	v, err := embed.OpenVault("clinic/vault.db", nil)
//	p, err := embed.Start(ctx, v, embed.Options{
//		Districts: []string{"meso-valley/north"},
//		Listen:    []string{"/ip4/127.0.0.1/tcp/0"},
//	})
//	defer p.Close()
//	ev, err := p.AddEvidence(ctx, csv, "readings.csv")
//	pub, err := p.Publish(ctx, api.PublishRequest{MIP: "MIP-HLT@1", Claim: claim, Evidence: []string{ev.ID}})
//	err = p.Serve(ctx, ln, token)
//
// Without a node, Local gives the same control API over a vault alone
// (what the CLI uses when no daemon runs).
package embed
