package demo

import (
	"fmt"
	"io"
	"time"
)

// narrator prints the story line by line, each stamped with the time
// since the demo began.
type narrator struct {
	w     io.Writer
	start time.Time
}

func (n *narrator) say(format string, args ...any) {
	el := time.Since(n.start).Seconds()
	fmt.Fprintf(n.w, "[%5.1fs] %s\n", el, fmt.Sprintf(format, args...))
}

func (n *narrator) detail(format string, args ...any) {
	fmt.Fprintf(n.w, "         %s\n", fmt.Sprintf(format, args...))
}

func (n *narrator) section(title string) {
	fmt.Fprintf(n.w, "\n== %s\n", title)
}

// short abbreviates a peer ID or CID for the narration.
func short(s string) string {
	if len(s) <= 16 {
		return s
	}
	return s[:8] + "…" + s[len(s)-6:]
}
