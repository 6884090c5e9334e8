package protocol

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
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

// FuzzReadProof is differential: on canonical bytes, a proof body read in
// one pass is the body the typed decoder gives, and the typed decoder
// accepts (re-encoding to the same bytes) exactly the bodies the reader
// does, except claims holding links, which the reader leaves to it.
func FuzzReadProof(f *testing.F) {
	for _, g := range loadGolden(f) {
		e, err := Decode(g.bytes(f))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(e.Body)
	}
	f.Add(mustMarshal(f, map[string]any{"mip": "MIP-X@1", "claim": map[string]any{
		"a": []any{}, "b": []byte{}, "c": nil, "d": true, "e": int64(-5), "f": map[string]any{}, "g": []any{uint64(1), "x", false},
	}, "period": Period{}, "evidence": Commitment{Root: []byte{}}}))
	f.Add(mustMarshal(f, map[string]any{"mip": "MIP-X@1", "claim": nil, "period": Period{}, "evidence": Commitment{}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if Canonical(data) != nil {
			return
		}
		var fast Proof
		ok := fast.readCanonical(data)
		var typed Proof
		err := decMode.Unmarshal(data, &typed)
		if err == nil {
			again, merr := Marshal(&typed)
			if merr != nil || !bytes.Equal(again, data) {
				err = ErrNonCanonical
			}
		}
		if ok != (err == nil) && !(err == nil && hasTag(data)) {
			t.Fatalf("reader ok=%v, typed decoder: %v\n%x", ok, err, data)
		}
		if ok && !reflect.DeepEqual(fast, typed) {
			t.Fatalf("reader and typed decoder differ:\n%#v\n%#v", fast, typed)
		}
	})
}

// hasTag reports whether canonical data holds a tag anywhere.
func hasTag(data []byte) bool {
	r := reader{data: data}
	var walk func() bool
	walk = func() bool {
		major, arg := r.head()
		switch major {
		case majorBytes, majorText:
			r.off += int(arg)
		case majorArray, majorMap:
			if major == majorMap {
				arg *= 2
			}
			for range arg {
				if walk() {
					return true
				}
			}
		case majorTag:
			return true
		}
		return false
	}
	return walk()
}

// TestReadLimits: the one-pass readers refuse what the typed decoder
// refuses beyond Canonical, arrays and maps of more than maxItems, so
// Decode and Kinds.Decode still reject them.
func TestReadLimits(t *testing.T) {
	big := make([]any, maxItems+1)
	wide := make(map[string]any, maxItems+1)
	for i := range big {
		big[i] = uint64(0)
		wide[string(rune('a'+i%26))+string(rune(0x100+i))] = uint64(0)
	}
	key := seedKey(t, 1)
	for name, v := range map[string]any{"array": big, "map": wide} {
		body := mustMarshal(t, map[string]any{"x": v})
		b := mustSign(t, key, Entry{Seq: 1, Kind: "note", Body: body})
		if _, err := Decode(b.Data); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "exceeded max") {
			t.Errorf("entry with a %s of %d: %v", name, maxItems+1, err)
		}
		claim := mustMarshal(t, &Proof{MIP: "MIP-X@1", Claim: map[string]any{"x": v}, Evidence: Commitment{Root: make([]byte, 32)}})
		if _, err := DefaultKinds().Decode(Entry{Kind: KindProof, Body: claim}); !errors.Is(err, ErrMalformed) {
			t.Errorf("claim with a %s of %d: %v", name, maxItems+1, err)
		}
	}
}
