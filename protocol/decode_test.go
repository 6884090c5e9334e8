package protocol

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// kv is one key and its raw encoded value, for building entries byte by
// byte, wrong ones included.
type kv struct {
	key string
	val []byte
}

// head encodes a CBOR initial byte and argument in the shortest form.
func head(major byte, n uint64) []byte {
	switch {
	case n < 24:
		return []byte{major<<5 | byte(n)}
	case n < 1<<8:
		return []byte{major<<5 | 24, byte(n)}
	case n < 1<<16:
		return []byte{major<<5 | 25, byte(n >> 8), byte(n)}
	}
	return []byte{major<<5 | 26, byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
}

func text(s string) []byte { return append(head(majorText, uint64(len(s))), s...) }
func byteStr(b []byte) []byte {
	return append(head(majorBytes, uint64(len(b))), b...)
}
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// build encodes the pairs as a map, in the order given.
func build(pairs []kv) []byte {
	out := head(majorMap, uint64(len(pairs)))
	for _, p := range pairs {
		out = append(append(out, text(p.key)...), p.val...)
	}
	return out
}

func mustMarshal(t testing.TB, v any) []byte {
	t.Helper()
	b, err := Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pairs splits a valid block into its canonical key/value pairs.
func pairs(t *testing.T, b Block) []kv {
	t.Helper()
	e := b.Entry
	out := []kv{
		{"v", mustMarshal(t, e.V)},
		{"seq", mustMarshal(t, e.Seq)},
		{"sig", mustMarshal(t, e.Sig)},
		{"body", e.Body},
		{"kind", mustMarshal(t, e.Kind)},
		{"time", mustMarshal(t, e.Time)},
		{"author", mustMarshal(t, []byte(e.Author))},
		{"district", mustMarshal(t, e.District)},
	}
	if e.Prev.Defined() {
		out = insert(out, "prev", mustMarshal(t, LinkTo(e.Prev)))
	}
	if got := build(out); !bytes.Equal(got, b.Data) {
		t.Fatalf("test builder disagrees with Encode:\n%x\n%x", got, b.Data)
	}
	return out
}

func set(p []kv, key string, val []byte) []kv {
	p = slices.Clone(p)
	for i := range p {
		if p[i].key == key {
			p[i].val = val
			return p
		}
	}
	panic("no key " + key)
}

func drop(p []kv, key string) []kv {
	return slices.DeleteFunc(slices.Clone(p), func(x kv) bool { return x.key == key })
}

// insert adds a pair at its length-first position.
func insert(p []kv, key string, val []byte) []kv {
	p = slices.Clone(p)
	i := slices.IndexFunc(p, func(x kv) bool { return lengthFirst([]byte(key), []byte(x.key)) < 0 })
	if i < 0 {
		i = len(p)
	}
	return slices.Insert(p, i, kv{key, val})
}

func TestDecodeRejects(t *testing.T) {
	key := seedKey(t, 1)
	first := mustSign(t, key, Entry{Seq: 1, Time: 1700000000000, Kind: KindAttest, District: "meso-valley", Body: attestBody(t, "ok")})
	second := mustSign(t, key, Entry{Seq: 2, Prev: first.CID, Time: 1700000000001, Kind: KindAttest, Body: attestBody(t, "ok")})
	p1, p2 := pairs(t, first), pairs(t, second)

	k1, _, _ := crypto.GenerateSecp256k1Key(nil)
	secp, _ := peer.IDFromPrivateKey(k1)
	swapped := slices.Clone(p1)
	swapped[1], swapped[2] = swapped[2], swapped[1]
	deep := []byte{}
	for range maxDepth + 2 {
		deep = append(deep, 0xa1, 0x61, 'x')
	}
	deep = append(deep, 0x01)

	cases := []struct {
		name string
		data []byte
		want error
		says string
	}{
		{"map order", build(swapped), ErrNonCanonical, "length-first"},
		{"non-minimal integer", build(set(p1, "seq", []byte{0x18, 0x01})), ErrNonCanonical, "shortest form"},
		{"non-minimal 8-byte integer", build(set(p1, "time", []byte{0x1b, 0, 0, 0, 0, 0, 0, 0, 1})), ErrNonCanonical, "shortest form"},
		{"non-minimal length", build(set(p1, "kind", cat([]byte{0x78, 6}, []byte("attest")))), ErrNonCanonical, "shortest form"},
		{"unknown version", build(set(p1, "v", []byte{0x02})), ErrVersion, "v=2"},
		{"version 0", build(set(p1, "v", []byte{0x00})), ErrVersion, "v=0"},
		{"trailing data", append(slices.Clone(first.Data), 0x00), ErrMalformed, "trailing"},
		{"second value", append(slices.Clone(first.Data), first.Data...), ErrMalformed, "trailing"},
		{"float time", build(set(p1, "time", []byte{0xfb, 0x42, 0x78, 0xbc, 0xfe, 0x56, 0x80, 0, 0})), ErrMalformed, "floats"},
		{"float16 in body", build(set(p1, "body", cat([]byte{0xa1}, text("x"), []byte{0xf9, 0x3c, 0x00}))), ErrMalformed, "floats"},
		{"float deep in body", build(set(p1, "body", cat([]byte{0xa1}, text("c"), []byte{0x81, 0xa1}, text("x"), []byte{0xfa, 0, 0, 0, 0}))), ErrMalformed, "floats"},
		{"indefinite body", build(set(p1, "body", cat([]byte{0xbf}, text("x"), []byte{0x01, 0xff}))), ErrMalformed, "indefinite"},
		{"indefinite text", build(set(p1, "kind", cat([]byte{0x7f}, text("attest"), []byte{0xff}))), ErrMalformed, "indefinite"},
		{"indefinite bytes", build(set(p1, "sig", cat([]byte{0x5f}, byteStr(first.Entry.Sig), []byte{0xff}))), ErrMalformed, "indefinite"},
		{"over MaxEntrySize", build(set(p1, "body", cat([]byte{0xa1}, text("x"), byteStr(make([]byte, MaxEntrySize))))), ErrTooLarge, "limit 65536"},
		{"duplicate key", build(slices.Insert(slices.Clone(p1), 1, kv{"v", []byte{0x01}})), ErrMalformed, `duplicate map key "v"`},
		{"unknown field", build(insert(p1, "zz", []byte{0x01})), ErrMalformed, `unknown field "zz"`},
		{"missing sig", build(drop(p1, "sig")), ErrBadSignature, "missing sig"},
		{"empty sig", build(set(p1, "sig", byteStr(nil))), ErrBadSignature, "missing sig"},
		{"short sig", build(set(p1, "sig", byteStr(first.Entry.Sig[:63]))), ErrBadSignature, "63 bytes"},
		{"long sig", build(set(p1, "sig", byteStr(append(slices.Clone(first.Entry.Sig), 0)))), ErrBadSignature, "65 bytes"},
		{"seq 0", build(set(p1, "seq", []byte{0x00})), ErrMalformed, "seq must start at 1"},
		{"prev on seq 1", build(set(p2, "seq", []byte{0x01})), ErrMalformed, "must not have prev"},
		{"missing prev", build(drop(p2, "prev")), ErrMalformed, "seq 2 needs prev"},
		{"null prev", build(set(p2, "prev", []byte{0xf6})), ErrMalformed, "seq 2 needs prev"},
		{"negative time", build(set(p1, "time", []byte{0x20})), ErrMalformed, "negative time"},
		{"array body", build(set(p1, "body", []byte{0x80})), ErrMalformed, "body must be a map"},
		{"text body", build(set(p1, "body", text("x"))), ErrMalformed, "body must be a map"},
		{"secp256k1 author", build(set(p1, "author", byteStr([]byte(secp)))), ErrBadAuthor, "Ed25519"},
		{"garbage author", build(set(p1, "author", byteStr([]byte("garbage")))), ErrBadAuthor, "bad author"},
		{"empty author", build(set(p1, "author", byteStr(nil))), ErrBadAuthor, "bad author"},
		{"tag 1 in body", build(set(p1, "body", cat([]byte{0xa1}, text("t"), []byte{0xc1, 0x01}))), ErrMalformed, "tag 1 is not allowed"},
		{"bignum time", build(set(p1, "time", cat([]byte{0xc2}, byteStr([]byte{1, 2})))), ErrMalformed, "tag 2 is not allowed"},
		{"self-described", cat([]byte{0xd9, 0xd9, 0xf7}, first.Data), ErrMalformed, "tag 55799 is not allowed"},
		{"tag 42 over text", build(set(p2, "prev", cat([]byte{0xd8, 42}, text("bafy")))), ErrMalformed, "tag 42 must hold a byte string"},
		{"tag 42 without 0x00", build(set(p2, "prev", cat([]byte{0xd8, 42}, byteStr(first.CID.Bytes())))), ErrMalformed, "start with 0x00"},
		{"tag 42 garbage CID", build(set(p2, "prev", cat([]byte{0xd8, 42}, byteStr([]byte{0, 1, 0x71, 0x12, 5})))), ErrMalformed, "no valid CID"},
		{"null district", build(set(p1, "district", []byte{0xf6})), ErrNonCanonical, "canonical form"},
		{"missing district", build(drop(p1, "district")), ErrNonCanonical, "canonical form"},
		{"missing time", build(drop(p1, "time")), ErrNonCanonical, "canonical form"},
		{"undefined", build(set(p1, "district", []byte{0xf7})), ErrMalformed, "undefined"},
		{"simple value", build(set(p1, "district", []byte{0xf0})), ErrMalformed, "simple values"},
		{"integer map key", build(set(p1, "body", []byte{0xa1, 0x01, 0x01})), ErrMalformed, "keys must be text"},
		{"invalid UTF-8", build(set(p1, "kind", byteStr([]byte{0xff}))), ErrMalformed, ""},
		{"invalid UTF-8 text", build(set(p1, "kind", []byte{0x61, 0xff})), ErrMalformed, "UTF-8"},
		{"too deep", build(set(p1, "body", deep)), ErrMalformed, "nested deeper than 16"},
		{"int below -2^63", build(set(p1, "body", cat([]byte{0xa1}, text("n"), []byte{0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}))), ErrMalformed, "below -2^63"},
		{"seq as text", build(set(p1, "seq", text("1"))), ErrMalformed, "cannot unmarshal"},
		{"kind uppercase", build(set(p1, "kind", text("Attest"))), ErrMalformed, `kind "Attest"`},
		{"bad district", build(set(p1, "district", text("Meso Valley"))), ErrMalformed, "district"},
		{"truncated", first.Data[:len(first.Data)-1], ErrMalformed, "end"},
		{"empty", nil, ErrMalformed, "unexpected end"},
		{"not a map", []byte{0x80}, ErrMalformed, "want a map"},
		{"huge array header", []byte{0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, ErrMalformed, "runs past the end"},
		{"reserved info", []byte{0x1c}, ErrMalformed, "reserved"},
		{"break", []byte{0xff}, ErrMalformed, "break"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode(c.data)
			if !errors.Is(err, c.want) {
				t.Fatalf("Decode: %v, want %v", err, c.want)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Fatalf("Decode: %q does not say %q", err, c.says)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			if _, err := Open(c.data); !errors.Is(err, c.want) {
				t.Fatalf("Open: %v, want %v", err, c.want)
			}
		})
	}
}

func TestOpenRejectsForgery(t *testing.T) {
	key := seedKey(t, 1)
	b := mustSign(t, key, Entry{Seq: 1, Kind: KindAttest, Body: attestBody(t, "ok")})
	p := pairs(t, b)
	other := mustSign(t, seedKey(t, 2), Entry{Seq: 1, Kind: KindAttest, Body: attestBody(t, "ok")})
	flipped := slices.Clone(b.Entry.Sig)
	flipped[10] ^= 1
	for name, data := range map[string][]byte{
		"flipped sig":   build(set(p, "sig", byteStr(flipped))),
		"other author":  build(set(p, "author", byteStr([]byte(other.Entry.Author)))),
		"changed body":  build(set(p, "body", attestBody(t, "not ok"))),
		"changed time":  build(set(p, "time", []byte{0x01})),
		"changed seq":   build(set(p, "seq", []byte{0x03})),
		"sig of other":  build(set(p, "sig", byteStr(other.Entry.Sig))),
		"changed scope": build(set(p, "district", text("elsewhere"))),
	} {
		_, err := Open(data)
		if name == "changed seq" {
			if !errors.Is(err, ErrMalformed) { // seq 3 needs prev
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: %v, want ErrBadSignature", name, err)
		}
	}
	if _, err := OpenCID(other.CID, b.Data); !errors.Is(err, ErrBadCID) {
		t.Errorf("OpenCID with the wrong CID: %v", err)
	}
	if got, err := OpenCID(b.CID, b.Data); err != nil || got.CID != b.CID {
		t.Errorf("OpenCID: %v", err)
	}
}

func TestEncodeRejects(t *testing.T) {
	key := seedKey(t, 1)
	big := mustMarshal(t, map[string][]byte{"x": make([]byte, MaxEntrySize)})
	for name, e := range map[string]Entry{
		"too large":     {Seq: 1, Kind: KindAttest, Body: big},
		"no body":       {Seq: 1, Kind: KindAttest},
		"seq 0":         {Kind: KindAttest, Body: []byte{0xa0}},
		"negative time": {Seq: 1, Time: -1, Kind: KindAttest, Body: []byte{0xa0}},
		"bad kind":      {Seq: 1, Kind: "", Body: []byte{0xa0}},
	} {
		if _, err := Sign(key, e); err == nil {
			t.Errorf("%s: signed", name)
		}
	}
}
