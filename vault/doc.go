// Package vault is a peer's local storage room: one bbolt file holding the
// identity key, evidence items (whose content never leaves it), entries by
// CID, per-author logs with heads, equivocation records, pending entries
// that arrived past a gap, and indexes by kind, MIP and district. Entries
// past a gap are kept under a Quota (per author, in total, at most 1,024
// seqs ahead) and dropped by Sweep once stale. The layout and rules are in
// docs/PROTOCOL.md, section 4.
//
// Example runs these lines:
//
//	v, err := vault.Create(path, opt) // new identity
//	blk, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: body})
//	res, err := v.Put(block) // block from protocol.Open
//	ev, err := v.AddEvidence(content, "lab report")
//	sw, err := v.Sweep() // periodically
//	v, err = vault.Open(path, opt) // existing home
//	defer v.Close()
package vault
