package protocol

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzReadEntry is differential: on canonical bytes, the one-pass reader
// and the general decoder agree on every entry, and the signed bytes cut
// from data are the domain and the re-encoded payload.
func FuzzReadEntry(f *testing.F) {
	for _, data := range addGoldenSeeds(f) {
		e, err := Decode(data)
		if err != nil {
			f.Fatal(err)
		}
		p := pairs(&testing.T{}, Block{Data: data, Entry: e})
		f.Add(build(drop(p, "sig")))
		f.Add(build(set(p, "sig", byteStr(nil))))
		f.Add(build(set(p, "district", []byte{0xf6})))
		f.Add(build(set(p, "time", []byte{0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0})))
		f.Add(build(set(p, "time", []byte{0x3b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})))
		f.Add(build(set(p, "author", text(string(e.Author)))))
		f.Add(build(insert(p, "prev", []byte{0xf6})))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if Canonical(data) != nil {
			return
		}
		typed, terr := decodeTyped(data)
		e, sig, ok := readEntry(data)
		if ok {
			if cerr := e.check(); cerr != nil {
				if terr == nil {
					t.Fatalf("reader's entry fails check (%v), general decoder accepts", cerr)
				}
				return
			}
		}
		if !ok || terr != nil {
			if ok != (terr == nil) {
				t.Fatalf("reader ok=%v, general decoder: %v\n%x", ok, terr, data)
			}
			return
		}
		if !reflect.DeepEqual(e, typed) {
			t.Fatalf("reader and general decoder differ:\n%#v\n%#v", e, typed)
		}
		p, err := Payload(e)
		if err != nil {
			t.Fatal(err)
		}
		if want := append([]byte(signingDomain), p...); !bytes.Equal(signed(data, sig), want) {
			t.Fatalf("signed bytes differ from the payload:\n%x\n%x", signed(data, sig), want)
		}
	})
}
