package main

import (
	"fmt"
	"io"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// warnOwnLog prints a warning when the node refuses to write its own log:
// at once if it does at start, then whenever the reason changes (a fork
// or fraud entry about it arrives, another process of its identity
// writes). It returns a function that stops the watch and waits for it.
func (a *app) warnOwnLog(n *node.Node) (stop func()) {
	ev, cancel := n.Subscribe(64)
	last := ownWarn(a.stderr, n, "")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range ev {
			if s, ok := e.(node.Stored); ok && aboutSelf(n, s) {
				last = ownWarn(a.stderr, n, last)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// aboutSelf: s may change whether the node may write its own log.
func aboutSelf(n *node.Node, s node.Stored) bool {
	return s.Block.Entry.Author == n.ID() || s.Result.Status == vault.Equivocation || s.Block.Entry.Kind == protocol.KindFraud
}

// ownWarn prints the node's own-log refusal when it differs from last,
// and returns it.
func ownWarn(w io.Writer, n *node.Node, last string) string {
	err := n.OwnLogErr()
	if err == nil {
		return ""
	}
	if msg := err.Error(); msg != last {
		fmt.Fprintf(w, "WARNING: this peer refuses to write: %s\n", msg)
		return msg
	}
	return last
}
