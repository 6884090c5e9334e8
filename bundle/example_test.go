package bundle_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/bundle"
	"github.com/mesocosm/mycel/protocol"
	"github.com/mesocosm/mycel/vault"
)

// Example carries what a receiver lacks from one vault to another.
func Example() {
	dir, _ := os.MkdirTemp("", "bundle")
	defer os.RemoveAll(dir)
	src, _ := vault.Create(filepath.Join(dir, "src.db"), vault.Options{})
	dst, _ := vault.Create(filepath.Join(dir, "dst.db"), vault.Options{})
	defer src.Close()
	defer dst.Close()
	key, _, _ := crypto.GenerateEd25519Key(nil)
	body, _ := protocol.Marshal(map[string]any{"n": 1, "note": ""})
	for i := range 5 {
		b, _ := src.Append(key, protocol.Entry{Kind: "note", Body: body})
		if i < 2 {
			dst.Put(b) // the receiver already has the first two
		}
	}

	want, _ := bundle.WantOf(dst) // receiver: `mycel bundle want > want.json`
	var file bytes.Buffer         // the USB stick
	st, _ := bundle.Export(&file, src, bundle.Filter{Since: &want}, nil)
	rep, _ := bundle.Import(&file, nil, dst.Put, nil)
	fmt.Printf("exported %d; %d new, %d known, %d rejected\n", st.Entries, rep.New, rep.Known, rep.Rejected)
	// Output: exported 3; 3 new, 0 known, 0 rejected
}
