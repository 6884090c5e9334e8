package vault_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// A home is created with a new identity, appends to its own log, stores
// a peer's entries (one past a gap waits as pending), keeps an evidence
// item, and sweeps the pending entry once it is stale; opened again, it
// has the same identity.
func Example() {
	dir, _ := os.MkdirTemp("", "vault")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "vault.db")
	clock := time.UnixMilli(1700000000000)
	opt := vault.Options{Now: func() time.Time { return clock }}

	v, err := vault.Create(path, opt) // new identity
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := protocol.Marshal(map[string]any{"n": 1, "note": "hello"})
	blk, err := v.Append(v.Key(), protocol.Entry{Kind: "note", Body: body})
	fmt.Println("appended seq", blk.Entry.Seq, err)

	peerKey, _, _ := crypto.GenerateEd25519Key(nil)
	one, _ := protocol.Sign(peerKey, protocol.Entry{Seq: 1, Kind: "note", Body: body})
	three, _ := protocol.Sign(peerKey, protocol.Entry{Seq: 3, Prev: one.CID, Kind: "note", Body: body})
	for _, block := range []protocol.Block{one, one, three} {
		res, err := v.Put(block) // block from protocol.Open
		fmt.Println("put seq", block.Entry.Seq, res[0].Status, err)
	}

	content := []byte("hba1c 58 mmol/mol")
	ev, err := v.AddEvidence(content, "lab report")
	fmt.Println("evidence", ev.Label, ev.Size, "bytes", err)

	clock = clock.Add(vault.DefaultPendingTTL + time.Minute)
	sw, err := v.Sweep() // periodically
	fmt.Println("swept", sw.Entries, "pending entries", err)
	id := v.Key().GetPublic()
	v.Close()

	v, err = vault.Open(path, opt) // existing home
	if err != nil {
		fmt.Println(err)
		return
	}
	defer v.Close()
	fmt.Println("same identity:", v.Key().GetPublic().Equals(id))
	// Output:
	// appended seq 1 <nil>
	// put seq 1 new <nil>
	// put seq 1 known <nil>
	// put seq 3 pending <nil>
	// evidence lab report 17 bytes <nil>
	// swept 1 pending entries <nil>
	// same identity: true
}
