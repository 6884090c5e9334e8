// Package mem is an entry store held in memory: the storage contract of
// package storage, with the rules of vault.Bolt (first-seen primary per
// slot, fork records, pending entries past a gap joining when it fills,
// the pending quota's Ahead, slot and per-author limits) and an identity
// key, so that node.New runs over it. It passes vault/vaulttest. Nothing
// survives the process; Clone copies a store, as a backup of a home would.
// The simulation in package sim runs a hundred nodes over it.
//
//	s := mem.New(key)
//	n, err := node.New(ctx, cfg, s, node.WithHost(h))
//	old := s.Clone() // a copy to restore later
//
// Example runs it on a mocknet host.
package mem
