// Package miptest gives tests outside mip a MIP published as an entry and
// a proof under it, as a district that adopts a new MIP holds them:
//
//	def, proof := miptest.Published(t, "valley/north")
//	// def defines MIP-TST@1; proof is valid only once def is known
package miptest
