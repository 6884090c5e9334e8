package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/mesocosm/mycel/mip"
)

// twice refuses a request body with an object key written more than once:
// encoding/json keeps the last silently, which would sign what the caller
// did not read. A claim's own keys are left to the claim check, which
// names them as the claim's fields.
func twice(data []byte) error {
	for _, p := range mip.DuplicateKeys(data) {
		if p == "/claim" || strings.HasPrefix(p, "/claim/") {
			continue
		}
		return fmt.Errorf("key %q is written twice: JSON keeps only the last, so write each key once", p)
	}
	return nil
}

// jsonWords words a decoding error by field and the kind of value it
// takes, without the Go type names encoding/json puts in its errors.
func jsonWords(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err.Error()
	}
	if te.Field == "" {
		return fmt.Sprintf("the body must be a JSON object, got %s", te.Value)
	}
	return fmt.Sprintf("field %q takes %s, got %s", te.Field, kindWords(te.Type), te.Value)
}

// kindWords names what a JSON value of Go type t must be.
func kindWords(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct, reflect.Pointer:
		return "an object"
	}
	return "another kind of value"
}
