package vaulttest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ipfs/go-cid"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/vault"
)

// checkLog checks that a's first n entries (a.Log) are the store's log
// and head for a.
func checkLog(t *testing.T, s vault.Store, a *Author, n int) {
	t.Helper()
	log, err := s.Log(a.ID, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]cid.Cid, n)
	for i := range want {
		want[i] = a.Log[i].CID
	}
	checkCIDs(t, "log", cids(log), want...)
	h, err := s.Head(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if h.Seq != uint64(n) || n > 0 && (!h.CID.Equals(want[n-1]) || h.Digest != a.Log[n-1].ID().Digest) {
		t.Errorf("head = %d %s, want %d", h.Seq, h.CID, n)
	}
}

func checkForks(t *testing.T, s vault.Store, want ...vault.Fork) {
	t.Helper()
	got, err := s.Forks()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("forks = %v, want %v", got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Author != w.Author || g.Seq != w.Seq || !g.First.Equals(w.First) || !g.Second.Equals(w.Second) {
			t.Errorf("fork %d = %+v, want %+v", i, g, w)
		}
	}
}

func cids(bs []protocol.Block) []cid.Cid {
	out := make([]cid.Cid, len(bs))
	for i, b := range bs {
		out[i] = b.CID
	}
	return out
}

func checkCIDs(t *testing.T, what string, got []cid.Cid, want ...cid.Cid) {
	t.Helper()
	if !slices.EqualFunc(got, want, cid.Cid.Equals) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func testHeadsAndLog(t *testing.T, s vault.Store) {
	as := sortedAuthors(t, 3)
	for i := range as { // the last author first: store order is not author order
		a := as[len(as)-1-i]
		for range len(as) - i + 1 {
			put(t, s, nil, a.Next(t, "note", "", nil))
		}
	}
	hs, err := s.Heads()
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != len(as) {
		t.Fatalf("%d heads, want %d", len(hs), len(as))
	}
	for i, h := range hs {
		a := as[i]
		if h.Author != a.ID || h.Seq != uint64(len(a.Log)) || !h.CID.Equals(a.Log[len(a.Log)-1].CID) {
			t.Errorf("head %d = %+v, want %s at %d", i, h, a.ID, len(a.Log))
		}
	}
	a := as[2] // 4 entries
	got, err := s.Log(a.ID, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	checkCIDs(t, "log from 2 limit 2", cids(got), a.Log[1].CID, a.Log[2].CID)
	if got, _ := s.Log(a.ID, 5, 0); len(got) != 0 {
		t.Errorf("log past head: %d entries", len(got))
	}
	if h, err := s.Head(NewAuthor(t).ID); err != nil || h.Seq != 0 {
		t.Errorf("head of stranger = %+v, %v; want zero", h, err)
	}
}

// sortedAuthors returns n authors ordered by ID, the stores' author order.
func sortedAuthors(t *testing.T, n int) []*Author {
	as := make([]*Author, n)
	for i := range as {
		as[i] = NewAuthor(t)
	}
	slices.SortFunc(as, func(a, b *Author) int { return strings.Compare(string(a.ID), string(b.ID)) })
	return as
}

func testQuery(t *testing.T, s vault.Store) {
	as := sortedAuthors(t, 2)
	var all []protocol.Block
	add := func(a *Author, kind, district string, body []byte) protocol.Block {
		b := a.Next(t, kind, district, body)
		all = append(all, b)
		return b
	}
	var want = map[string][]cid.Cid{}
	for _, a := range as {
		hlt1 := add(a, "proof", "meso/north", ProofBody(t, "MIP-HLT@1"))
		hlt2 := add(a, "proof", "meso/south", ProofBody(t, "MIP-HLT@2"))
		agr := add(a, "proof", "meso/north", ProofBody(t, "MIP-AGR@1"))
		note := add(a, "note", "meso/north", nil)
		glob := add(a, "note", "", nil)
		want["hlt1"] = append(want["hlt1"], hlt1.CID)
		want["hlt"] = append(want["hlt"], hlt1.CID, hlt2.CID)
		want["north"] = append(want["north"], hlt1.CID, agr.CID, note.CID)
		want["note"] = append(want["note"], note.CID, glob.CID)
		want["north-proof"] = append(want["north-proof"], hlt1.CID, agr.CID)
	}
	pending := as[0].Branch(t, 9, as[0].Log[0].CID, "past a gap")
	n := len(as[0].Log) // the second author first: store order is not author order
	put(t, s, nil, append(append(slices.Clone(all[n:]), all[:n]...), pending)...)
	a0 := as[0].Log
	cases := []struct {
		name string
		q    vault.Query
		want []cid.Cid
	}{
		{"all", vault.Query{}, cids(all)},
		{"kind", vault.Query{Kind: "note"}, want["note"]},
		{"mip ref", vault.Query{MIP: "MIP-HLT@1"}, want["hlt1"]},
		{"mip id", vault.Query{MIP: "MIP-HLT"}, want["hlt"]},
		{"mip none", vault.Query{MIP: "MIP-ENR"}, nil},
		{"district", vault.Query{District: "meso/north"}, want["north"]},
		{"district and kind", vault.Query{District: "meso/north", Kind: "proof"}, want["north-proof"]},
		{"author", vault.Query{Author: as[0].ID}, cids(a0)},
		{"author and mip", vault.Query{Author: as[0].ID, MIP: "MIP-HLT"}, []cid.Cid{a0[0].CID, a0[1].CID}},
		{"mip and district", vault.Query{MIP: "MIP-HLT", District: "meso/south"}, []cid.Cid{a0[1].CID, as[1].Log[1].CID}},
		{"district prefix is not a match", vault.Query{District: "meso"}, nil},
	}
	for _, c := range cases {
		got, err := s.Query(c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		checkCIDs(t, c.name, cids(got), c.want...)
		for _, limit := range []int{1, 2, 0} {
			paged := pageAll(t, s, c.q, limit)
			slices.SortFunc(paged, func(a, b cid.Cid) int { return strings.Compare(a.KeyString(), b.KeyString()) })
			sorted := slices.SortedFunc(slices.Values(c.want), func(a, b cid.Cid) int { return strings.Compare(a.KeyString(), b.KeyString()) })
			checkCIDs(t, fmt.Sprintf("%s, pages of %d", c.name, limit), paged, sorted...)
		}
	}
	for _, bad := range []string{"%%%", "AAAA", strings.Repeat("A", storage.MaxCursor+1)} {
		if _, err := s.QueryPage(vault.Query{Kind: "note"}, bad, 1); !errors.Is(err, storage.ErrBadCursor) {
			t.Errorf("QueryPage after %.10q: %v, want ErrBadCursor", bad, err)
		}
	}
}

// pageAll reads every page of q, checking each against limit, and
// returns the CIDs in page order; no entry may come twice.
func pageAll(t *testing.T, s vault.Store, q vault.Query, limit int) []cid.Cid {
	t.Helper()
	var out []cid.Cid
	seen := map[cid.Cid]bool{}
	after := ""
	for range 100 {
		p, err := s.QueryPage(q, after, limit)
		if err != nil {
			t.Fatalf("QueryPage(%+v, %q, %d): %v", q, after, limit, err)
		}
		if len(p.Blocks) > storage.PageSize(limit) {
			t.Fatalf("a page of %d for limit %d", len(p.Blocks), limit)
		}
		for _, b := range p.Blocks {
			if seen[b.CID] {
				t.Fatalf("%s on two pages", b.CID)
			}
			seen[b.CID] = true
			out = append(out, b.CID)
		}
		if after = p.Next; after == "" {
			return out
		}
	}
	t.Fatalf("QueryPage(%+v) did not end in 100 pages", q)
	return nil
}
