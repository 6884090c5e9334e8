// Package gossip spreads entries over gossipsub, one topic per district
// (/mycel/1/d/<district>/entries), one entry block per message.
//
// Pubsub's own signing is off (StrictNoSign): entries carry their own
// signatures. The message ID is the entry's CID. A typed validator opens
// every message, checks it with the kernel, and stores it before any
// subscriber sees it, so that an entry already held is ignored however late
// it comes back:
//
//	g, err := gossip.New(h, gossip.Config{Check: check, Store: putOne(store)})
//	sub, err := g.Subscribe("meso-valley/north")
//	err = g.Publish(ctx, "meso-valley/north", block)
//	d, err := sub.Next(ctx) // an accepted, stored block from a peer
//	g.Close()
//
// Config.Store stores one block (putOne in Example wraps a
// storage.Writer's Put); Example runs two peers on mocknet.
package gossip
