package settle

import (
	"cmp"
	"math"
	"regexp"
	"strings"
)

// Cond is one claim condition of a pledge: the claim value at Field (a
// dotted path into nested maps) compared by Op with Value, an integer or a
// string. Strings take only "=" and "!=".
type Cond struct {
	Field string `cbor:"field"`
	Op    string `cbor:"op"` // = != >= <= > <
	Value any    `cbor:"value"`
}

var fieldPattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)

var ops = map[string]func(c int) bool{
	"=":  func(c int) bool { return c == 0 },
	"!=": func(c int) bool { return c != 0 },
	">=": func(c int) bool { return c >= 0 },
	"<=": func(c int) bool { return c <= 0 },
	">":  func(c int) bool { return c > 0 },
	"<":  func(c int) bool { return c < 0 },
}

func (c Cond) check() error {
	if len(c.Field) > MaxField || !fieldPattern.MatchString(c.Field) {
		return badBody("condition field %q is not a dotted name", c.Field)
	}
	if ops[c.Op] == nil {
		return badBody("condition op %q, want one of = != >= <= > <", c.Op)
	}
	switch v := c.Value.(type) {
	case string:
		if len(v) > MaxString {
			return badBody("condition value is %d bytes, limit %d", len(v), MaxString)
		}
		if c.Op != "=" && c.Op != "!=" {
			return badBody("condition %s %s on a string: only = and !=", c.Field, c.Op)
		}
	default:
		if _, ok := integer(v); !ok {
			return badBody("condition value of %s must be an integer or a string", c.Field)
		}
	}
	return nil
}

// Holds reports whether claim satisfies c. A missing field or a value of
// the other type never satisfies it.
func (c Cond) Holds(claim map[string]any) bool {
	got, ok := lookup(claim, c.Field)
	if !ok || ops[c.Op] == nil {
		return false
	}
	if s, isStr := c.Value.(string); isStr {
		g, ok := got.(string)
		return ok && ops[c.Op](strings.Compare(g, s))
	}
	want, ok1 := integer(c.Value)
	have, ok2 := integer(got)
	return ok1 && ok2 && ops[c.Op](compare(have, want))
}

func lookup(claim map[string]any, path string) (any, bool) {
	var cur any = claim
	for part := range strings.SplitSeq(path, ".") {
		switch m := cur.(type) {
		case map[string]any:
			cur = m[part]
		case map[any]any:
			cur = m[part]
		default:
			return nil, false
		}
		if cur == nil {
			return nil, false
		}
	}
	return cur, true
}

// num is an integer of either sign: big holds values above MaxInt64.
type num struct {
	small int64
	big   uint64 // non-zero when the value is above MaxInt64
}

func integer(v any) (num, bool) {
	switch x := v.(type) {
	case int64:
		return num{small: x}, true
	case int:
		return num{small: int64(x)}, true
	case uint64:
		if x > math.MaxInt64 {
			return num{big: x}, true
		}
		return num{small: int64(x)}, true
	}
	return num{}, false
}

func compare(a, b num) int {
	if c := cmp.Compare(a.big, b.big); c != 0 {
		return c // only values above MaxInt64 have big set
	}
	return cmp.Compare(a.small, b.small)
}
