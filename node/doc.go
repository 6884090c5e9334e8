// Package node assembles a Mycel peer: a libp2p host (TCP and QUIC, Noise
// and TLS, yamux, NAT traversal), gossip on the followed districts, the
// private DHT, the sync and fetch protocols, and the vault underneath. It
// is the only package that builds a libp2p host.
//
//	v, err := vault.Create(path, vault.Options{})
//	n, err := node.New(ctx, cfg, v) // cfg.Districts: the districts followed
//	defer n.Close()
//	events, cancel := n.Subscribe(64)
//	blk, err := n.Publish(ctx, protocol.Entry{Kind: "attest", District: "meso-valley/north", Body: body})
//
// Example runs two peers on loopback.
package node
