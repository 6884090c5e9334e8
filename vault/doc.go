// Package vault is a peer's local storage room: one bbolt file holding the
// identity key, evidence items (whose content never leaves it), entries by
// CID, per-author logs with heads, equivocation records, pending entries
// that arrived past a gap, and indexes by kind, MIP and district. Entries
// past a gap are kept under a Quota (per author, in total, at most 1,024
// seqs ahead) and dropped by Sweep once stale. The layout and rules are in
// docs/PROTOCOL.md, section 4.
//
//	v, err := vault.Create(path, vault.Options{})   // new identity
//	v, err := vault.Open(path, vault.Options{})     // existing home
//	defer v.Close()
//	res, err := v.Put(block)                        // block from protocol.Open
//	blk, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: body})
//	ev, err := v.AddEvidence(content, "lab report")
//	sw, err := v.Sweep()                            // periodically
package vault
