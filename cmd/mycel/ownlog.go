package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/mesocosm/mycel/node"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// warnOwnLog prints a warning when the node refuses to write its own log:
// at once if it does at start, then whenever the reason changes (a fork
// or fraud entry about it arrives, another process of its identity
// writes). It returns a function that stops the watch and waits for it.
func (a *app) warnOwnLog(n *node.Node) (stop func()) {
	return watchOwnLog(n, plainWarn(a.stderr))
}

// plainWarn writes the refusal as a WARNING line on w.
func plainWarn(w io.Writer) func(string) {
	return func(msg string) { fmt.Fprintf(w, "WARNING: this peer refuses to write: %s\n", msg) }
}

// ownSayer is how the daemon says the refusal: a WARNING line on w, or a
// warn line of l when l writes JSON (so every stderr line stays JSON).
func ownSayer(w io.Writer, l *slog.Logger) func(string) {
	if _, ok := l.Handler().(*slog.JSONHandler); ok {
		return func(msg string) { l.Warn("this peer refuses to write", "reason", msg) }
	}
	return plainWarn(w)
}

// watchOwnLog says the refusal with say at start and on each change.
func watchOwnLog(n *node.Node, say func(string)) (stop func()) {
	ev, cancel := n.Subscribe(64)
	last := ownWarn(say, n, "")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range ev {
			if s, ok := e.(node.Stored); ok && aboutSelf(n, s) {
				last = ownWarn(say, n, last)
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
func ownWarn(say func(string), n *node.Node, last string) string {
	err := n.OwnLogErr()
	if err == nil {
		return ""
	}
	if msg := err.Error(); msg != last {
		say(msg)
		return msg
	}
	return last
}
