// Package scale builds large homes for the scale measurements: a home
// whose vault holds Authors × PerAuthor signed entries of one district, a
// mix of MIP-HLT@1 proofs by clinics, attestations of them by verifiers,
// and pledges and receipts by funders, every entry valid under the node's
// checks. Built homes are cached under the temporary directory and reused.
//
//	b, err := scale.Cached(scale.Size{Authors: 1000, PerAuthor: 100})
//	// b.Home is a home to copy and run a daemon on; b.Manifest names a
//	// clinic to pay and proofs left to attest.
package scale
