package main

import (
	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/settle"
	"github.com/mesocosm/mycel/vault"
)

// pinProblem says, in one line, which pins of the config name no district
// entry held in r for their district, and what each CID is instead; nil
// when every pin is good. The daemon refuses to start on it.
func pinProblem(r vault.Reader, pins settle.Pins) error {
	return settle.CheckPins(pins, heldEntry(r))
}

// heldEntry reads entries of r for settle.CheckPins: a block that cannot
// be read counts as not held.
func heldEntry(r vault.Reader) func(cid.Cid) (protocol.Entry, bool) {
	return func(c cid.Cid) (protocol.Entry, bool) {
		b, err := r.Get(c)
		return b.Entry, err == nil
	}
}
