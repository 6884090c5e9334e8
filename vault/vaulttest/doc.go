// Package vaulttest is the conformance suite every vault.Store passes, and
// helpers that make signed test entries.
//
//	func TestBolt(t *testing.T) {
//		vaulttest.Test(t, func(t *testing.T) vault.Store { return newBolt(t) })
//	}
package vaulttest
