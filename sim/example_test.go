package sim_test

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/mesocosm/mycel/sim"
)

// A seed fixes a peer's identity: the same seed gives the same key in
// every run, which is how a failing seed is replayed.
func ExampleReader() {
	id := func(seed uint64) peer.ID {
		key, _, _ := crypto.GenerateEd25519Key(sim.Reader{R: sim.New(seed)})
		p, _ := peer.IDFromPrivateKey(key)
		return p
	}
	fmt.Println(id(1234) == id(1234), id(1234) == id(1235))
	fmt.Println(sim.New(1234).IntN(100), sim.New(1234).IntN(100))
	// Output:
	// true false
	// 15 15
}
