package grid

import (
	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"

	"github.com/mesocosm/mycel/protocol"
)

// BytesCID returns the content address of raw bytes (a module, an input,
// an output): CIDv1, codec raw, multihash sha2-256.
func BytesCID(b []byte) cid.Cid {
	h, err := mh.Sum(b, mh.SHA2_256, -1)
	if err != nil {
		panic(err) // sha2-256 is always available
	}
	return cid.NewCidV1(cid.Raw, h)
}

// checkBytes checks that l is a link BytesCID makes: raw, sha2-256.
func checkBytes(field string, l protocol.Link) error {
	return checkLink(field, l, cid.Raw, "raw sha2-256 CIDv1 of bytes")
}

// checkEntry checks that l is a link to an entry: dag-cbor, sha2-256.
func checkEntry(field string, l protocol.Link) error {
	return checkLink(field, l, cid.DagCBOR, "dag-cbor sha2-256 CIDv1 of an entry")
}

func checkLink(field string, l protocol.Link, codec uint64, what string) error {
	if !l.Defined() {
		return badBody("%s is missing", field)
	}
	if p := l.Prefix(); p.Version != 1 || p.Codec != codec || p.MhType != mh.SHA2_256 || p.MhLength != 32 {
		return badBody("%s %s is not the %s", field, l.Cid, what)
	}
	return nil
}
