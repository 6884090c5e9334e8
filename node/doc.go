// Package node assembles a Mycel peer: a libp2p host (TCP and QUIC, Noise
// and TLS, yamux, NAT traversal), gossip on the followed districts, the
// private DHT, the sync and fetch protocols, and the vault underneath. It
// is the only package that builds a libp2p host.
//
//	v, _ := vault.Open(path, vault.Options{})
//	n, err := node.New(ctx, node.Config{Districts: []string{"meso-valley/north"}}, v)
//	defer n.Close()
//	events, cancel := n.Subscribe(64)
//	b, err := n.Publish(ctx, protocol.Entry{Kind: "attest", District: "meso-valley/north", Body: body})
package node
