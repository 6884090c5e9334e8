package protocol

import (
	"errors"
	"testing"
)

// TestUnmarshalFieldNamesExact: a map key must spell a field's name
// exactly; "M" is not "m". Otherwise two byte strings would decode to one
// value, and a message would re-encode differently from what was read.
func TestUnmarshalFieldNamesExact(t *testing.T) {
	type msg struct {
		M bool `cbor:"m"`
	}
	var v msg
	if err := Unmarshal([]byte("\xa1aM\xf5"), &v); !errors.Is(err, ErrMalformed) {
		t.Fatalf(`{"M": true} decoded into a field named "m": %v, %+v`, err, v)
	}
	if err := Unmarshal([]byte("\xa1am\xf5"), &v); err != nil || !v.M {
		t.Fatalf(`{"m": true}: %v, %+v`, err, v)
	}
}
