package protocol

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/ipfs/go-cid"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current code")

const goldenPath = "testdata/golden/entries.json"

// golden is one test vector: an entry's exact bytes, its CID and its
// decoded form in DAG-JSON.
type golden struct {
	Name    string          `json:"name"`
	CID     string          `json:"cid"`
	Hex     string          `json:"hex"`
	Decoded json.RawMessage `json:"decoded"`
}

type namedBlock struct {
	name string
	b    Block
}

// goldenBlocks signs the vector entries with keys from fixed seeds;
// Ed25519 is deterministic, so the bytes never change.
func goldenBlocks(t testing.TB) []namedBlock {
	clinic, verifier, farm := seedKey(t, 1), seedKey(t, 2), seedKey(t, 3)
	proof := mustSign(t, clinic, Entry{
		Seq: 1, Time: 1700000000000, Kind: KindProof, District: "meso-valley/north",
		Body: mustMarshal(t, proofBody(t)),
	})
	next := proofBody(t)
	next.MIP, next.Claim = "MIP-HLT@2", map[string]any{
		"metric": "hba1c", "value": int64(-3), "tags": []any{"follow-up", int64(2)},
		"scan": []byte{0xde, 0xad}, "ref": LinkTo(proof.CID), "none": nil,
	}
	second := mustSign(t, clinic, Entry{
		Seq: 2, Prev: proof.CID, Time: 1700000060000, Kind: KindProof, District: "meso-valley/north",
		Body: mustMarshal(t, next),
	})
	attest := mustSign(t, verifier, Entry{
		Seq: 1, Time: 1700000120000, Kind: KindAttest, District: "meso-valley/north",
		Body: mustMarshal(t, &Attest{Proof: LinkTo(proof.CID), Verdict: Valid,
			Note: "Blutdruck geprüft ✓ — 血圧 OK; \"quoted\" & <tagged>"}),
	})
	global := mustSign(t, farm, Entry{
		Seq: 1, Time: 0, Kind: KindAttest, District: "",
		Body: mustMarshal(t, &Attest{Proof: LinkTo(second.CID), Verdict: Invalid, Note: ""}),
	})
	return []namedBlock{
		{"proof-seq1", proof}, {"proof-seq2-prev", second},
		{"attest-unicode-note", attest}, {"attest-global-scope", global},
	}
}

func TestGolden(t *testing.T) {
	var got []golden
	for _, nb := range goldenBlocks(t) {
		got = append(got, golden{
			Name: nb.name, CID: nb.b.CID.String(), Hex: hex.EncodeToString(nb.b.Data),
			Decoded: dagJSON(t, nb.b.Data),
		})
	}
	out, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGolden -update)", err)
	}
	if !bytes.Equal(out, want) {
		t.Fatalf("golden vectors changed: the wire format moved. Diff %s against the output of -update and bump the version if intended", goldenPath)
	}
}

// loadGolden reads the stored vectors.
func loadGolden(t testing.TB) []golden {
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var gs []golden
	if err := json.Unmarshal(data, &gs); err != nil {
		t.Fatal(err)
	}
	return gs
}

func (g golden) bytes(t testing.TB) []byte {
	b, err := hex.DecodeString(g.Hex)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGoldenOpen checks the stored bytes, not freshly signed ones: an
// implementation that reads them must find the same CIDs and bodies.
func TestGoldenOpen(t *testing.T) {
	kinds := DefaultKinds()
	for _, g := range loadGolden(t) {
		b, err := OpenCID(cid.MustParse(g.CID), g.bytes(t))
		if err != nil {
			t.Fatalf("%s: %v", g.Name, err)
		}
		if _, err := kinds.Decode(b.Entry); err != nil {
			t.Fatalf("%s: %v", g.Name, err)
		}
		again, err := Seal(b.Entry)
		if err != nil || !bytes.Equal(again.Data, b.Data) {
			t.Fatalf("%s: re-encoding differs: %v", g.Name, err)
		}
	}
}

// dagJSON renders canonical DAG-CBOR as DAG-JSON: map keys in bytewise
// order, bytes as {"/":{"bytes":base64}}, links as {"/":cid}, no spaces.
func dagJSON(t testing.TB, data []byte) []byte {
	var v any
	if err := decMode.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeJSON(w *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case nil:
		w.WriteString("null")
	case bool:
		w.WriteString(strconv.FormatBool(x))
	case uint64:
		w.WriteString(strconv.FormatUint(x, 10))
	case int64:
		w.WriteString(strconv.FormatInt(x, 10))
	case string:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(x); err != nil {
			return err
		}
		w.Truncate(w.Len() - 1) // Encode's newline
	case []byte:
		fmt.Fprintf(w, `{"/":{"bytes":"%s"}}`, base64.RawStdEncoding.EncodeToString(x))
	case cbor.Tag:
		c, err := cid.Cast(x.Content.([]byte)[1:])
		if err != nil {
			return err
		}
		fmt.Fprintf(w, `{"/":"%s"}`, c)
	case []any:
		w.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := writeJSON(w, e); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	case map[string]any:
		keys := slices.Sorted(func(yield func(string) bool) {
			for k := range x {
				if !yield(k) {
					return
				}
			}
		})
		w.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := writeJSON(w, k); err != nil {
				return err
			}
			w.WriteByte(':')
			if err := writeJSON(w, x[k]); err != nil {
				return err
			}
		}
		w.WriteByte('}')
	default:
		return fmt.Errorf("no DAG-JSON form for %T", v)
	}
	return nil
}
