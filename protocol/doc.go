// Package protocol is Mycel's pure kernel: entries, their canonical DAG-CBOR
// encoding, CIDs, signatures, identities, kind bodies and evidence
// commitments. It does no I/O.
//
// An entry is built, signed and sealed into a Block, the unit that travels:
//
//	b, err := protocol.Sign(priv, protocol.Entry{Seq: 1, Kind: "proof", Body: body})
//	// b.CID, b.Data (the exact bytes), b.Entry
//
// Bytes from anywhere else are opened strictly, which checks the encoding,
// the size limit and the signature:
//
//	b, err := protocol.Open(data)
package protocol
