package protocol

import (
	"bytes"
	"testing"
)

// Seed corpora come from the golden vectors, so a plain `go test` runs
// every fuzz target over real entries; `go test -fuzz=FuzzOpen` explores.

func addGoldenSeeds(f *testing.F) [][]byte {
	var blocks [][]byte
	for _, g := range loadGolden(f) {
		data := g.bytes(f)
		blocks = append(blocks, data)
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(append(bytes.Clone(data), 0))
	}
	return blocks
}

func FuzzOpen(f *testing.F) {
	addGoldenSeeds(f)
	f.Add([]byte{0xa0})
	kinds := DefaultKinds()
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Open(data)
		if err != nil {
			return
		}
		again, err := Seal(b.Entry)
		if err != nil {
			t.Fatalf("opened entry does not seal: %v", err)
		}
		if !bytes.Equal(again.Data, data) || again.CID != b.CID || b.CID != Sum(data) {
			t.Fatalf("opened entry re-encodes differently:\n%x\n%x", again.Data, data)
		}
		_, _ = kinds.Decode(b.Entry) // must not panic
	})
}

func FuzzDecodeBody(f *testing.F) {
	for _, g := range loadGolden(f) {
		e, err := Decode(g.bytes(f))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(e.Kind == KindAttest, e.Body)
	}
	f.Add(true, []byte{0xa0})
	f.Add(false, []byte{0xa1, 0x61, 'x', 0xf9, 0x3c, 0x00})
	kinds := DefaultKinds()
	f.Fuzz(func(t *testing.T, attest bool, body []byte) {
		kind := KindProof
		if attest {
			kind = KindAttest
		}
		b, err := kinds.Decode(Entry{Kind: kind, Body: body})
		if err != nil {
			return
		}
		again, err := EncodeBody(b)
		if err != nil {
			t.Fatalf("decoded %s body does not encode: %v", kind, err)
		}
		if !bytes.Equal(again, body) {
			t.Fatalf("%s body re-encodes differently:\n%x\n%x", kind, again, body)
		}
	})
}

// FuzzCanonical is differential: whatever Canonical accepts, the reference
// DAG-CBOR codec (go-ipld-prime) and our typed codec both decode and
// re-encode to the very same bytes.
func FuzzCanonical(f *testing.F) {
	for _, data := range addGoldenSeeds(f) {
		e, _ := Decode(data)
		f.Add(e.Body)
	}
	for _, seed := range [][]byte{
		{0x1b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // 2^64-1
		{0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // -2^63
		{0xa2, 0x61, 'a', 0xf6, 0x62, 'a', 'a', 0xf5},
		{0x82, 0xf4, 0x40},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if Canonical(data) != nil {
			return
		}
		n, err := ipldDecode(data)
		if err != nil {
			t.Fatalf("Canonical accepts what go-ipld-prime rejects: %v\n%x", err, data)
		}
		if again := ipldEncode(t, n); !bytes.Equal(again, data) {
			t.Fatalf("go-ipld-prime re-encodes differently:\n%x\n%x", again, data)
		}
		var v any
		if err := decMode.Unmarshal(data, &v); err != nil {
			t.Fatalf("Canonical accepts what the typed decoder rejects: %v\n%x", err, data)
		}
		again, err := Marshal(v)
		if err != nil || !bytes.Equal(again, data) {
			t.Fatalf("generic round trip differs (%v):\n%x\n%x", err, again, data)
		}
	})
}
