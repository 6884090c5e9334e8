package protocol

import (
	"bytes"
	"testing"
)

// FuzzDisclosure: a disclosure decoded from any bytes either fails to
// verify against a real commitment or opens exactly the item committed at
// its index; nothing else can pass.
func FuzzDisclosure(f *testing.F) {
	const n = 7
	leaves, salts, contents := testLeaves(n)
	root := Root(leaves)
	c := Commitment{Root: root[:], Count: n}
	proof := LinkTo(Sum([]byte("proof")))
	for i := range n {
		path, err := Inclusion(leaves, i)
		if err != nil {
			f.Fatal(err)
		}
		data, err := Marshal(Disclosure{Proof: proof, Content: contents[i], Salt: salts[i], Index: uint64(i), Path: path})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)-3])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d Disclosure
		if Unmarshal(data, &d) != nil {
			return
		}
		if d.Verify(c) != nil {
			return
		}
		if d.Index >= n || !bytes.Equal(d.Content, contents[d.Index]) || d.Salt != salts[d.Index] {
			t.Fatalf("a disclosure that opens nothing committed verified: index %d content %x", d.Index, d.Content)
		}
	})
}
