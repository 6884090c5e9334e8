// Package demo runs a whole Mycel district in one process on loopback:
// real libp2p peers with real vaults, running the outcome loop from
// evidence to settled balances, and narrates it. `mycel demo` calls Run.
package demo
