package protocol

// canonicalBody is a body that can read itself from canonical bytes in one
// pass, without the typed decoder and the re-encoding that proves the
// bytes canonical. readCanonical reports false when it cannot vouch that
// data is exactly the encoding of what it read (a field missing, null or
// of another type, a tag inside); the caller then takes the general path,
// which names the problem.
type canonicalBody interface {
	Body
	readCanonical(data []byte) bool
}

// value reads any item except a tag into the form the typed decoder gives
// an `any`: uint64, int64, []byte, string, bool, nil, []any and
// map[string]any. Like the typed decoder, it refuses arrays and maps of
// more than maxItems.
func (r *reader) value() (any, bool) {
	major, arg := r.head()
	switch major {
	case majorUint:
		return arg, true
	case majorNint:
		return -1 - int64(arg), true
	case majorBytes:
		return append([]byte{}, r.bytes(arg)...), true
	case majorText:
		return string(r.bytes(arg)), true
	case majorArray:
		if arg > maxItems {
			return nil, false
		}
		out := make([]any, arg)
		for i := range out {
			var ok bool
			if out[i], ok = r.value(); !ok {
				return nil, false
			}
		}
		return out, true
	case majorMap:
		return r.mapping(arg)
	case majorOther:
		switch arg {
		case 20:
			return false, true
		case 21:
			return true, true
		case 22:
			return nil, true
		}
	}
	return nil, false
}

func (r *reader) mapping(n uint64) (map[string]any, bool) {
	if n > maxItems {
		return nil, false
	}
	out := make(map[string]any, n)
	for range n {
		key, _ := r.str(majorText)
		v, ok := r.value()
		if !ok {
			return nil, false
		}
		out[string(key)] = v
	}
	return out, true
}

// key reads a map key that must be want.
func (r *reader) key(want string) bool {
	k, ok := r.str(majorText)
	return ok && string(k) == want
}

// readCanonical reads a proof body: a map of exactly mip, claim, period
// and evidence, in that (length-first) order.
func (p *Proof) readCanonical(data []byte) bool {
	r := reader{data: data}
	if n, ok := r.typed(majorMap); !ok || n != 4 || !r.key("mip") {
		return false
	}
	mip, ok := r.str(majorText)
	if !ok || !r.key("claim") {
		return false
	}
	n, ok := r.typed(majorMap)
	if !ok {
		return false
	}
	if p.Claim, ok = r.mapping(n); !ok || !r.key("period") {
		return false
	}
	p.MIP = string(mip)
	return r.period(&p.Period) && r.key("evidence") && r.commitment(&p.Evidence)
}

func (r *reader) period(p *Period) bool {
	var ok1, ok2 bool
	if n, ok := r.typed(majorMap); !ok || n != 2 || !r.key("end") {
		return false
	}
	p.End, ok1 = r.int64()
	if !ok1 || !r.key("start") {
		return false
	}
	p.Start, ok2 = r.int64()
	return ok2
}

func (r *reader) commitment(c *Commitment) bool {
	if n, ok := r.typed(majorMap); !ok || n != 2 || !r.key("root") {
		return false
	}
	root, ok := r.str(majorBytes)
	if !ok || !r.key("count") {
		return false
	}
	c.Root = append([]byte{}, root...)
	c.Count, ok = r.typed(majorUint)
	return ok
}
