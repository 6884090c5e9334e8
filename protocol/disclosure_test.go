package protocol

import (
	"errors"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"
)

func TestDisclosure(t *testing.T) {
	const n = 11
	leaves, salts, contents := testLeaves(n)
	root := Root(leaves)
	c := Commitment{Root: root[:], Count: n}
	proof := LinkTo(Sum([]byte("proof")))
	disclose := func(i int) Disclosure {
		path, err := Inclusion(leaves, i)
		if err != nil {
			t.Fatal(err)
		}
		return Disclosure{Proof: proof, Content: contents[i], Salt: salts[i], Index: uint64(i), Path: path}
	}
	for i := range n {
		if err := disclose(i).Verify(c); err != nil {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	mutations := map[string]func(d *Disclosure, c *Commitment){
		"wrong content":  func(d *Disclosure, _ *Commitment) { d.Content = append([]byte{}, "forged"...) },
		"empty content":  func(d *Disclosure, _ *Commitment) { d.Content = nil },
		"wrong salt":     func(d *Disclosure, _ *Commitment) { d.Salt[3] ^= 1 },
		"zero salt":      func(d *Disclosure, _ *Commitment) { d.Salt = [SaltSize]byte{} },
		"wrong index":    func(d *Disclosure, _ *Commitment) { d.Index ^= 1 },
		"index past end": func(d *Disclosure, _ *Commitment) { d.Index = n },
		"count plus one": func(_ *Disclosure, c *Commitment) { c.Count++ },
		"count minus one": func(_ *Disclosure, c *Commitment) {
			c.Count--
		},
		"zero count":     func(_ *Disclosure, c *Commitment) { c.Count = 0 },
		"truncated path": func(d *Disclosure, _ *Commitment) { d.Path = d.Path[:len(d.Path)-1] },
		"extended path":  func(d *Disclosure, _ *Commitment) { d.Path = append(d.Path, d.Path[0]) },
		"empty path":     func(d *Disclosure, _ *Commitment) { d.Path = nil },
		"flipped path":   func(d *Disclosure, _ *Commitment) { d.Path[0][0] ^= 1 },
		"swapped path": func(d *Disclosure, _ *Commitment) {
			d.Path[0], d.Path[1] = d.Path[1], d.Path[0]
		},
		"other root":  func(_ *Disclosure, c *Commitment) { c.Root = leaves[0][:] },
		"short root":  func(_ *Disclosure, c *Commitment) { c.Root = c.Root[:31] },
		"nil root":    func(_ *Disclosure, c *Commitment) { c.Root = nil },
		"other proof": nil, // the proof link is the caller's to match, see below
	}
	for name, mutate := range mutations {
		if mutate == nil {
			continue
		}
		items := []int{0, 5, n - 1}
		if strings.HasPrefix(name, "count") {
			items = []int{n - 1} // see TestLastLeafFixesCount
		}
		for _, i := range items {
			d, cc := disclose(i), Commitment{Root: append([]byte{}, c.Root...), Count: c.Count}
			mutate(&d, &cc)
			if err := d.Verify(cc); !errors.Is(err, ErrBadCommitment) {
				t.Errorf("%s, item %d: got %v, want ErrBadCommitment", name, i, err)
			}
		}
	}
	if d := disclose(0); d.Proof.Cid == cid.Undef {
		t.Fatal("disclosure lost its proof link")
	}
}

func TestDisclosureEncodes(t *testing.T) {
	leaves, salts, contents := testLeaves(3)
	path, _ := Inclusion(leaves, 2)
	d := Disclosure{Proof: LinkTo(Sum([]byte("p"))), Content: contents[2], Salt: salts[2], Index: 2, Path: path}
	data, err := Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if err := Canonical(data); err != nil {
		t.Fatalf("disclosure encoding is not canonical: %v", err)
	}
	var back Disclosure
	if err := Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	root := Root(leaves)
	if err := back.Verify(Commitment{Root: root[:], Count: 3}); err != nil {
		t.Fatalf("decoded disclosure: %v", err)
	}
}
