package replicate

import (
	"fmt"
	"io"
)

// budget is the estimated payload of one message, below MaxMessage with
// room for encoding overhead.
const budget = MaxMessage * 7 / 8

// pack splits a reconciliation turn into messages within the size and
// list limits; every message but the last has M set.
func pack(t message) []message {
	var out []message
	cur, size := message{}, 0
	room := func(n, listLen int) {
		if size+n > budget || listLen >= maxList {
			cur.M = true
			out = append(out, cur)
			cur, size = message{}, 0
		}
		size += n
	}
	for _, n := range t.N {
		room(64, len(cur.N))
		cur.N = append(cur.N, n)
	}
	for _, s := range t.S {
		room(32+40*len(s.C), len(cur.S))
		cur.S = append(cur.S, s)
	}
	for _, it := range t.I {
		for i := 0; i == 0 || i < len(it.F); i += maxList {
			part := items{P: it.P, F: it.F[i:min(i+maxList, len(it.F))]}
			room(32+48*len(part.F), len(cur.I))
			cur.I = append(cur.I, part)
		}
	}
	for _, f := range t.F {
		room(16+48*len(f.C), len(cur.F))
		cur.F = append(cur.F, f)
	}
	return append(out, cur)
}

// writeTurn writes a reconciliation turn.
func writeTurn(w io.Writer, t message) error {
	ms := pack(t)
	if len(ms) > maxTurn {
		return fmt.Errorf("%w: answer of %d messages, limit %d", ErrTooLarge, len(ms), maxTurn)
	}
	for _, m := range ms {
		if err := writeMsg(w, m); err != nil {
			return err
		}
	}
	return nil
}
