package vaulttest

import (
	"math/rand/v2"
	"os"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// pagesOf lists the pages of the vault at path by bbolt's own type.
func pagesOf(t testing.TB, path string) (pageSize int, byType map[string][]int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	byType = map[string][]int{}
	err = db.View(func(tx *bolt.Tx) error {
		for id := 0; ; id++ {
			p, err := tx.Page(id)
			if err != nil {
				return err
			}
			if p == nil {
				return nil
			}
			byType[p.Type] = append(byType[p.Type], id)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return db.Info().PageSize, byType
}

// Damage is a way a dying disk breaks a vault file.
type Damage struct {
	Name string
	Do   func(t testing.TB, data []byte, pageSize int, pages map[string][]int) []byte
}

func scramblePage(data []byte, ps, id int, r *rand.Rand) {
	for i := id * ps; i < (id+1)*ps; i++ {
		data[i] = byte(r.Uint32())
	}
}

// Damages lists the damage the tests inflict on copies of a real vault.
var Damages = []Damage{
	{"scramble random pages", func(t testing.TB, d []byte, ps int, pages map[string][]int) []byte {
		r := rand.New(rand.NewPCG(1, 2))
		inUse := append(append([]int(nil), pages["leaf"]...), pages["branch"]...)
		for range 3 {
			scramblePage(d, ps, inUse[r.IntN(len(inUse))], r)
		}
		return d
	}},
	{"scramble meta", func(t testing.TB, d []byte, ps int, _ map[string][]int) []byte {
		scramblePage(d, ps, 0, rand.New(rand.NewPCG(3, 4)))
		return d
	}},
	{"truncate to 16 KiB", func(t testing.TB, d []byte, _ int, _ map[string][]int) []byte { return d[:16<<10] }},
	{"truncate mid file", func(t testing.TB, d []byte, ps int, pages map[string][]int) []byte {
		n := 0 // pages below the high-water mark
		for _, ids := range pages {
			n += len(ids)
		}
		return d[:n/2*ps+ps/3]
	}},
	{"zero a branch page", func(t testing.TB, d []byte, ps int, pages map[string][]int) []byte {
		if len(pages["branch"]) == 0 {
			t.Fatal("the vault has no branch page")
		}
		id := pages["branch"][0]
		clear(d[id*ps : (id+1)*ps])
		return d
	}},
	{"zero a leaf page's body", func(t testing.TB, d []byte, ps int, pages map[string][]int) []byte {
		id := pages["leaf"][len(pages["leaf"])/2]
		clear(d[id*ps+16 : (id+1)*ps])
		return d
	}},
}

// DamageCopy writes a copy of the vault file src to dst with d done to it.
func DamageCopy(t testing.TB, src, dst string, d Damage) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	ps, pages := pagesOf(t, src)
	if err := os.WriteFile(dst, d.Do(t, data, ps, pages), 0o600); err != nil {
		t.Fatal(err)
	}
}
