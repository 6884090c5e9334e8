// Package storage is the entry store's contract: the result of putting a
// block (Status, Result), the version vector's element (Head), equivocation
// records (Fork), entry selection (Query), the sentinel errors callers
// branch on, and the small interfaces (Reader, Writer, Store) that gossip,
// replicate and bundle depend on. It holds no implementation: vault.Bolt
// (one bbolt file) and storage/mem (in memory, for simulation) are two, and
// both pass vault/vaulttest.
//
//	func count(r storage.Reader) (int, error) {
//		hs, err := r.Heads()
//		if err != nil {
//			return 0, err
//		}
//		n := 0
//		for _, h := range hs {
//			n += int(h.Seq)
//		}
//		return n, nil
//	}
//
// (Example runs it over a storage/mem store.)
package storage
