// Package dht is Mycel's private Kademlia DHT: protocol /mycel/kad/1.0.0,
// never the IPFS one. It holds provider records only, under CIDs of
// well-known names (Key): district membership, author logs, and later grid
// capabilities and arenas.
//
//	d, err := dht.New(h, dht.Config{Server: true})
//	err = d.Provide(ctx, dht.DistrictKey("meso-valley/north"))
//	peers, err := d.FindProviders(ctx, dht.DistrictKey("meso-valley/north"), 20)
//	d.Close()
//
// Example runs three peers on mocknet.
//
// Results are hints: whatever is fetched from a provider is checked
// against its CID.
package dht
