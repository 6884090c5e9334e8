package protocol_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/mesocosm/mycel/protocol"
)

// exampleKey is a fixed key, so that the examples print stable CIDs; real
// keys come from crypto.GenerateEd25519Key and live in the vault.
func exampleKey() crypto.PrivKey {
	priv, _ := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(make([]byte, 32)))
	return priv
}

// Build a proof body, commit to evidence, sign the entry.
func Example_sign() {
	var salt [protocol.SaltSize]byte // use crypto/rand in real code
	leaf := protocol.Leaf(salt, sha256.Sum256([]byte("systolic 128 mmHg")))
	root := protocol.Root([][32]byte{leaf})
	body, err := protocol.EncodeBody(&protocol.Proof{
		MIP:      "MIP-HLT@1",
		Claim:    map[string]any{"metric": "bp-systolic", "value": 128},
		Evidence: protocol.Commitment{Root: root[:], Count: 1},
		Period:   protocol.Period{Start: 1700000000000, End: 1700000600000},
	})
	if err != nil {
		panic(err)
	}
	b, err := protocol.Sign(exampleKey(), protocol.Entry{
		Seq: 1, Time: 1700000600000, Kind: protocol.KindProof,
		District: "meso-valley/north", Body: body,
	})
	if err != nil {
		panic(err)
	}
	did, _ := protocol.DID(b.Entry.Author)
	fmt.Println(did)
	fmt.Println(b.CID, len(b.Data), "bytes")
	// Output:
	// did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
	// bafyreiagkaasl5hcxdmcqclevfmvcoovvt3cjraygktbsw3qie5nxltxgu 324 bytes
}

// Open bytes from the network: strict decoding, size limit, signature.
func ExampleOpen() {
	b, _ := protocol.Sign(exampleKey(), protocol.Entry{
		Seq: 1, Kind: protocol.KindAttest,
		Body: mustBody(&protocol.Attest{
			Proof: protocol.LinkTo(protocol.Sum([]byte("a proof"))), Verdict: protocol.Valid,
		}),
	})
	opened, err := protocol.Open(b.Data)
	fmt.Println(opened.CID == b.CID, err)

	tampered := append([]byte{}, b.Data...)
	tampered[bytes.Index(tampered, b.Entry.Sig)] ^= 1 // flip a bit of the signature
	_, err = protocol.Open(tampered)
	fmt.Println(err)

	body, _ := protocol.DefaultKinds().Decode(opened.Entry)
	fmt.Println(body.(*protocol.Attest).Verdict)
	// Output:
	// true <nil>
	// bad signature: entry 1 of 12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN
	// valid
}

// Disclose one evidence item and check it against the proof's commitment.
func ExampleDisclosure_Verify() {
	items := [][]byte{[]byte("reading 1"), []byte("reading 2"), []byte("reading 3")}
	var leaves [][32]byte
	var salts [][protocol.SaltSize]byte
	for i, item := range items {
		var salt [protocol.SaltSize]byte
		salt[0] = byte(i + 1) // use crypto/rand in real code
		salts = append(salts, salt)
		leaves = append(leaves, protocol.Leaf(salt, sha256.Sum256(item)))
	}
	root := protocol.Root(leaves)
	proof := protocol.Proof{Evidence: protocol.Commitment{Root: root[:], Count: uint64(len(leaves))}}

	path, _ := protocol.Inclusion(leaves, 1)
	d := protocol.Disclosure{Content: items[1], Salt: salts[1], Index: 1, Path: path}
	fmt.Println(d.Verify(proof.Evidence))

	d.Content = []byte("reading 9")
	fmt.Println(d.Verify(proof.Evidence))
	// Output:
	// <nil>
	// disclosure of item 1: bad evidence commitment: leaf 1 does not hash to the root
}

func mustBody(b protocol.Body) []byte {
	data, err := protocol.EncodeBody(b)
	if err != nil {
		panic(err)
	}
	return data
}
