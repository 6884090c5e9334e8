package edkey_test

import (
	"crypto/ed25519"
	"fmt"

	"github.com/mesocosm/mycel/protocol/internal/edkey"
)

// A key that signs many messages is decoded once and precomputed; it
// answers as crypto/ed25519.Verify does.
func Example() {
	pub, priv, _ := ed25519.GenerateKey(nil)
	msg := []byte("entry bytes")
	sig := ed25519.Sign(priv, msg)

	k, ok := edkey.New(pub)
	k = k.Precompute()
	fmt.Println(ok, k.Verify(msg, sig), k.Verify([]byte("other bytes"), sig))

	c := edkey.NewCache(1024, 16, 2) // a table on a key's second use
	for range 3 {
		fmt.Print(c.Verify(pub, msg, sig), " ")
	}
	keys, tables := c.Len()
	fmt.Println(keys, tables)
	// Output:
	// true true false
	// true true true 1 1
}
