package mip

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// maxDuplicates bounds how many duplicate keys one error lists.
const maxDuplicates = 16

// duplicateKeys returns the JSON pointers of the object keys written more
// than once in data, in document order, each once: encoding/json keeps
// the last of them silently, which would sign a claim the writer did not
// read. data must be one valid JSON value; on a token error the keys seen
// so far are returned.
func duplicateKeys(data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := dupWalk{dec: dec, reported: map[string]bool{}}
	w.value("")
	return w.dups
}

type dupWalk struct {
	dec      *json.Decoder
	dups     []string
	reported map[string]bool
}

// value reads one value at pointer at; false on a token error.
func (w *dupWalk) value(at string) bool {
	tok, err := w.dec.Token()
	if err != nil {
		return false
	}
	switch tok {
	case json.Delim('{'):
		keys := map[string]bool{}
		for w.dec.More() {
			kt, err := w.dec.Token()
			k, ok := kt.(string)
			if err != nil || !ok {
				return false
			}
			p := at + "/" + escape(k)
			if keys[k] && !w.reported[p] {
				w.reported[p] = true
				w.dups = append(w.dups, p)
			}
			keys[k] = true
			if !w.value(p) {
				return false
			}
		}
	case json.Delim('['):
		for i := 0; w.dec.More(); i++ {
			if !w.value(fmt.Sprintf("%s/%d", at, i)) {
				return false
			}
		}
	default:
		return true
	}
	_, err = w.dec.Token() // the closing delimiter
	return err == nil
}

// duplicateError words the duplicate keys of a claim as one error.
func duplicateError(dups []string) error {
	shown := dups
	more := ""
	if len(shown) > maxDuplicates {
		shown, more = shown[:maxDuplicates], fmt.Sprintf(" (and %d more)", len(dups)-maxDuplicates)
	}
	q := make([]string, len(shown))
	for i, d := range shown {
		q[i] = fmt.Sprintf("%q", d)
	}
	noun := "field"
	if len(dups) > 1 {
		noun = "fields"
	}
	return &FieldError{Field: dups[0], Problem: fmt.Sprintf("written twice (claim %s %s%s): JSON keeps only the last, so write each key once", noun, strings.Join(q, ", "), more)}
}

// DuplicateKeys returns the JSON pointers of the object keys written more
// than once in data, in document order, each once (see duplicateKeys).
func DuplicateKeys(data []byte) []string { return duplicateKeys(data) }
