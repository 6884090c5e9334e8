package demo

import (
	"fmt"
	"io"
	"time"
)

// narrator prints the story line by line, each stamped with the time
// since the demo began.
// The first write that fails (the reader of a pipe went away, as with
// `mycel demo | head`) is passed to fail, which stops the demo; later
// lines are dropped.
type narrator struct {
	w      io.Writer
	start  time.Time
	fail   func(error)
	failed bool
}

func (n *narrator) say(format string, args ...any) {
	el := time.Since(n.start).Seconds()
	n.print("[%5.1fs] %s\n", el, fmt.Sprintf(format, args...))
}

func (n *narrator) detail(format string, args ...any) {
	n.print("         %s\n", fmt.Sprintf(format, args...))
}

func (n *narrator) section(title string) {
	n.print("\n== %s\n", title)
}

func (n *narrator) print(format string, args ...any) {
	if n.failed {
		return
	}
	if _, err := fmt.Fprintf(n.w, format, args...); err != nil {
		n.failed = true
		if n.fail != nil {
			n.fail(err)
		}
	}
}

// short abbreviates a peer ID or CID for the narration.
func short(s string) string {
	if len(s) <= 16 {
		return s
	}
	return s[:8] + "…" + s[len(s)-6:]
}
