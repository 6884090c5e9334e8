// Package protocol is Mycel's pure kernel: entries, their canonical DAG-CBOR
// encoding, CIDs, signatures, identities, kind bodies and evidence
// commitments. It does no I/O. The normative text is docs/PROTOCOL.md, sections 1
// and 2; testdata/golden holds the test vectors.
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
//	body, err := protocol.DefaultKinds().Decode(b.Entry)
//
// A proof commits to its evidence by a Merkle root over salted leaves; one
// item is later disclosed with its audit path:
//
//	root := protocol.Root(leaves) // leaves[i] = protocol.Leaf(salt, sha256(content))
//	path, err := protocol.Inclusion(leaves, i)
//	err = protocol.Disclosure{Content: c, Salt: s, Index: uint64(i), Path: path}.Verify(proof.Evidence)
package protocol
