package bundle

import (
	"bytes"
	"testing"
)

// FuzzReadWant: any input either fails with ErrBadWant or yields a want
// whose every head parses, and writing it back reads the same.
func FuzzReadWant(f *testing.F) {
	f.Add([]byte(`{"version":1,"heads":[]}`))
	f.Add([]byte(`{"version":1,"heads":[{"author":"12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf","seq":3,"digest":"` +
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff" + `"}]}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ReadWant(bytes.NewReader(data))
		if err != nil {
			return
		}
		if _, err := w.vector(); err != nil {
			t.Fatalf("ReadWant accepted a want whose heads do not parse: %v", err)
		}
		var buf bytes.Buffer
		if err := w.Write(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := ReadWant(&buf)
		if err != nil || len(again.Heads) != len(w.Heads) {
			t.Fatalf("a written want does not read back: %v", err)
		}
	})
}
