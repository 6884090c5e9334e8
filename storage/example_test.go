package storage_test

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/storage"
	"github.com/mesocosm/mycel/storage/mem"
)

// count asks only for the piece of the contract it reads: any store
// (vault.Bolt, mem.Store) will do.
func count(r storage.Reader) (int, error) {
	hs, err := r.Heads()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, h := range hs {
		n += int(h.Seq)
	}
	return n, nil
}

// Code that reads entries takes a storage.Reader, code that stores them a
// storage.Writer; a backend implements both (storage.Store).
func Example() {
	var s storage.Store = mem.New(nil)
	body, _ := protocol.Marshal(map[string]any{"n": 1})
	for i := range 2 {
		key, _, _ := crypto.GenerateEd25519Key(nil)
		for range 2 + i { // two entries by one author, three by another
			if _, err := s.Append(key, protocol.Entry{Kind: "note", Body: body}); err != nil {
				fmt.Println(err)
			}
		}
	}
	n, err := count(s)
	fmt.Println(n, "entries", err)
	// Output: 5 entries <nil>
}
