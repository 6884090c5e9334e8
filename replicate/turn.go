package replicate

import (
	"bufio"
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
	for _, m := range pack(t) {
		if err := writeMsg(w, m); err != nil {
			return err
		}
	}
	return nil
}

// readTurn reads messages up to one without M and merges them. A message
// carrying an abort returns a *RemoteError.
func readTurn(r *bufio.Reader) (message, error) {
	var t message
	for i := 0; ; i++ {
		if i == maxTurn {
			return t, fmt.Errorf("%w: turn of more than %d messages", ErrTooLarge, maxTurn)
		}
		var m message
		if err := readMsg(r, &m); err != nil {
			return t, err
		}
		if m.E != nil {
			return t, &RemoteError{Code: Code(m.E.C), Reason: m.E.R}
		}
		if len(m.B) > 0 {
			return t, fmt.Errorf("%w: blocks during reconciliation", ErrMalformed)
		}
		t.N, t.S = append(t.N, m.N...), append(t.S, m.S...)
		t.I, t.F = append(t.I, m.I...), append(t.F, m.F...)
		if !m.M {
			return t, nil
		}
	}
}
