package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/mesocosm/mycel/mip"
	"github.com/mesocosm/mycel/settle"
)

// condOps are the condition operators a pledge may use.
var condOps = map[string]bool{">=": true, "<=": true, "=": true, ">": true, "<": true, "!=": true}

// opTypos maps operators people write by mistake to the one they meant.
var opTypos = map[string]string{
	"=>": ">=", "=<": "<=", "==": "=", "===": "=", "=!": "!=", "<>": "!=", "!": "!=",
	">>": ">", "<<": "<", "!==": "!=", "≥": ">=", "≤": "<=", "≠": "!=",
}

// isOpChar reports whether r may be part of an operator.
func isOpChar(r rune) bool { return strings.ContainsRune("<>=!≥≤≠", r) }

// splitCond splits a condition written FIELD OP VALUE. The operator is the
// whole run of operator characters after FIELD, and must be one of
// >= <= = > < != exactly: "cohort_size=>5" is an error suggesting >=, not
// the condition cohort_size = ">5".
func splitCond(s string) (field, op, raw string, err error) {
	i := strings.IndexFunc(s, isOpChar)
	if i < 0 {
		return "", "", "", badInput("condition %q has no operator: write FIELD OP VALUE with OP one of >= <= = > < !=", s)
	}
	j := i
	for _, r := range s[i:] {
		if !isOpChar(r) {
			break
		}
		j += len(string(r))
	}
	field, op, raw = strings.TrimSpace(s[:i]), s[i:j], strings.TrimSpace(s[j:])
	if !condOps[op] {
		if want, ok := opTypos[op]; ok {
			return "", "", "", badInput("condition %q: operator %q is not one of >= <= = > < !=: did you mean %s%s%s?", s, op, field, want, raw)
		}
		return "", "", "", badInput("condition %q: operator %q is not one of >= <= = > < !=", s, op)
	}
	switch {
	case field == "":
		return "", "", "", badInput("condition %q names no field: write FIELD OP VALUE, e.g. cohort_size>=100", s)
	case raw == "":
		return "", "", "", badInput("condition %q has no value: write FIELD OP VALUE, e.g. cohort_size>=100", s)
	}
	return field, op, raw, nil
}

// ParseCond reads a pledge condition written FIELD OP VALUE, as in
// "cohort_size>=100" or "measure=hba1c", without a schema: VALUE is an
// integer when it reads as one, else a string. Pledge types VALUE by the
// MIP's schema instead (see mip.Registry.CondValue).
func ParseCond(s string) (settle.Cond, error) {
	field, op, raw, err := splitCond(s)
	if err != nil {
		return settle.Cond{}, err
	}
	var v any = raw
	if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
		v = n
	} else if op != "=" && op != "!=" {
		return settle.Cond{}, badInput("condition %q: %s compares integers, and %q is not an integer (whole numbers only, in the field's scaled unit)", s, op, raw)
	}
	return checkedCond(s, settle.Cond{Field: field, Op: op, Value: v})
}

// checkedCond runs the pledge body's own check on one condition.
func checkedCond(s string, c settle.Cond) (settle.Cond, error) {
	if err := (&settle.Pledge{MIP: "MIP-XX@1", Amount: 1, Unit: "u", Cap: 1, Where: []settle.Cond{c}}).Check(); err != nil {
		return settle.Cond{}, badInput("condition %q: %v", s, err)
	}
	return c, nil
}

// conds reads every condition of a pledge under ref and checks each
// against the MIP's claim schema in reg. It reports every bad condition at
// once, joined by "; ".
func conds(reg *mip.Registry, ref string, where []string) ([]settle.Cond, error) {
	var out []settle.Cond
	var bad []string
	for _, s := range where {
		c, err := schemaCond(reg, ref, s)
		if err != nil {
			bad = append(bad, err.Error())
			continue
		}
		out = append(out, c)
	}
	if len(bad) > 0 {
		return nil, badInput("%s", strings.Join(bad, "; "))
	}
	return out, nil
}

func schemaCond(reg *mip.Registry, ref, s string) (settle.Cond, error) {
	field, op, raw, err := splitCond(s)
	if err != nil {
		return settle.Cond{}, err
	}
	if reg == nil {
		return ParseCond(s)
	}
	v, err := reg.CondValue(ref, field, op, raw)
	if err != nil {
		if errors.Is(err, mip.ErrClaim) {
			return settle.Cond{}, badInput("condition %q: %v", s, err)
		}
		return settle.Cond{}, fmt.Errorf("condition %q: %w", s, err)
	}
	return checkedCond(s, settle.Cond{Field: field, Op: op, Value: v})
}
