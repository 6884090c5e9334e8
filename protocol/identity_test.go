package protocol

import (
	"errors"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/mr-tron/base58/base58"
)

// didKeyVectors are from the did:key specification's test vectors
// (w3c-ccg/did-method-key, test-vectors/ed25519-x25519.json): the key of
// seed 00...0n, its did:key and its raw public key in base58.
var didKeyVectors = []struct {
	seed byte
	did  string
	pub  string
}{
	{0, "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS"},
	{1, "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG", "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt"},
	{2, "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf", "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH"},
	{4, "did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL", "J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x"},
}

func TestDIDKeyVectors(t *testing.T) {
	for _, v := range didKeyVectors {
		id := seedID(t, v.seed)
		did, err := DID(id)
		if err != nil {
			t.Fatal(err)
		}
		if did != v.did {
			t.Errorf("seed %d: DID %s, spec vector %s", v.seed, did, v.did)
		}
		back, err := ParseDID(v.did)
		if err != nil {
			t.Fatalf("ParseDID(%s): %v", v.did, err)
		}
		if back != id {
			t.Errorf("seed %d: ParseDID gives %s, want %s", v.seed, back, id)
		}
		pub, _ := PublicKey(back)
		raw, _ := pub.Raw()
		if got := base58.Encode(raw); got != v.pub {
			t.Errorf("seed %d: public key %s, spec vector %s", v.seed, got, v.pub)
		}
		for _, s := range []string{v.did, id.String()} {
			if p, err := ParsePeer(s); err != nil || p != id {
				t.Errorf("ParsePeer(%s) = %s, %v", s, p, err)
			}
		}
	}
}

func TestParseDIDRejects(t *testing.T) {
	for _, s := range []string{
		"did:web:example.com",
		"did:key:",
		"did:key:zTjsVPtY", // too short for an Ed25519 key (did:key test suite)
		"did:key:z6MkA9MEcFWsoUVqj2zX6LACFaikLQ28i9WAsJnURDS3HLGKSkUbwUbiLH22ohgZ2BwgpQ6qC3VBTNV3pLhYDTVgR", // too long
		"did:key:f6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",                                          // not base58btc
		"did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",                                         // secp256k1
		"not a peer",
	} {
		if _, err := ParsePeer(s); !errors.Is(err, ErrBadAuthor) {
			t.Errorf("ParsePeer(%q) = %v, want ErrBadAuthor", s, err)
		}
	}
}

func TestPublicKeyRejectsOtherKeyTypes(t *testing.T) {
	priv, _, err := crypto.GenerateSecp256k1Key(nil)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := peer.IDFromPrivateKey(priv)
	if _, err := PublicKey(id); !errors.Is(err, ErrBadAuthor) {
		t.Fatalf("secp256k1 author: %v", err)
	}
	if _, err := DID(id); !errors.Is(err, ErrBadAuthor) {
		t.Fatalf("DID of secp256k1: %v", err)
	}
	if _, err := Sign(priv, Entry{Seq: 1, Kind: "proof", Body: []byte{0xa0}}); !errors.Is(err, ErrBadAuthor) {
		t.Fatalf("Sign with secp256k1: %v", err)
	}
}

func TestIDIgnoresSig(t *testing.T) {
	b := mustSign(t, seedKey(t, 1), Entry{Seq: 1, Kind: KindAttest, Body: attestBody(t, "ok")})
	e := b.Entry
	id := b.ID()
	e.Sig = append([]byte{}, e.Sig...)
	e.Sig[0] ^= 0xff
	other, err := IDOf(e)
	if err != nil {
		t.Fatal(err)
	}
	if other != id {
		t.Fatalf("ID depends on sig bytes: %v vs %v", other, id)
	}
	e.Sig = nil
	if unsigned, _ := IDOf(e); unsigned != id {
		t.Fatal("ID of the unsigned entry differs")
	}
	if err := Verify(e); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("entry without sig verified: %v", err)
	}
}

func TestIDSeparatesPayloads(t *testing.T) {
	key := seedKey(t, 1)
	a := mustSign(t, key, Entry{Seq: 1, Kind: KindAttest, Body: attestBody(t, "first")})
	b := mustSign(t, key, Entry{Seq: 1, Kind: KindAttest, Body: attestBody(t, "second")})
	if a.ID().Author != b.ID().Author || a.ID().Seq != b.ID().Seq {
		t.Fatal("same author and seq expected")
	}
	if a.ID() == b.ID() {
		t.Fatal("different payloads at one seq share an ID: forks would go unseen")
	}
	// Ed25519 is deterministic: signing the same payload again gives the
	// same block, so one payload has one CID from an honest signer.
	again := mustSign(t, key, Entry{Seq: 1, Kind: KindAttest, Body: attestBody(t, "first")})
	if again.CID != a.CID || again.ID() != a.ID() {
		t.Fatal("re-signing one payload changed its CID or ID")
	}
	// Changing only the time is a different payload too.
	c := mustSign(t, key, Entry{Seq: 1, Time: 1, Kind: KindAttest, Body: attestBody(t, "first")})
	if c.ID() == a.ID() {
		t.Fatal("time is not part of the payload digest")
	}
}

func mustSign(t testing.TB, key crypto.PrivKey, e Entry) Block {
	t.Helper()
	b, err := Sign(key, e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func attestBody(t testing.TB, note string) []byte {
	t.Helper()
	body, err := EncodeBody(&Attest{Proof: LinkTo(Sum([]byte("proof"))), Verdict: Valid, Note: note})
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestPublicKeyRejectsNonCanonicalIDs(t *testing.T) {
	priv := seedKey(t, 1)
	canon, _ := peer.IDFromPrivateKey(priv)
	key := []byte(canon)[6:]
	for name, pb := range map[string][]byte{
		"fields reordered": append(append([]byte{0x12, 0x20}, key...), 0x08, 0x01),
		"extra field":      append(append([]byte{0x08, 0x01, 0x12, 0x20}, key...), 0x18, 0x00),
	} {
		id := peer.ID(append([]byte{0x00, byte(len(pb))}, pb...))
		if _, err := PublicKey(id); !errors.Is(err, ErrBadAuthor) {
			t.Errorf("%s: PublicKey = %v, want ErrBadAuthor", name, err)
		}
	}
	if _, err := PublicKey(canon); err != nil {
		t.Fatalf("canonical ID: %v", err)
	}
}
