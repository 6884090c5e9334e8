package bundle_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

func TestExportSelects(t *testing.T) {
	v := newVault(t)
	as := authors(t, 3)
	var logs [3][]protocol.Block
	logs[0] = write(t, as[0], 4, "", v)
	logs[0] = append(logs[0], write(t, as[0], 1, "valley/north", v)...)
	logs[1] = write(t, as[1], 3, "", v)
	logs[2] = write(t, as[2], 2, "valley/south", v)
	heads := func(i ...int) (out []cid.Cid) {
		for _, x := range i {
			out = append(out, logs[x][len(logs[x])-1].CID)
		}
		return out
	}
	blocks := func(i ...int) (out []cid.Cid) {
		for _, x := range i {
			out = append(out, cids(logs[x]...)...)
		}
		return out
	}
	tests := []struct {
		name  string
		f     bundle.Filter
		roots []cid.Cid
		order []cid.Cid
	}{
		{"all", bundle.Filter{}, heads(0, 1, 2), blocks(0, 1, 2)},
		{"author", bundle.Filter{Authors: []peer.ID{as[1].ID}}, heads(1), blocks(1)},
		{"authors", bundle.Filter{Authors: []peer.ID{as[2].ID, as[0].ID}}, heads(0, 2), blocks(0, 2)},
		{"district: whole logs", bundle.Filter{District: "valley/north"}, heads(0), blocks(0)},
		{"district and author", bundle.Filter{District: "valley/south", Authors: []peer.ID{as[0].ID, as[2].ID}}, heads(2), blocks(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file, st := export(t, v, tt.f)
			roots, got := readCAR(t, file)
			if !slices.Equal(roots, tt.roots) {
				t.Errorf("roots = %v, want %v", roots, tt.roots)
			}
			if !slices.Equal(got, tt.order) {
				t.Errorf("blocks = %v, want %v", got, tt.order)
			}
			if st.Entries != len(tt.order) || st.Authors != len(tt.roots) {
				t.Errorf("stats = %+v", st)
			}
		})
	}
}

func TestExportNothing(t *testing.T) {
	tests := []struct {
		name string
		prep func(src *vault.Bolt) bundle.Filter
	}{
		{"empty vault", func(*vault.Bolt) bundle.Filter { return bundle.Filter{} }},
		{"unknown district", func(src *vault.Bolt) bundle.Filter {
			write(t, authors(t, 1)[0], 2, "valley", src)
			return bundle.Filter{District: "nowhere"}
		}},
		{"unknown author", func(src *vault.Bolt) bundle.Filter {
			write(t, authors(t, 1)[0], 2, "", src)
			return bundle.Filter{Authors: []peer.ID{authors(t, 1)[0].ID}}
		}},
		{"receiver has it all", func(src *vault.Bolt) bundle.Filter {
			write(t, authors(t, 1)[0], 2, "", src)
			return bundle.Filter{Since: wantOf(t, src)}
		}},
		{"receiver is ahead", func(src *vault.Bolt) bundle.Filter {
			ahead := newVault(t)
			a := authors(t, 1)[0]
			write(t, a, 3, "", src, ahead)
			write(t, a, 2, "", ahead)
			return bundle.Filter{Since: wantOf(t, ahead)}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := newVault(t)
			f := tt.prep(src)
			var buf bytes.Buffer
			if _, err := bundle.Export(&buf, src, f, nil); !errors.Is(err, bundle.ErrNothing) {
				t.Fatalf("err = %v, want ErrNothing", err)
			}
			if buf.Len() != 0 {
				t.Fatalf("wrote %d bytes", buf.Len())
			}
		})
	}
}

// TestExportSince: the want of the receiver selects only what it lacks.
func TestExportSince(t *testing.T) {
	src, dst := newVault(t), newVault(t)
	as := authors(t, 3)
	a0 := write(t, as[0], 3, "", src, dst)
	a0 = append(a0, write(t, as[0], 4, "", src)...)
	a1 := write(t, as[1], 5, "", src)
	write(t, as[2], 2, "", src, dst)
	file, st := export(t, src, bundle.Filter{Since: wantOf(t, dst)})
	roots, got := readCAR(t, file)
	if want := []cid.Cid{a0[6].CID, a1[4].CID}; !slices.Equal(roots, want) {
		t.Errorf("roots = %v, want %v", roots, want)
	}
	if want := cids(append(a0[3:], a1...)...); !slices.Equal(got, want) {
		t.Errorf("blocks = %v, want %v", got, want)
	}
	if st.Entries != 9 {
		t.Errorf("entries = %d, want 9", st.Entries)
	}
	rep := importInto(t, dst, file)
	if rep.New != 9 || rep.Known != 0 || rep.Pending != 0 {
		t.Errorf("import = %+v, want 9 new", rep)
	}
	if digest(t, src) != digest(t, dst) {
		t.Error("digests differ after import")
	}
}

// TestExportSinceFork: the receiver's head is a different entry at the same
// seq; the exporter sends its own entry at that seq, and the receiver
// records the fork.
func TestExportSinceFork(t *testing.T) {
	src, dst := newVault(t), newVault(t)
	a := authors(t, 1)[0]
	log := write(t, a, 2, "", src, dst)
	branch := a.Branch(t, 3, log[1].CID, "other")
	put(t, dst, branch)
	log = append(log, write(t, a, 3, "", src)...)
	file, _ := export(t, src, bundle.Filter{Since: wantOf(t, dst)})
	if _, got := readCAR(t, file); !slices.Equal(got, cids(log[2:]...)) {
		t.Fatalf("blocks = %v, want seq 3..5", got)
	}
	rep := importInto(t, dst, file)
	if rep.Forks != 1 || rep.Pending != 2 || rep.Rejected != 0 {
		t.Fatalf("import = %+v, want 1 fork and 2 pending", rep)
	}
	forks, err := dst.Forks()
	if err != nil || len(forks) != 1 || forks[0].Seq != 3 {
		t.Fatalf("forks = %v, %v", forks, err)
	}
}

// TestExportCarriesForks: fork records in the exporter's vault travel in
// the bundle, after their author's log.
func TestExportCarriesForks(t *testing.T) {
	src, dst := newVault(t), newVault(t)
	a := authors(t, 1)[0]
	log := write(t, a, 3, "", src)
	fork := a.Branch(t, 2, log[0].CID, "fork")
	put(t, src, fork)
	file, st := export(t, src, bundle.Filter{})
	if _, got := readCAR(t, file); !slices.Equal(got, cids(append(log, fork)...)) {
		t.Fatalf("blocks = %v", got)
	}
	if st.Forks != 1 || st.Entries != 4 {
		t.Errorf("stats = %+v", st)
	}
	if rep := importInto(t, dst, file); rep.New != 4 || rep.Forks != 1 {
		t.Errorf("import = %+v", rep)
	}
	if digest(t, src) != digest(t, dst) {
		t.Error("digests differ")
	}
}

func TestExportProgress(t *testing.T) {
	v := newVault(t)
	write(t, authors(t, 1)[0], 5, "", v)
	var calls [][2]int
	if _, err := bundle.Export(&bytes.Buffer{}, v, bundle.Filter{}, func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 5 || calls[4] != [2]int{5, 5} {
		t.Fatalf("progress = %v", calls)
	}
}

// readerOnly hides the vault's LogBytes fast path.
type readerOnly struct{ vault.Reader }

// TestExportAnyReader: a vault.Reader without the fast path writes the
// same bundle.
func TestExportAnyReader(t *testing.T) {
	v := newVault(t)
	for _, a := range authors(t, 2) {
		write(t, a, 1500, "", v) // more than one page
	}
	fast, _ := export(t, v, bundle.Filter{})
	slow, _ := export(t, readerOnly{v}, bundle.Filter{})
	if !bytes.Equal(fast, slow) {
		t.Fatal("bundles differ between the fast path and vault.Reader")
	}
	since := &bundle.Want{Version: 1}
	if _, err := bundle.Export(&bytes.Buffer{}, readerOnly{v}, bundle.Filter{Since: since}, nil); err != nil {
		t.Fatal(err)
	}
}
