// Package prototest holds helpers for tests of code that reads entries:
// Resign makes a second valid block of an entry, as a hedged or malicious
// signer can, so tests can check that views depend on entry identities
// (protocol.ID) and never on which block of an identity arrived.
//
//	b2, err := prototest.Resign(priv, b, rand.Reader)
//	// b2.ID() == b.ID(), b2.CID != b.CID, protocol.Open(b2.Data) succeeds
package prototest
